// The refund path under crashes, and both parties down at once (issue 9, the fault matrix). A swap
// the maker never claims ends with both refunding at their own locks; here each party SIGKILLs
// itself at the same refund step (entering the refund, after broadcasting it, after recording it),
// is started again, and still refunds exactly once: both wallets reconcile to the satoshi, fees
// included. Then both parties die at once after both locked, come back, and complete.
import { describe, expect, it } from 'vitest';
import { mineTo, withMiner } from '../../support/regtest.ts';
import { armCrash, balancesOf, makerGoneBeforeClaim, reconcile, reconnected, startSwap, usePair } from './harness.ts';

const pair = usePair();

const REFUND_STEPS = [
  { at: 'enter:refunding', when: 'on deciding to refund, before its lock' },
  { at: 'after-refund-send', when: 'after broadcasting its refund, before recording it' },
  { at: 'after-event:RefundBroadcast', when: 'after recording its refund, before it confirms' },
] as const;

describe('a crash at each refund step: the coins still come back, once', () => {
  it.each(REFUND_STEPS)('both parties killed $when ($at), restarted: both refund', async ({ at }) => {
    const { maker, taker, dev } = pair;
    await armCrash(pair, 'taker', at);
    const before = await balancesOf(maker, taker);
    const { swapId } = await startSwap(pair);
    await withMiner(dev, async (miner) => {
      // The taker locks; the maker is gone before that HTLC confirms, so it never claims.
      const locks = await makerGoneBeforeClaim(pair, swapId, miner);
      // The taker dies at the step, comes back, and refunds at its lock.
      await mineTo(dev.DEVB, locks.find((l) => l.side === 'own')!.locktime);
      await taker.exited();
      await taker.start();
      const t = await taker.waitSwap(swapId, (x) => x.terminal, 'taker refunded after its restart');
      expect(t.outcome).toBe('refunded');
      expect(t.txs.filter((x) => x.kind === 'refund')).toHaveLength(1);
      // The maker is back after the taker's lock, too late to claim: it dies at the same step.
      await maker.start({ crashAt: at });
      await mineTo(dev.DEVA, locks.find((l) => l.side === 'counterparty')!.locktime);
      await maker.exited();
      await maker.start();
      const m = await maker.waitSwap(swapId, (x) => x.terminal, 'maker refunded after its restart');
      expect(m).toMatchObject({ outcome: 'refunded', reason: { code: 'deadline-passed' } });
      expect(m.txs.filter((x) => x.kind === 'refund')).toHaveLength(1);
    });
    await reconcile(pair, swapId, before);
  });
});

describe('both parties down at once', () => {
  it('both killed after both locked, both restarted: the swap completes for both', async () => {
    const { maker, taker, dev } = pair;
    await reconnected(pair);
    const before = await balancesOf(maker, taker);
    const { swapId } = await startSwap(pair);
    await withMiner(dev, async (miner) => {
      // Both HTLCs are paid; the taker's stays unconfirmed, so the maker cannot claim before it dies.
      miner.paused.add('DEVB');
      await taker.waitSwap(swapId, (x) => x.state === 'funded', 'taker funded');
      await Promise.all([maker.kill(), taker.kill()]);
      miner.paused.delete('DEVB');
      await Promise.all([maker.start(), taker.start()]);
      const [m, t] = await Promise.all([
        maker.waitSwap(swapId, (x) => x.terminal, 'maker finished after both restarted'),
        taker.waitSwap(swapId, (x) => x.terminal, 'taker finished after both restarted'),
      ]);
      expect([m.outcome, t.outcome]).toEqual(['completed', 'completed']);
    });
    await reconcile(pair, swapId, before);
  });
});
