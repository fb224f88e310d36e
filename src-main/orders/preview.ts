// The dry run a user confirms before an order is placed: what it fills against, at which prices,
// what is left over, and the fees and lock times (views.ts feePreview). Reads the book and the
// fee estimates; places nothing.
import type { Result } from '../../src-shared/api/contract.ts';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { fillMinimumProblem, takerFeeProblem } from '../../src-shared/orders/minimum.ts';
import { formatAmount, type Price } from '../../src-shared/money/index.ts';
import { averagePrice, type BookEntry, type SweepPlan } from '../../src-shared/orders/book.ts';
import { fillQuote } from '../../src-shared/orders/order.ts';
import type { Market, Order, Side } from '../../src-shared/orders/types.ts';
import type { WalletService } from '../wallets/index.ts';
import type { Backing } from './backing.ts';
import type { NetworkBook } from './network-book.ts';
import { feePreview, priceText, type Decimals, type FeePreviewT } from './views.ts';

export type Preview = Result<'orders.make'>['preview'];
type TakerFee = { ticker: string; amount: bigint } | null;

export interface PreviewDeps {
  coins: CoinTable;
  wallets: Pick<WalletService, 'isConfigured' | 'feeEstimate'>;
  /** The user's risk setting (least confirmations per coin) as it is now, for the lock times. */
  confirmations: (ticker: string) => number;
  book: Pick<NetworkBook, 'book' | 'find'>;
  /** The fee an order's service node asks of a taker, when known (Taker.feeFor). */
  feeFor: (order: Order) => { ticker: string; amount: bigint } | null;
  /** This node's order key, so a sweep passes its own orders by. */
  myKey: () => string | null;
  /** The taken order's backing coins as this node's daemon sees them now (docs/orders.md §10). */
  backing?: (o: Order) => Promise<Backing>;
}

export interface OrderPreview {
  /** A maker's order at a fixed price (a limit order, or a stop that fires as one). */
  atPrice(m: Market, side: Side, amount: bigint, quoteAmount: bigint, price: Price, partial: boolean): Promise<Preview>;
  /** A market order: the plan that sweeps the book within `cap`, and its preview. */
  sweep(m: Market, side: Side, amount: bigint, cap: Price | null): Promise<{ preview: Preview; plan: SweepPlan }>;
  /** Taking `amount` of one listed order. */
  take(entry: BookEntry, amount: bigint): Promise<Preview>;
}

/** The backing mark of a fill's order; a failed look-up is 'unknown', never a refusal. */
async function backingOf(d: PreviewDeps, o: Order): Promise<{ backing?: Backing }> {
  if (!d.backing) return {};
  try {
    return { backing: await d.backing(o) };
  } catch {
    return { backing: 'unknown' };
  }
}

const sideOpposite = (s: Side): Side => (s === 'buy' ? 'sell' : 'buy');

/** The taker fees of the orders a take fills, summed when they are paid in one coin (else the first coin's). */
export function takerFeeOf(
  orders: readonly Order[],
  feeFor: (o: Order) => { ticker: string; amount: bigint } | null,
): TakerFee {
  let total: TakerFee = null;
  for (const o of orders) {
    const f = feeFor(o);
    if (!f) continue;
    if (!total) total = { ticker: f.ticker, amount: f.amount };
    else if (total.ticker === f.ticker) total.amount += f.amount;
  }
  return total;
}

const decimals = (d: PreviewDeps, m: Market): Decimals => ({
  base: d.coins.decimals(m.base),
  quote: d.coins.decimals(m.quote),
});

/** Today's fee rate on a coin: its wallet's estimate, else the wallet's minimum. */
async function feeRate(d: PreviewDeps, t: string): Promise<bigint> {
  if (!d.wallets.isConfigured(t)) return d.coins.get(t).walletMinFeeSatPerVb;
  try {
    return BigInt((await d.wallets.feeEstimate(t, 2)).satPerVb);
  } catch {
    return d.coins.get(t).walletMinFeeSatPerVb;
  }
}

/** Fees and lock times of a trade on `m` in which the maker sells `makerSide`; this node is `role`. */
function fees(
  d: PreviewDeps,
  m: Market,
  makerSide: Side,
  role: 'maker' | 'taker',
  takerFee: TakerFee,
  shape: { fills?: number; partial?: boolean } = {},
): Promise<FeePreviewT> {
  const sells = makerSide === 'sell' ? m.base : m.quote;
  const receives = makerSide === 'sell' ? m.quote : m.base;
  return feePreview({
    makerSells: d.coins.get(sells),
    makerReceives: d.coins.get(receives),
    role,
    feeRate: (t) => feeRate(d, t),
    takerFee,
    confirmations: d.confirmations,
    ...shape,
  });
}

