import { describe, expect, it } from 'vitest';
import { findCoin } from '../coins/registry.ts';
import { minHtlcAmount, chainParamsOf } from '../swaps/timelock.ts';
import { fillMinimumProblem, minLegAmount, takerFeeProblem } from './minimum.ts';

const DEVA = findCoin('DEVA')!;
const DEVB = findCoin('DEVB')!;
const m = { base: 'DEVA', quote: 'DEVB' };

describe('item 3: one swap minimum', () => {
  it('is the swap engine’s own minimum on each chain (4490 sat on a Litecoin-like chain)', () => {
    expect(minLegAmount(DEVA)).toBe(minHtlcAmount(chainParamsOf(DEVA)));
    expect(minLegAmount(DEVA)).toBe(4490n);
  });
  const cases: Array<[string, bigint, bigint, boolean]> = [
    ['both legs at the minimum', 4490n, 4490n, true],
    ['a base leg above dust but below the minimum', 4000n, 10_000n, false],
    ['a quote leg above dust but below the minimum', 10_000n, 4489n, false],
  ];
  it.each(cases)('%s', (_n, base, quote, ok) => {
    expect(fillMinimumProblem(m, { base: DEVA, quote: DEVB }, base, quote) === null).toBe(ok);
  });
  it('refuses a fill that gives the taker no more than its fee in the same coin', () => {
    const fee = { ticker: 'DEVB', amount: 100_000n };
    // A maker buying base gives the taker quote: 50 000 of DEVB is less than the fee.
    expect(takerFeeProblem(m, 'buy', 200_000n, 50_000n, fee)).toMatch(/not less than/);
    expect(takerFeeProblem(m, 'buy', 200_000n, 100_001n, fee)).toBeNull();
    // A maker selling base gives the taker DEVA; a DEVB fee is checked against the balance instead.
    expect(takerFeeProblem(m, 'sell', 200_000n, 50_000n, fee)).toBeNull();
    expect(takerFeeProblem(m, 'buy', 200_000n, 50_000n, null)).toBeNull();
  });
});
