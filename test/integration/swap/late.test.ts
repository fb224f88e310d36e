// Money paths after a broadcast (issue 9 items 1 and 2), on two real regtest chains with real node
// processes: an RPC error right after the wallet paid the HTLC never ends the swap "failed before
// funding" (the coins would sit in the HTLC with no refund), and a maker that decided to claim,
// crashed, and is back past its claim deadline refunds instead of revealing the secret late.
// Both end with both wallets reconciled to the satoshi.
import { describe, expect, it } from 'vitest';
import { mineTo, withMiner } from '../../support/regtest.ts';
import { balancesOf, reconcile, reconnected, startSwap, usePair } from './harness.ts';

const pair = usePair();

describe('after a broadcast the swap only goes on or refunds', () => {
  it('a funding broadcast followed by an RPC error is never recorded as failed: the swap completes', async () => {
    const { maker, taker, dev } = pair;
    await maker.restart({ rpcErrorAt: 'after-fund-send' });
    await reconnected(pair);
    const before = await balancesOf(maker, taker);
    const { swapId } = await withMiner(dev, async () => {
      const s = await startSwap(pair);
      const m = await maker.waitSwap(s.swapId, (x) => x.terminal, 'maker finished');
      const t = await taker.waitSwap(s.swapId, (x) => x.terminal, 'taker finished');
      expect([m.outcome, t.outcome]).toEqual(['completed', 'completed']);
      // One payment into the HTLC: the retry found the first instead of paying again.
      expect(m.txs.filter((x) => x.kind === 'ownFunding')).toHaveLength(1);
      expect(m.timeline.map((x) => x.state)).not.toContain('failedBeforeFunding');
      return s;
    });
    await reconcile(pair, swapId, before);
    await maker.restart();
    await reconnected(pair);
  }, 600_000);

  it('the maker restarted past its claim deadline refunds instead of claiming; both refund', async () => {
    const { maker, taker, dev } = pair;
    await maker.restart({ crashAt: 'enter:claiming' });
    await reconnected(pair);
    const before = await balancesOf(maker, taker);
    const swapId = await withMiner(dev, async () => {
      const s = await startSwap(pair);
      await maker.exited();
      return s.swapId;
    });
    const t0 = await taker.waitSwap(swapId, (x) => x.state === 'funded', 'taker locked');
    const claimBy = t0.deadlines.find((x) => x.step === 'makerClaimBy')!;
    const takerLock = t0.locks.find((l) => l.side === 'own')!.locktime;
    expect(claimBy.height).toBeLessThan(takerLock);
    // The maker is away until its deadline to claim has passed (the taker's lock still closed).
    await mineTo(dev.DEVB, claimBy.height);
    await maker.start();
    await reconnected(pair);
    await withMiner(dev, async () => {
      const m1 = await maker.waitSwap(swapId, (x) => x.state === 'refunding', 'maker gives the late claim up');
      expect(m1.reason?.code).toBe('claim-too-late');
      await mineTo(dev.DEVB, takerLock);
      const t = await taker.waitSwap(swapId, (x) => x.terminal, 'taker refunded');
      expect(t.outcome).toBe('refunded');
      await mineTo(dev.DEVA, m1.locks.find((l) => l.side === 'own')!.locktime);
      const m = await maker.waitSwap(swapId, (x) => x.terminal, 'maker refunded');
      expect(m.outcome).toBe('refunded');
      // The secret never went out: no claim by anyone.
      expect(m.txs.map((x) => x.kind)).not.toContain('claim');
      expect(t.txs.map((x) => x.kind)).not.toContain('theirClaim');
    });
    await reconcile(pair, swapId, before);
  }, 900_000);
});
