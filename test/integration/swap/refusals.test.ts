// Swaps that stop early for ordinary reasons: the taker's wallet cannot pay (a real "insufficient
// funds" from litecoind), a proposal the peer never agreed to, and the user's abort. Wallets
// reconcile to the satoshi.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoMine, balancesOf, mineTo } from '../../support/swap-node.ts';
import { reconcile, setupPair, startSwap, type Pair } from './harness.ts';

let pair: Pair;

beforeAll(async () => {
  pair = await setupPair();
});
afterAll(async () => {
  await pair?.cleanup();
});

describe('swaps that stop early', () => {
  it('the taker\'s wallet cannot pay: it fails before funding, tells the maker, and the maker refunds at its lock', async () => {
    const { maker, taker, dev } = pair;
    const before = await balancesOf(maker, taker);
    const miner = autoMine(dev);
    try {
      const { swapId } = await startSwap(pair, '1', '80'); // the taker's wallet holds 50
      const t = await taker.waitSwap(swapId, (s) => s.terminal, 'taker gave up');
      expect(t.outcome).toBe('failedBeforeFunding');
      expect(t.reason?.code).toBe('funding-failed');
      const m = await maker.waitSwap(swapId, (s) => s.state === 'refunding', 'maker heard the abort');
      expect(m.reason?.code).toBe('counterparty-abort');
      await mineTo(dev.DEVA, m.locks.find((l) => l.side === 'own')!.locktime);
      expect((await maker.waitSwap(swapId, (s) => s.terminal, 'maker refunded')).outcome).toBe('refunded');
      await reconcile(pair, swapId, before);
    } finally {
      await miner.stop();
    }
  });

  it('a proposal the peer never agreed to is refused; the maker\'s abort then ends it before any coin moves', async () => {
    const { maker, taker } = pair;
    const before = await balancesOf(maker, taker);
    const s = await maker.call('swaps.start', { peerId: taker.peerId, sell: { ticker: 'DEVA', amount: '1' }, buy: { ticker: 'DEVB', amount: '3' } });
    await new Promise((r) => setTimeout(r, 500));
    await expect(taker.call('swaps.get', { swapId: s.swapId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await maker.swap(s.swapId)).state).toBe('proposed');
    const aborted = await maker.call('swaps.abort', { swapId: s.swapId });
    expect(aborted).toMatchObject({ state: 'failedBeforeFunding', outcome: 'failedBeforeFunding', reason: { code: 'user-abort' } });
    await expect(maker.call('swaps.abort', { swapId: s.swapId })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await balancesOf(maker, taker)).toEqual(before);
  });

  it('funds promised to a swap not yet locked show as locked in the wallet balance', async () => {
    const { maker, taker } = pair;
    const free = await maker.call('wallets.balance', { ticker: 'DEVA' });
    const s = await maker.call('swaps.start', { peerId: taker.peerId, sell: { ticker: 'DEVA', amount: '2.5' }, buy: { ticker: 'DEVB', amount: '3' } });
    const held = await maker.call('wallets.balance', { ticker: 'DEVA' });
    expect(held.locked).toBe('2.5');
    expect(held.spendable).not.toBe(free.spendable);
    await maker.call('swaps.abort', { swapId: s.swapId });
    expect((await maker.call('wallets.balance', { ticker: 'DEVA' })).locked).toBe('0');
  });
});
