import { describe, expect, it } from 'vitest';
import { mineByOf, REFUND_FEE_WINDOW_BLOCKS, spendFeeRate, worthReplacing } from './fees.ts';
import { claimEffect, refundEffect } from './step.ts';
import { swapDeadlines } from './timelock.ts';
import { seen, setup } from './testkit.ts';

const schedule = { base: 10n, cap: 110n, firstHeight: 100, mineBy: 110 };

describe('fees that rise as the deadline nears (docs/swap.md §8.8)', () => {
  it.each([
    [99, 10n],
    [100, 10n],
    [101, 20n],
    [105, 60n],
    [109, 100n],
    [110, 110n],
    [150, 110n],
  ])('at block %i the rate is %i sat/vB: a straight line from the first rate to the cap at mineBy', (tip, rate) => {
    expect(spendFeeRate(schedule, tip)).toBe(rate);
  });

  it('never exceeds the user cap, even when the first rate was already above it', () => {
    expect(spendFeeRate({ ...schedule, base: 500n }, 101)).toBe(110n);
  });

  it('a replacement must pay at least the relay increment more per vbyte (BIP 125)', () => {
    expect(worthReplacing(10n, 19n, 10n)).toBe(false);
    expect(worthReplacing(10n, 20n, 10n)).toBe(true);
    expect(worthReplacing(10n, 11n, 0n)).toBe(true);
    expect(worthReplacing(10n, 10n, 0n)).toBe(false);
  });

  it("claims race the lock on their chain: the maker's the taker's lock, the taker's the maker's", () => {
    const s = setup();
    const d = swapDeadlines(s);
    const their = seen('takerChain');
    const makerClaim = claimEffect(s, 'maker', their);
    const takerClaim = claimEffect(s, 'taker', seen('makerChain'), '11'.repeat(32));
    if (makerClaim.type !== 'BroadcastClaim' || takerClaim.type !== 'BroadcastClaim') throw new Error('claims');
    expect(mineByOf(makerClaim, 0)).toBe(d.takerRefundAt.height);
    expect(mineByOf(takerClaim, 0)).toBe(d.makerRefundAt.height);
  });

  it('a refund climbs over a slow window from when it was first sent', () => {
    const r = refundEffect(setup(), 'maker', { txid: 'a1'.repeat(32), vout: 0 });
    if (r.type !== 'BroadcastRefund') throw new Error('a refund');
    expect(mineByOf(r, 500)).toBe(500 + REFUND_FEE_WINDOW_BLOCKS);
  });
});
