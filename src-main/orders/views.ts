// The order network as the API shows it (src-shared/api/order-schemas.ts): network orders, this
// node's own orders, book levels, and the fee preview a user sees before confirming. Exact
// amounts and prices inside; decimal strings only here, at the edge.
import type { FeePreview, OrderView } from '../../src-shared/api/order-schemas.ts';
import type { z } from 'zod';
import type { OrderBookView } from '../../src-shared/api/order-schemas.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { formatAmount, formatPrice, quoteFor, type Price } from '../../src-shared/money/index.ts';
import type { BookEntry, OrderBook } from '../../src-shared/orders/book.ts';
import type { Order, Side } from '../../src-shared/orders/types.ts';
import type { OrderState } from '../../src-shared/orders/types.ts';
import { chainParamsOf, proposeLocktimes, timelockPolicyFor } from '../../src-shared/swaps/timelock.ts';

export type OrderViewT = z.infer<typeof OrderView>;
export type FeePreviewT = z.infer<typeof FeePreview>;
export type BookViewT = z.infer<typeof OrderBookView>;

export interface Decimals {
  readonly base: number;
  readonly quote: number;
}

export const priceText = (p: Price | null, dec: Decimals): string => (p ? formatPrice(p, dec.base, dec.quote) : '0');

/** Which verified identity speaks for a maker's order key (none when the maker shows none). */
export type MakerIdentityOf = (orderKeyHex: string, peerId: string) => OrderViewT['makerIdentity'];

/** A listed order of the network book. */
/** The unconfirmed-backing mark of a listed order, as this node last saw its coins. */
export type BackingOfOrder = (o: Order) => NonNullable<OrderViewT['backing']>;

export function networkOrderView(
  e: BookEntry,
  dec: Decimals,
  mine: boolean,
  identityOf?: MakerIdentityOf,
  backingOf?: BackingOfOrder,
): OrderViewT {
  const o = e.order;
  const makerIdentity = identityOf?.(o.maker.pubkey, o.maker.peerId);
  const backing = backingOf?.(o);
  return {
    id: o.id,
    base: o.market.base,
    quote: o.market.quote,
    side: o.side,
    kind: 'limit',
    state: 'open',
    price: priceText(o.price, dec),
    baseAmount: formatAmount(o.baseAmount, dec.base),
    quoteAmount: formatAmount(o.quoteAmount, dec.quote),
    filledBase: formatAmount(o.baseAmount - e.remainingBase, dec.base),
    remainingBase: formatAmount(e.remainingBase, dec.base),
    partial: { allowed: o.partial.allowed, minBase: formatAmount(o.partial.minBase, dec.base) },
    mine,
    makerPeerId: o.maker.peerId,
    ...(makerIdentity ? { makerIdentity } : {}),
    serviceNode: o.serviceNode.pubkey,
    swapIds: [],
    createdAt: o.createdAt,
    updatedAt: e.lastSeenAt,
    expiresAt: o.expiresAt,
    ...(backing ? { backing } : {}),
  };
}

/** One price level (or, at detail 3, one order) of a book side. */
function level(price: Price, amount: bigint, cumulative: bigint, count: number, mine: boolean, dec: Decimals) {
  return {
    price: priceText(price, dec),
    amount: formatAmount(amount, dec.base),
    total: formatAmount(quoteFor(price, amount, 'down'), dec.quote),
    cumulative: formatAmount(cumulative, dec.base),
    count,
    mine,
  };
}

export function bookView(
  book: OrderBook,
  detail: 1 | 2 | 3,
  depth: number,
  dec: Decimals,
  myKey: string | null,
  now: number,
  identityOf?: MakerIdentityOf,
  backingOf?: BackingOfOrder,
): BookViewT {
  const side = (s: Side) => {
    const entries = book.list(s);
    const mineAt = (p: Price) =>
      entries.some((e) => e.order.maker.pubkey === myKey && e.order.price.num * p.den === p.num * e.order.price.den);
    return book
      .depth(s, detail === 1 ? 1 : depth)
      .map((l) => level(l.price, l.baseAmount, l.cumulativeBase, l.orders, mineAt(l.price), dec));
  };
  const view: BookViewT = {
    base: book.market.base,
    quote: book.market.quote,
    detail,
    asks: side('sell'),
    bids: side('buy'),
    updatedAt: now,
  };
  if (detail === 3) {
    view.orders = [...book.list('sell'), ...book.list('buy')]
      .slice(0, depth * 2)
      .map((e) => networkOrderView(e, dec, e.order.maker.pubkey === myKey, identityOf, backingOf));
  }
  return view;
}

/** Typical sizes: a wallet payment into an HTLC, an HTLC claim (docs/swap.md), the taker-fee payment (fee + OP_RETURN + change). */
const FUNDING_VBYTES = 200n;
const CLAIM_VBYTES = 155n;
const FEE_PAYMENT_VBYTES = 200n;

