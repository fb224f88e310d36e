// A chain daemon stops and comes back in the middle of a swap: the engines keep polling, the
// effect that needs it (a funding, a claim) waits and goes through once it answers, and the swap
// completes for both with wallets reconciled to the satoshi.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoMine, balancesOf } from '../../support/swap-node.ts';
import { reconcile, setupPair, startSwap, type Pair } from './harness.ts';

let pair: Pair;

beforeAll(async () => {
  pair = await setupPair();
});
afterAll(async () => {
  await pair?.cleanup();
});

describe('a daemon restarts mid-swap', () => {
  it('the taker chain\'s daemon is down when the taker must lock: funding waits, then the swap completes', async () => {
    const { maker, taker, dev } = pair;
    const before = await balancesOf(maker, taker);
    const miner = autoMine(dev);
    miner.paused.add('DEVA');
    try {
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
    } finally {
      await miner.stop();
    }
  });

  it('the taker chain\'s daemon restarts while the maker\'s claim is unconfirmed: the claim survives and both complete', async () => {
    const { maker, taker, dev } = pair;
    const before = await balancesOf(maker, taker);
    const miner = autoMine(dev);
    miner.paused.add('DEVB');
    try {
      const { swapId } = await startSwap(pair);
      await taker.waitSwap(swapId, (s) => s.state === 'funded', 'taker locked');
      await dev.DEVB.mine(1); // confirms the taker's HTLC only; the maker's claim then waits in the mempool
      await maker.waitSwap(swapId, (s) => s.txs.some((x) => x.kind === 'claim'), 'maker broadcast its claim');
      expect(await dev.DEVB.rpc.call<string[]>('getrawmempool', [], { wallet: false })).toHaveLength(1);
      await dev.DEVB.restart();
      miner.paused.delete('DEVB');
      const m = await maker.waitSwap(swapId, (s) => s.terminal, 'maker finished');
      const t = await taker.waitSwap(swapId, (s) => s.terminal, 'taker finished');
      expect([m.outcome, t.outcome]).toEqual(['completed', 'completed']);
      await reconcile(pair, swapId, before);
    } finally {
      await miner.stop();
    }
  });
});
