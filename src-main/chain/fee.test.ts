// Fee rates stay within [max(relay floor, wallet floor), cap] whatever the daemon estimates.
import { describe, expect, it } from 'vitest';
import { clampFeeRate, satPerVbFromCoinPerKvb, type FeeBounds, type FeeSource } from './fee.ts';

const LTC: FeeBounds = { minRelayFeeSatPerVb: 1n, walletMinFeeSatPerVb: 10n, maxFeeSatPerVb: 1000n };
const BTC: FeeBounds = { minRelayFeeSatPerVb: 1n, walletMinFeeSatPerVb: 1n, maxFeeSatPerVb: 1000n };

const CLAMP: { name: string; bounds: FeeBounds; estimate: bigint | undefined; want: bigint; source: FeeSource }[] = [
  {
    name: 'no estimate (regtest, fresh node) gives the floor',
    bounds: LTC,
    estimate: undefined,
    want: 10n,
    source: 'floor',
  },
  {
    name: 'an estimate below the wallet minimum is raised to it',
    bounds: LTC,
    estimate: 3n,
    want: 10n,
    source: 'floor',
  },
  {
    name: 'the floor is the higher of relay and wallet minimum',
    bounds: { ...LTC, minRelayFeeSatPerVb: 20n },
    estimate: 15n,
    want: 20n,
    source: 'floor',
  },
  {
    name: 'an estimate exactly at the floor counts as an estimate',
    bounds: LTC,
    estimate: 10n,
    want: 10n,
    source: 'estimate',
  },
  { name: 'an estimate inside the bounds is used as is', bounds: BTC, estimate: 37n, want: 37n, source: 'estimate' },
  {
    name: 'an estimate exactly at the cap is used as is',
    bounds: BTC,
    estimate: 1000n,
    want: 1000n,
    source: 'estimate',
  },
  { name: 'an absurd estimate is capped', bounds: BTC, estimate: 50_000n, want: 1000n, source: 'cap' },
  {
    name: 'a floor above the cap (bad registry data) never exceeds the cap',
    bounds: { ...BTC, minRelayFeeSatPerVb: 5000n },
    estimate: undefined,
    want: 1000n,
    source: 'cap',
  },
];

describe('clampFeeRate', () => {
  for (const c of CLAMP) {
    it(c.name, () => {
      expect(clampFeeRate(c.estimate, c.bounds)).toEqual({ satPerVb: c.want, source: c.source });
    });
  }
});

describe('satPerVbFromCoinPerKvb', () => {
  const CASES: [number | string, bigint][] = [
    ['0.00010000', 10n], // 10000 sat/kvB
    ['0.00001000', 1n],
    ['0.00001001', 2n], // rounds up: never underpay
    ['0.00000999', 1n],
    [0.0002, 20n], // a plain JSON number works too
    ['0.00000000', 0n],
    ['1.23456789', 123457n],
  ];
  for (const [feerate, want] of CASES) {
    it(`reads ${String(feerate)} coins/kvB as ${want} sat/vB`, () => {
      expect(satPerVbFromCoinPerKvb(feerate, 8)).toBe(want);
    });
  }
});
