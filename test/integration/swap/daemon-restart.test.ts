// The chain misbehaves under a live swap between two nodes. A daemon stops and comes back: the
// engines keep polling, the effect that needs it (a funding, a claim) waits and goes through once
// it answers; so does the taker's claim when the maker chain's daemon is down as it must claim. A
// reorg takes the maker's funding out of its block: the taker does not lock until it is confirmed
// again. Each swap completes for both with wallets reconciled to the satoshi.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { passTime, withMiner } from '../../support/regtest.ts';
import { balancesOf, reconcile, startSwap, usePair } from './harness.ts';

const pair = usePair();

describe('a daemon restarts mid-swap', () => {
  it("the taker chain's daemon is down when the taker must lock: funding waits, then the swap completes", async () => {
    const { maker, taker, dev } = pair;
    const before = await balancesOf(maker, taker);
    await withMiner(dev, async (miner) => {
      miner.paused.add('DEVA');
      const { swapId } = await startSwap(pair);
      await maker.waitSwap(swapId, (s) => s.state === 'funded', 'maker locked');
      await dev.DEVB.stop();
      // The maker's HTLC confirms: the taker must lock now, on a chain whose daemon is down.
      miner.paused.delete('DEVA');
      await taker.waitSwap(swapId, (s) => s.state === 'funding', 'taker wants to lock');
      await new Promise((r) => setTimeout(r, 1500));
      expect((await taker.swap(swapId)).state).toBe('funding');
      await dev.DEVB.restart();
      const t = await taker.waitSwap(swapId, (s) => s.terminal, 'taker finished');
      const m = await maker.waitSwap(swapId, (s) => s.terminal, 'maker finished');
      expect([m.outcome, t.outcome]).toEqual(['completed', 'completed']);
      await reconcile(pair, swapId, before);
    });
  });

  it("the taker chain's daemon restarts while the maker's claim is unconfirmed: the claim survives and both complete", async () => {
    const { maker, taker, dev } = pair;
    const before = await balancesOf(maker, taker);
    await withMiner(dev, async (miner) => {
      miner.paused.add('DEVB');
      const { swapId } = await startSwap(pair);
      await taker.waitSwap(swapId, (s) => s.state === 'funded', 'taker locked');
      await dev.DEVB.mine(1); // confirms the taker's HTLC only; the maker's claim then waits in the mempool
      await maker.waitSwap(swapId, (s) => s.txs.some((x) => x.kind === 'claim'), 'maker broadcast its claim');
      expect(await dev.DEVB.rpc.callAs(z.array(z.string()), 'getrawmempool', [], { wallet: false })).toHaveLength(1);
      await dev.DEVB.restart();
      miner.paused.delete('DEVB');
      const m = await maker.waitSwap(swapId, (s) => s.terminal, 'maker finished');
      const t = await taker.waitSwap(swapId, (s) => s.terminal, 'taker finished');
      expect([m.outcome, t.outcome]).toEqual(['completed', 'completed']);
      await reconcile(pair, swapId, before);
    });
  });

  it("the maker chain's daemon is down when the taker must claim: its claim waits, then goes through before the maker's lock", async () => {
    const { maker, taker, dev } = pair;
    const before = await balancesOf(maker, taker);
    await withMiner(dev, async (miner) => {
      // The taker's lock stays unconfirmed until DEVA is down: the maker cannot claim (and show the
      // secret) before. Without this, a quick maker claimed and the taker claimed on DEVA while the
      // test was still stopping it.
      miner.paused.add('DEVB');
      const { swapId } = await startSwap(pair);
      await taker.waitSwap(swapId, (s) => s.state === 'funded', 'taker locked');
      try {
        await dev.DEVA.stop();
        miner.paused.delete('DEVB');
        // The maker claims on DEVB and so shows the secret; the taker must now claim on DEVA, which is down.
        await maker.waitSwap(swapId, (s) => s.txs.some((x) => x.kind === 'claim'), 'maker broadcast its claim');
        const waiting = await taker.waitSwap(swapId, (s) => s.state === 'claiming', 'taker learnt the secret');
        expect(waiting.txs.some((x) => x.kind === 'claim')).toBe(false);
      } finally {
        // The next cases need DEVA whatever happened here.
        if (!dev.DEVA.running) await dev.DEVA.restart();
      }
      const t = await taker.waitSwap(swapId, (s) => s.terminal, 'taker finished');
      const m = await maker.waitSwap(swapId, (s) => s.terminal, 'maker finished');
      expect([m.outcome, t.outcome]).toEqual(['completed', 'completed']);
      expect(t.txs.filter((x) => x.kind === 'claim')).toHaveLength(1);
      await reconcile(pair, swapId, before);
    });
  });

  it("a reorg takes the maker's funding out of its block before the taker locks: the taker waits until it is confirmed again at the agreed depth", async () => {
    const { maker, taker, dev } = pair;
    // The maker asks for 2 DEVA confirmations, so one block is not yet enough for the taker.
    await maker.call('settings.set', { confirmations: { DEVA: 2 } });
    const before = await balancesOf(maker, taker);
    try {
      await withMiner(dev, async (miner) => {
        miner.paused.add('DEVA');
        const { swapId } = await startSwap(pair);
        const funded = await maker.waitSwap(swapId, (s) => s.state === 'funded', 'maker locked');
        expect(funded.confirmations).toContainEqual({ side: 'own', ticker: 'DEVA', confirmations: 2 });
        const fundingTxid = funded.txs.find((x) => x.kind === 'ownFunding')!.txid;
        const theirDepth = (s: Awaited<ReturnType<typeof taker.swap>>) =>
          s.txs.find((x) => x.kind === 'theirFunding' && x.txid === fundingTxid)?.confirmations;

        const [blockA] = await dev.DEVA.mine(1);
        await taker.waitSwap(swapId, (s) => theirDepth(s) === 1, "taker saw the maker's HTLC 1 deep");
        // The block holding the funding is orphaned; two empty blocks replace it. Counted against the
        // old block the HTLC would now be 2 deep; it is back in the mempool.
        await dev.DEVA.rpc.call('invalidateblock', [blockA], { wallet: false });
        const to = await dev.DEVA.rpc.callAs(z.string(), 'getnewaddress', ['', 'bech32']);
        for (let i = 0; i < 2; i++) await dev.DEVA.rpc.call('generateblock', [to, []], { wallet: false });
        expect(await dev.DEVA.rpc.callAs(z.array(z.string()), 'getrawmempool', [], { wallet: false })).toContain(
          fundingTxid,
        );
        await taker.waitSwap(swapId, (s) => theirDepth(s) === 0, 'taker saw the HTLC back in the mempool');
        await new Promise((r) => setTimeout(r, 1000));
        let t = await taker.swap(swapId);
        expect(t.state).toBe('accepted');
        expect(t.txs.some((x) => x.kind === 'ownFunding')).toBe(false);

        // Mined again: at 1 of 2 the taker still waits, at 2 it locks and the swap goes on.
        await dev.DEVA.mine(1);
        t = await taker.waitSwap(swapId, (s) => theirDepth(s) === 1, 'HTLC 1 deep again');
        expect(t.state).toBe('accepted');
        await dev.DEVA.mine(1);
        await taker.waitSwap(swapId, (s) => s.txs.some((x) => x.kind === 'ownFunding'), 'taker locked');
        miner.paused.delete('DEVA');
        // The taker's claim on DEVA must reach 2 confirmations too: let blocks come.
        await passTime(
          dev,
          async () => (await taker.swap(swapId)).terminal && (await maker.swap(swapId)).terminal,
          'both finished',
        );
        expect([(await maker.swap(swapId)).outcome, (await taker.swap(swapId)).outcome]).toEqual([
          'completed',
          'completed',
        ]);
        await reconcile(pair, swapId, before);
      });
    } finally {
      await maker.call('settings.set', { confirmations: { DEVA: 1 } });
    }
  });
});