export interface PreviewInput {
  readonly makerSells: CoinParams;
  readonly makerReceives: CoinParams;
  readonly role: 'maker' | 'taker';
  readonly feeRate: (ticker: string) => Promise<bigint>;
  /** The whole taker fee: one per order taken. */
  readonly takerFee: { ticker: string; amount: bigint } | null;
  readonly confirmations: (ticker: string) => number;
  /** Orders a taker takes (each its own swap, each with its own transactions); default 1. */
  readonly fills?: number;
  /** A maker's order that may fill in parts: every fill is a swap of its own. */
  readonly partial?: boolean;
}

/**
 * What a trade will cost besides the price, and how long coins can be locked if it goes wrong.
 * The taker fee is exact; network fees are estimates at today's rate for typical transaction
 * sizes, one set per swap (a taker's fee payment included), and say so.
 */
export async function feePreview(i: PreviewInput): Promise<FeePreviewT> {
  const mine =
    i.role === 'maker'
      ? { sells: i.makerSells, buys: i.makerReceives }
      : { sells: i.makerReceives, buys: i.makerSells };
  const swaps = BigInt(Math.max(1, i.fills ?? 1));
  const lockFee = (await i.feeRate(mine.sells.ticker)) * FUNDING_VBYTES * swaps;
  const claimFee = (await i.feeRate(mine.buys.ticker)) * CLAIM_VBYTES * swaps;
  const network = i.makerSells.network;
  const locks = proposeLocktimes({
    chains: { makerChain: chainParamsOf(i.makerSells), takerChain: chainParamsOf(i.makerReceives) },
    confirmations: {
      makerChain: i.confirmations(i.makerSells.ticker),
      takerChain: i.confirmations(i.makerReceives.ticker),
    },
    heights: { makerChain: 0, takerChain: 0 },
    policy: timelockPolicyFor(network),
  });
  const minutes = (blocks: number, c: CoinParams) => Math.ceil((blocks * c.blockTimeSec) / 60);
  const ownLock =
    i.role === 'maker'
      ? { blocks: locks.makerChain, coin: i.makerSells }
      : { blocks: locks.takerChain, coin: i.makerReceives };
  const coinOf = (ticker: string) => (ticker === i.makerSells.ticker ? i.makerSells : i.makerReceives);
  const feeText = (t: { ticker: string; amount: bigint }) => formatAmount(t.amount, coinOf(t.ticker).decimals);
  const count = swaps > 1n ? ` in ${swaps} swaps` : '';
  const about = i.role === 'maker' && i.partial ? '(about, per fill)' : '(about)';
  const networkFees = [
    {
      ticker: mine.sells.ticker,
      amount: formatAmount(lockFee, mine.sells.decimals),
      what: `locking your coins${count} ${about}`,
    },
    {
      ticker: mine.buys.ticker,
      amount: formatAmount(claimFee, mine.buys.decimals),
      what: `claiming the other side's coins${count} ${about}`,
    },
  ];
  if (i.role === 'taker' && i.takerFee) {
    const payment = (await i.feeRate(i.takerFee.ticker)) * FEE_PAYMENT_VBYTES * swaps;
    networkFees.push({
      ticker: i.takerFee.ticker,
      amount: formatAmount(payment, coinOf(i.takerFee.ticker).decimals),
      what: `paying the taker fee${swaps > 1n ? ` (${swaps} payments)` : ''} (about)`,
    });
  }
  return {
    takerFee: i.takerFee ? { ticker: i.takerFee.ticker, amount: feeText(i.takerFee) } : null,
    networkFees,
    locks: [
      {
        ticker: i.makerSells.ticker,
        blocks: locks.makerChain,
        approxMinutes: minutes(locks.makerChain, i.makerSells),
        who: 'maker',
      },
      {
        ticker: i.makerReceives.ticker,
        blocks: locks.takerChain,
        approxMinutes: minutes(locks.takerChain, i.makerReceives),
        who: 'taker',
      },
    ],
    ifCounterpartyVanishes: `If the other side disappears after your coins are locked, they come back to you automatically after about ${minutes(ownLock.blocks, ownLock.coin)} minutes (${ownLock.blocks} ${ownLock.coin.ticker} blocks). Nobody else can take them.`,
  };
}

/** Where a fill's swap is, as an order state (the swap's side of the order lifecycle). */
export function swapPhaseToOrderState(role: 'maker' | 'taker', phase: string): OrderState | null {
  switch (phase) {
    case 'new':
    case 'proposed':
    case 'accepted':
      return 'initialized';
    case 'funding':
      return role === 'maker' ? 'initialized' : 'created';
    case 'funded':
      return role === 'maker' ? 'created' : 'committed';
    case 'claiming':
      return 'committed';
    case 'completed':
      return 'finished';
    case 'refunded':
      return 'rolledback';
    case 'lost':
      return 'rollbackFailed';
    case 'failedBeforeFunding':
      return 'canceled';
    default:
      return null; // refunding: still on its way to rolledback
  }
}
