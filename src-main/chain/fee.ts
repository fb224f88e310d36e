// Fee rates in whole sat/vB: the daemon's estimate, bounded below by what the network relays and
// the wallet accepts, and above by a sanity cap, so a broken estimator can never drain funds.
import { amountFromCoinJson } from '../../src-shared/money/index.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';

export type FeeSource = 'estimate' | 'floor' | 'cap';

export type FeeBounds = Pick<CoinParams, 'minRelayFeeSatPerVb' | 'walletMinFeeSatPerVb' | 'maxFeeSatPerVb'>;

/** estimatesmartfee's `feerate` (coins per 1000 vB) as sat/vB, rounded up so it never underpays. */
export function satPerVbFromCoinPerKvb(feerate: number | string, decimals: number): bigint {
  return satPerVbFromPerKvb(amountFromCoinJson(feerate, decimals));
}

/** Base units per 1000 vB as whole base units per vB, rounded up. */
export function satPerVbFromPerKvb(perKvb: bigint): bigint {
  return perKvb <= 0n ? 0n : (perKvb + 999n) / 1000n;
}

export function clampFeeRate(estimate: bigint | undefined, bounds: FeeBounds): { satPerVb: bigint; source: FeeSource } {
  const floor =
    bounds.minRelayFeeSatPerVb > bounds.walletMinFeeSatPerVb ? bounds.minRelayFeeSatPerVb : bounds.walletMinFeeSatPerVb;
  const cap = bounds.maxFeeSatPerVb;
  if (estimate === undefined || estimate < floor)
    return floor > cap ? { satPerVb: cap, source: 'cap' } : { satPerVb: floor, source: 'floor' };
  if (estimate > cap) return { satPerVb: cap, source: 'cap' };
  return { satPerVb: estimate, source: 'estimate' };
}
