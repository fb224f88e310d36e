// Swaps that stop early for ordinary reasons: the taker's wallet cannot pay (a real "insufficient
// funds" from litecoind), a proposal the peer never agreed to or whose terms it refuses (answered
// at once, not by silence), and the user's abort before and after its coins are locked. Wallets
// reconcile to the satoshi.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { Transaction } from 'bitcoinjs-lib';
import { height, mineTo, withMiner } from '../../support/regtest.ts';
import { balancesOf, reconcile, startSwap, usePair } from './harness.ts';

const pair = usePair();

describe('swaps that stop early', () => {
  it("the taker's wallet cannot pay: it fails before funding, tells the maker, and the maker refunds at its lock", async () => {
    const { maker, taker, dev } = pair;
    const before = await balancesOf(maker, taker);
    await withMiner(dev, async () => {
      const { swapId } = await startSwap(pair, '1', '80'); // the taker's wallet holds 50
      const t = await taker.waitSwap(swapId, (s) => s.terminal, 'taker gave up');
      expect(t.outcome).toBe('failedBeforeFunding');
      expect(t.reason?.code).toBe('funding-failed');
      const m = await maker.waitSwap(swapId, (s) => s.state === 'refunding', 'maker heard the abort');
      expect(m.reason?.code).toBe('counterparty-abort');
      await mineTo(dev.DEVA, m.locks.find((l) => l.side === 'own')!.locktime);
      expect((await maker.waitSwap(swapId, (s) => s.terminal, 'maker refunded')).outcome).toBe('refunded');
      await reconcile(pair, swapId, before);
    });
  });

  it("a proposal the peer never agreed to is refused at once: the maker fails before funding with the peer's words", async () => {
    const { maker, taker } = pair;
    const before = await balancesOf(maker, taker);
    const started = Date.now();
    const s = await maker.call('swaps.start', {
      peerId: taker.peerId,
      sell: { ticker: 'DEVA', amount: '1' },
      buy: { ticker: 'DEVB', amount: '3' },
    });
    const m = await maker.waitSwap(s.swapId, (x) => x.terminal, 'maker heard the refusal', 10_000);
    // Far sooner than the 30 s accept timeout that silence would take.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(m).toMatchObject({ outcome: 'failedBeforeFunding', reason: { code: 'refused' } });
    expect(m.reason?.message).toBe(
      'the peer refused the proposal: this node has not agreed to swap 3 DEVB for 1 DEVA with you (no matching swaps.allow)',
    );
    await expect(taker.call('swaps.get', { swapId: s.swapId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(maker.call('swaps.abort', { swapId: s.swapId })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await balancesOf(maker, taker)).toEqual(before);
  });

  it("terms the taker's checks refuse (fewer confirmations than its setting) end the maker's swap at once with the reason", async () => {
    const { maker, taker } = pair;
    await taker.call('settings.set', { confirmations: { DEVA: 3 } });
    try {
      const s = await startSwap(pair, '1', '3');
      const m = await maker.waitSwap(s.swapId, (x) => x.terminal, 'maker heard the refusal', 10_000);
      expect(m).toMatchObject({ outcome: 'failedBeforeFunding', reason: { code: 'refused' } });
      expect(m.reason?.message).toMatch(
        /^the peer refused the proposal: the terms do not pass this node's checks: 1 DEVA confirmations is fewer than .* 3$/,
      );
      // Nothing was set up on the taker's side for terms it refused.
      await expect(taker.call('swaps.get', { swapId: s.swapId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await taker.call('settings.set', { confirmations: { DEVA: 1 } });
    }
  });

  it("funds promised to a swap not yet locked show as locked; the user's abort before any lock ends it and frees them", async () => {
    const { maker, taker } = pair;
    const before = await balancesOf(maker, taker);
    const free = await maker.call('wallets.balance', { ticker: 'DEVA' });
    // A taker that hangs (its process stopped) keeps the proposal unanswered.
    taker.pause();
    try {
      const s = await maker.call('swaps.start', {
        peerId: taker.peerId,
        sell: { ticker: 'DEVA', amount: '2.5' },
        buy: { ticker: 'DEVB', amount: '3' },
      });
      const held = await maker.call('wallets.balance', { ticker: 'DEVA' });
      expect(held.locked).toBe('2.5');
      expect(held.spendable).not.toBe(free.spendable);
      expect((await maker.swap(s.swapId)).state).toBe('proposed');
      const aborted = await maker.call('swaps.abort', { swapId: s.swapId });
      expect(aborted).toMatchObject({
        state: 'failedBeforeFunding',
        outcome: 'failedBeforeFunding',
        reason: { code: 'user-abort' },
      });
      expect((await maker.call('wallets.balance', { ticker: 'DEVA' })).locked).toBe('0');
    } finally {
      taker.resume();
    }
    expect(await balancesOf(maker, taker)).toEqual(before);
  });

  it('swaps.abort after our coins are locked: the swap stops, both coins come back at their own locks, never earlier', async () => {
    const { maker, taker, dev } = pair;
    const before = await balancesOf(maker, taker);
    await withMiner(dev, async (miner) => {
      // The maker cannot claim before the abort: the taker's lock stays unconfirmed until then.
      miner.paused.add('DEVB');
      const { swapId } = await startSwap(pair);
      await taker.waitSwap(swapId, (x) => x.state === 'funded', 'taker locked');
      const stopped = await taker.call('swaps.abort', { swapId });
      expect(stopped).toMatchObject({ state: 'refunding', terminal: false, reason: { code: 'user-abort' } });
      const m = await maker.waitSwap(swapId, (x) => x.state === 'refunding', 'maker heard the abort');
      expect(m.reason?.code).toBe('counterparty-abort');
      const t = await taker.swap(swapId);
      const takerLock = t.locks.find((l) => l.side === 'own')!.locktime;
      const makerLock = m.locks.find((l) => l.side === 'own')!.locktime;

      // One block before the lock opens nothing may move: the refund would not be valid yet.
      // The auto-miner stays off this chain until then, so no block of its own can race mineTo
      // past the lock.
      await mineTo(dev.DEVB, takerLock - 1);
      await new Promise((r) => setTimeout(r, 800));
      expect(await height(dev.DEVB)).toBe(takerLock - 1);
      expect(await taker.swap(swapId)).toMatchObject({ state: 'refunding' });
      expect((await taker.swap(swapId)).txs.some((x) => x.kind === 'refund')).toBe(false);
      miner.paused.delete('DEVB');
      await mineTo(dev.DEVB, takerLock);
      const tDone = await taker.waitSwap(swapId, (x) => x.terminal, 'taker refunded');
      expect(tDone.outcome).toBe('refunded');
      const refund = Transaction.fromHex(
        await dev.DEVB.rpc.callAs(z.string(), 'getrawtransaction', [tDone.txs.find((x) => x.kind === 'refund')!.txid], {
          wallet: false,
        }),
      );
      expect(refund.locktime).toBe(takerLock);

      await mineTo(dev.DEVA, makerLock);
      const mDone = await maker.waitSwap(swapId, (x) => x.terminal, 'maker refunded');
      expect(mDone.outcome).toBe('refunded');
      expect(mDone.txs.some((x) => x.kind === 'claim')).toBe(false);
      await reconcile(pair, swapId, before);
      expect(await height(dev.DEVA)).toBeLessThan(431);
    });
  });
});