/** A maker's order at a fixed price (a limit order, or a stop that fires as one). */
async function atPrice(
  d: PreviewDeps,
  m: Market,
  side: Side,
  amount: bigint,
  quoteAmount: bigint,
  price: Price,
  partial: boolean,
): Promise<Preview> {
  const dec = decimals(d, m);
  return {
    fills: [],
    baseAmount: formatAmount(amount, dec.base),
    quoteAmount: formatAmount(quoteAmount, dec.quote),
    averagePrice: priceText(price, dec),
    unfilled: '0',
    fees: await fees(d, m, side, 'maker', null, { partial }),
  };
}

/** A market order: the plan that sweeps the book within `cap`, and its preview. */
async function sweep(
  d: PreviewDeps,
  m: Market,
  side: Side,
  amount: bigint,
  cap: Price | null,
): Promise<{ preview: Preview; plan: SweepPlan }> {
  const plan = d.book.book(m)!.sweep(side, amount, cap, { excludeMaker: d.myKey() ?? undefined });
  const dec = decimals(d, m);
  const orders = plan.fills.map((f) => d.book.find(f.orderId)!.order);
  plan.fills.forEach((f, i) => requireSwappable(d, orders[i]!, f.baseAmount, f.quoteAmount));
  const marks = await Promise.all(orders.map((o) => backingOf(d, o)));
  const preview: Preview = {
    fills: plan.fills.map((f, i) => ({
      orderId: f.orderId,
      baseAmount: formatAmount(f.baseAmount, dec.base),
      quoteAmount: formatAmount(f.quoteAmount, dec.quote),
      price: priceText(f.price, dec),
      ...marks[i],
    })),
    baseAmount: formatAmount(plan.baseFilled, dec.base),
    quoteAmount: formatAmount(plan.quoteTotal, dec.quote),
    averagePrice: plan.baseFilled > 0n ? priceText(averagePrice(plan), dec) : null,
    unfilled: formatAmount(plan.leftoverBase, dec.base),
    fees: await fees(d, m, sideOpposite(side), 'taker', takerFeeOf(orders, d.feeFor), { fills: plan.fills.length }),
  };
  return { preview, plan };
}

/** A fill the swap could not carry, or whose fee is more than it gives, is refused before anything is sent. */
function requireSwappable(d: PreviewDeps, o: Order, base: bigint, quote: bigint): void {
  const m = o.market;
  const small = fillMinimumProblem(m, { base: d.coins.get(m.base), quote: d.coins.get(m.quote) }, base, quote);
  if (small) throw new ApiError('INVALID_PARAMS', `This fill cannot be swapped: ${small.message}.`);
  const fee = takerFeeProblem(m, o.side, base, quote, d.feeFor(o));
  if (fee) throw new ApiError('INVALID_PARAMS', `This fill is not worth its fee: ${fee}.`);
}

/** Taking `amount` of one listed order. */
async function take(d: PreviewDeps, entry: BookEntry, amount: bigint): Promise<Preview> {
  const o = entry.order;
  const dec = decimals(d, o.market);
  const quote = fillQuote(o.price, amount, o.side);
  requireSwappable(d, o, amount, quote);
  return {
    fills: [
      {
        orderId: o.id,
        baseAmount: formatAmount(amount, dec.base),
        quoteAmount: formatAmount(quote, dec.quote),
        price: priceText(o.price, dec),
        ...(await backingOf(d, o)),
      },
    ],
    baseAmount: formatAmount(amount, dec.base),
    quoteAmount: formatAmount(quote, dec.quote),
    averagePrice: priceText(o.price, dec),
    unfilled: '0',
    fees: await fees(d, o.market, o.side, 'taker', takerFeeOf([o], d.feeFor)),
  };
}

export function createOrderPreview(d: PreviewDeps): OrderPreview {
  return {
    atPrice: (m, side, amount, quoteAmount, price, partial) => atPrice(d, m, side, amount, quoteAmount, price, partial),
    sweep: (m, side, amount, cap) => sweep(d, m, side, amount, cap),
    take: (entry, amount) => take(d, entry, amount),
  };
}
