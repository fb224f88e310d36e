// The API's decimal strings turned into an order's exact terms (market, amounts, prices, partial
// fills), with the words a user reads when one is wrong. Nothing here touches the network.
import { ApiError } from '../../src-shared/api/errors.ts';
import type { Params } from '../../src-shared/api/contract.ts';
import { DECIMAL_AMOUNT_DIGITS, fitsDecimalAmount } from '../../src-shared/api/schemas.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import {
  amountError,
  formatAmount,
  parseAmount,
  parsePrice,
  quoteFor,
  type Price,
} from '../../src-shared/money/index.ts';
import { fillMinimumProblem, minLegAmount, smallestQuote } from '../../src-shared/orders/minimum.ts';
import { marketKey } from '../../src-shared/orders/order.ts';
import type { Market } from '../../src-shared/orders/types.ts';
import { errorText } from '../kernel/log.ts';
import type { Decimals } from './views.ts';

export type MakeParams = Params<'orders.make'> & { kind: 'limit' | 'market' | 'stop' };

/** What every kind of order shares, checked in the order a user fixes them. */
export interface OrderTermsParams {
  market: Market;
  dec: Decimals;
  amount: bigint;
  partial: { allowed: boolean; minBase: bigint };
  /** A market order's (or a stop's) price cap; null: none. */
  cap: Price | null;
}

export interface OrderParams {
  /** The market as this node trades it; a flipped pair is explained, not guessed. */
  market(base: string, quote: string): Market;
  decimals(base: string, quote: string): Decimals;
  /** A positive amount of `ticker`; `what` names the field in the error. */
  amount(text: string, ticker: string, what: string): bigint;
  price(text: string, m: Market, what: string): Price;
  /**
   * The quote amount of `amount` base units at `price`, refused (INVALID_PARAMS) when it is too
   * large to be an amount at all (10^30 quote coins or more): every view and preview writes it.
   */
  quote(price: Price, amount: bigint, m: Market, rounding: 'up' | 'down'): bigint;
  terms(p: MakeParams): OrderTermsParams;
  /** Refuses a trade before a wallet on each side of the market is connected. */
  requireWallets(m: Market): void;
  /** Refuses an order whose smallest fill (`minBase` at `price`) is below the swap minimum (docs/orders.md §3). */
  requireSwappable(m: Market, minBase: bigint, price: Price): void;
}

/** The market of base/quote, or why there is none (a flipped pair says which way it is listed). */
function findMarket(markets: readonly Market[], base: string, quote: string): Market {
  const m = markets.find((x) => x.base === base && x.quote === quote);
  if (m) return m;
  const flipped = markets.find((x) => x.base === quote && x.quote === base);
  if (flipped)
    throw new ApiError(
      'INVALID_PARAMS',
      `The market is ${flipped.base}/${flipped.quote}: use base ${flipped.base} and quote ${flipped.quote} (a buy of ${base} is a sell of ${quote}).`,
    );
  throw new ApiError(
    'NOT_FOUND',
    `This node does not trade ${base}/${quote} (it trades ${markets.map(marketKey).join(', ')}).`,
  );
}

export function createOrderParams(d: {
  markets: readonly Market[];
  coins: CoinTable;
  isConfigured: (ticker: string) => boolean;
}): OrderParams {
  const decimals = (base: string, quote: string): Decimals => ({
    base: d.coins.decimals(base),
    quote: d.coins.decimals(quote),
  });

  const market = (base: string, quote: string): Market => findMarket(d.markets, base, quote);

  function amount(text: string, ticker: string, what: string): bigint {
    try {
      const v = parseAmount(text, d.coins.decimals(ticker));
      if (v <= 0n) throw amountError('AMOUNT_NOT_POSITIVE', 'must be more than 0');
      return v;
    } catch (err) {
      throw new ApiError('INVALID_PARAMS', `${what} "${text}" is not a ${ticker} amount: ${errorText(err)}`);
    }
  }

  function price(text: string, m: Market, what: string): Price {
    const dec = decimals(m.base, m.quote);
    try {
      return parsePrice(text, dec.base, dec.quote);
    } catch (err) {
      throw new ApiError(
        'INVALID_PARAMS',
        `${what} "${text}" is not a price in ${m.quote} per ${m.base}: ${errorText(err)}`,
      );
    }
  }

  function quote(p: Price, amount: bigint, m: Market, rounding: 'up' | 'down'): bigint {
    const q = quoteFor(p, amount, rounding);
    if (!fitsDecimalAmount(q, d.coins.decimals(m.quote)))
      throw new ApiError(
        'INVALID_PARAMS',
        `amount × price is too large: the order would move 10^${DECIMAL_AMOUNT_DIGITS} ${m.quote} or more, beyond any amount. Lower the amount or the price.`,
      );
    return q;
  }

  function terms(p: MakeParams): OrderTermsParams {
    const m = market(p.base, p.quote);
    const dec = decimals(m.base, m.quote);
    const total = amount(p.amount, m.base, 'amount');
    const minBase = p.minAmount !== undefined ? amount(p.minAmount, m.base, 'minAmount') : null;
    if (minBase !== null && minBase > total)
      throw new ApiError('INVALID_PARAMS', 'minAmount must not be more than amount.');
    const partial =
      minBase !== null && minBase < total ? { allowed: true, minBase } : { allowed: false, minBase: total };
    const cap = p.priceCap !== undefined ? price(p.priceCap, m, 'priceCap') : null;
    return { market: m, dec, amount: total, partial, cap };
  }

  function requireWallets(m: Market): void {
    for (const t of [m.base, m.quote]) {
      if (!d.isConfigured(t))
        throw new ApiError(
          'WALLET_NOT_CONFIGURED',
          `Connect a ${t} wallet first: a trade of ${m.base}/${m.quote} needs both.`,
        );
    }
  }

  function requireSwappable(m: Market, minBase: bigint, p: Price): void {
    const coins = { base: d.coins.get(m.base), quote: d.coins.get(m.quote) };
    const problem = fillMinimumProblem(m, coins, minBase, smallestQuote(p, minBase));
    if (!problem) return;
    const least = (t: string) => `${formatAmount(minLegAmount(d.coins.get(t)), d.coins.decimals(t))} ${t}`;
    throw new ApiError(
      'INVALID_PARAMS',
      `The order is too small to swap: ${problem.message} (each fill must move at least ${least(m.base)} and ${least(m.quote)}).`,
    );
  }

  return { market, decimals, amount, price, quote, terms, requireWallets, requireSwappable };
}
