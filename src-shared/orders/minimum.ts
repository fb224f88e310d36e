// The smallest trade the network accepts, in one place: each leg of a fill must be an HTLC the
// swap engine agrees to lock and claim (the engine's own minHtlcAmount: claim-output dust plus
// the claim's fee at the chain's floor rate), and a taker fee paid in the coin the taker
// receives must be less than what the fill gives it (docs/orders.md §3).
import { quoteFor, type Price } from '../money/price.ts';
import { minHtlcAmount } from '../swaps/timelock.ts';
import type { ChainParams } from '../swaps/types.ts';
import type { Side } from './types.ts';

/** What the minimum needs to know about a coin (a registry entry fits). */
export type MinimumCoin = Pick<
  ChainParams,
  'dustP2wpkh' | 'dustP2wsh' | 'minRelayFeeSatPerVb' | 'walletMinFeeSatPerVb'
>;

/** The least amount of `coin` one leg of a swap may carry. */
export function minLegAmount(coin: MinimumCoin): bigint {
  return minHtlcAmount({ ...coin, blockTimeSec: 1 });
}

export type MinimumProblem = { reason: 'dust'; message: string } | null;

/** A fill of `base` at `price` (quote rounded as `round`): both legs at least their coin's minimum. */
export function fillMinimumProblem(
  m: { base: string; quote: string },
  coins: { base: MinimumCoin; quote: MinimumCoin },
  base: bigint,
  quote: bigint,
): MinimumProblem {
  const minBase = minLegAmount(coins.base);
  const minQuote = minLegAmount(coins.quote);
  if (base < minBase)
    return {
      reason: 'dust',
      message: `the smallest fill is below ${minBase} ${m.base} base units, the least a swap can lock`,
    };
  if (quote < minQuote)
    return {
      reason: 'dust',
      message: `the smallest fill pays less than ${minQuote} ${m.quote} base units, the least a swap can lock`,
    };
  return null;
}

/** The quote of an order's smallest fill, rounded against the maker (the least either side moves). */
export const smallestQuote = (p: Price, minBase: bigint): bigint => quoteFor(p, minBase, 'down');

/**
 * A taker fee of `fee` against a fill of `base`/`quote` of an order whose maker is on `makerSide`:
 * refused when it is paid in the coin the taker receives and is not less than what the fill gives.
 */
export function takerFeeProblem(
  m: { base: string; quote: string },
  makerSide: Side,
  base: bigint,
  quote: bigint,
  fee: { ticker: string; amount: bigint } | null,
): string | null {
  if (!fee) return null;
  const [gets, getAmount] = makerSide === 'sell' ? [m.base, base] : [m.quote, quote];
  if (fee.ticker !== gets || fee.amount < getAmount) return null;
  return `the taker fee (${fee.amount} ${fee.ticker} base units) is not less than the ${getAmount} the smallest fill gives the taker`;
}
