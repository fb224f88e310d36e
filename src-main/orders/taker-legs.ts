// What a taker gives and gets for part of an order, and the cap on a taker fee when none is
// configured (docs/orders.md §7). Pure.
import { fillQuote, makerReceivesTicker, makerSellsTicker } from '../../src-shared/orders/order.ts';
import type { Order } from '../../src-shared/orders/types.ts';

/** What the taker gives and gets for `baseAmount` of an order. */
export interface Legs {
  quoteAmount: bigint;
  gives: string;
  giveAmount: bigint;
  gets: string;
  getAmount: bigint;
}

export function legsOf(order: Order, baseAmount: bigint): Legs {
  const quoteAmount = fillQuote(order.price, baseAmount, order.side);
  return {
    quoteAmount,
    gives: makerReceivesTicker(order),
    giveAmount: order.side === 'sell' ? quoteAmount : baseAmount,
    gets: makerSellsTicker(order),
    getAmount: order.side === 'sell' ? baseAmount : quoteAmount,
  };
}

/** Share of a fill a taker fee may take when no cap is configured for its coin: 1 %. */
export const DEFAULT_MAX_FEE_PER_MILLE = 10n;

/**
 * The cap on a taker fee in `ticker` when none is configured (docs/orders.md §7): 1 % of what the
 * fill moves in that coin; null when the fill does not move that coin (then only a configured cap
 * lets the fee be paid), so a bot or a market order never pays whatever a service node asks.
 */
export function defaultMaxFee(
  legs: Pick<Legs, 'gives' | 'giveAmount' | 'gets' | 'getAmount'>,
  ticker: string,
): bigint | null {
  const moved = ticker === legs.gives ? legs.giveAmount : ticker === legs.gets ? legs.getAmount : null;
  return moved === null ? null : (moved * DEFAULT_MAX_FEE_PER_MILLE) / 1000n;
}
