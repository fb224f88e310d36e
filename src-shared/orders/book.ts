// One market's order book: signed orders kept in price-time priority (price, then the maker's
// createdAt, then id, so every node orders the same orders the same way), with what a taker needs:
// best prices, depth, a sweep plan for market orders, and expiry. Pure: time is passed in.
import { CodedError } from '../errors.ts';
import { comparePrice, price as makePrice, type Price } from '../money/price.ts';
import { fillQuote, largestFillUpTo, marketKey, withinCap } from './order.ts';
import type { Fill, Market, Order, Side } from './types.ts';

/** A book operation the caller should not have asked for (wrong market, unknown id, bad amount). */
const bookError = (message: string) => new CodedError('BOOK_REFUSED', message);

export interface BookEntry {
  readonly order: Order;
  /** Base units still available; shrinks with each partial hold. */
  readonly remainingBase: bigint;
  /** When this node last heard from the maker about the order (announce or keepalive). */
  readonly lastSeenAt: number;
}

interface MutableEntry {
  order: Order;
  remainingBase: bigint;
  lastSeenAt: number;
}

export interface DepthLevel {
  readonly price: Price;
  /** Remaining base units of all orders at this price. */
  readonly baseAmount: bigint;
  /** Base units at this level and all better ones. */
  readonly cumulativeBase: bigint;
  readonly orders: number;
}

export interface SweepPlan {
  readonly fills: readonly Fill[];
  readonly baseFilled: bigint;
  readonly quoteTotal: bigint;
  /** Base units of the request no order within the cap could take. */
  readonly leftoverBase: bigint;
}

export interface OrderBookOptions {
  /** An order whose maker has been silent this long is dropped as offline. Default 90 s. */
  offlineAfterMs?: number;
}

export const DEFAULT_OFFLINE_AFTER_MS = 90_000;

function compareTime(a: MutableEntry, b: MutableEntry): number {
  if (a.order.createdAt !== b.order.createdAt) return a.order.createdAt < b.order.createdAt ? -1 : 1;
  return a.order.id < b.order.id ? -1 : a.order.id > b.order.id ? 1 : 0;
}
// Asks: cheapest first. Bids: dearest first. Earlier orders first at equal prices.
const compareAsks = (a: MutableEntry, b: MutableEntry): number =>
  comparePrice(a.order.price, b.order.price) || compareTime(a, b);
const compareBids = (a: MutableEntry, b: MutableEntry): number =>
  comparePrice(b.order.price, a.order.price) || compareTime(a, b);

/** Index of the first element not before `x` (binary search). */
function lowerBound(list: MutableEntry[], x: MutableEntry, cmp: (a: MutableEntry, b: MutableEntry) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(list[mid]!, x) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function view(e: MutableEntry): BookEntry {
  return { order: e.order, remainingBase: e.remainingBase, lastSeenAt: e.lastSeenAt };
}

export class OrderBook {
  readonly market: Market;
  readonly offlineAfterMs: number;
  // Sorted arrays: binary search finds a place in O(log n); the splice moves pointers, which at
  // book sizes (10^4) costs microseconds and keeps iteration in priority order free.
  readonly #asks: MutableEntry[] = [];
  readonly #bids: MutableEntry[] = [];
  readonly #byId = new Map<string, MutableEntry>();

  constructor(market: Market, options: OrderBookOptions = {}) {
    this.market = { base: market.base, quote: market.quote };
    this.offlineAfterMs = options.offlineAfterMs ?? DEFAULT_OFFLINE_AFTER_MS;
  }

  get size(): number {
    return this.#byId.size;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  get(id: string): BookEntry | undefined {
    const e = this.#byId.get(id);
    return e && view(e);
  }

  #side(side: Side): { list: MutableEntry[]; cmp: (a: MutableEntry, b: MutableEntry) => number } {
    return side === 'sell' ? { list: this.#asks, cmp: compareAsks } : { list: this.#bids, cmp: compareBids };
  }

  /**
   * Lists a signed order (validated by the caller). Returns false, and only refreshes its
   * last-seen time, when the order is already listed. `remainingBase` is for orders learnt from a
   * snapshot that were already partly held.
   */
  add(order: Order, now: number, remainingBase: bigint = order.baseAmount): boolean {
    if (order.market.base !== this.market.base || order.market.quote !== this.market.quote) {
      throw bookError(`order ${order.id} is for ${marketKey(order.market)}, not ${marketKey(this.market)}`);
    }
    if (remainingBase <= 0n || remainingBase > order.baseAmount)
      throw bookError(`remaining amount of order ${order.id} is out of range`);
    const existing = this.#byId.get(order.id);
    if (existing) {
      existing.lastSeenAt = Math.max(existing.lastSeenAt, now);
      return false;
    }
    const entry: MutableEntry = { order, remainingBase, lastSeenAt: now };
    const { list, cmp } = this.#side(order.side);
    list.splice(lowerBound(list, entry, cmp), 0, entry);
    this.#byId.set(order.id, entry);
    return true;
  }

  /** Removes an order; returns what was listed, or undefined when it was not. */
  remove(id: string): BookEntry | undefined {
    const e = this.#byId.get(id);
    if (!e) return undefined;
    const { list, cmp } = this.#side(e.order.side);
    const i = lowerBound(list, e, cmp);
    if (list[i] !== e) throw bookError(`book index lost order ${id}`);
    list.splice(i, 1);
    this.#byId.delete(id);
    return view(e);
  }

  /** A maker's new order takes the place of an old one of theirs (e.g. a new price), atomically. */
  replace(oldId: string, order: Order, now: number): void {
    const old = this.#byId.get(oldId);
    if (!old) throw bookError(`order ${oldId} is not listed`);
    if (old.order.maker.pubkey !== order.maker.pubkey) throw bookError('only the same maker can replace an order');
    if (this.#byId.has(order.id)) throw bookError(`order ${order.id} is already listed`);
    this.add(order, now); // checks market and amounts before the old order goes
    this.remove(oldId);
  }

  /**
   * Applies a partial hold: the order keeps its place in the queue with less left. A remainder of
   * zero removes it. Returns the entry after the change, or undefined when the order is gone.
   */
  shrink(id: string, remainingBase: bigint): BookEntry | undefined {
    const e = this.#byId.get(id);
    if (!e) return undefined;
    if (remainingBase < 0n || remainingBase >= e.remainingBase)
      throw bookError(`a hold must leave less than the ${e.remainingBase} remaining`);
    if (remainingBase === 0n) {
      this.remove(id);
      return undefined;
    }
    e.remainingBase = remainingBase;
    return view(e);
  }

  /** A keepalive: the maker is still there. Returns false when the order is not listed. */
  touch(id: string, now: number): boolean {
    const e = this.#byId.get(id);
    if (!e) return false;
    e.lastSeenAt = Math.max(e.lastSeenAt, now);
    return true;
  }

  bestBid(): BookEntry | undefined {
    const e = this.#bids[0];
    return e && view(e);
  }

  bestAsk(): BookEntry | undefined {
    const e = this.#asks[0];
    return e && view(e);
  }

  /** Every listed order of one maker side ('sell' = asks, 'buy' = bids), best first. */
  list(side: Side): BookEntry[] {
    return this.#side(side).list.map(view);
  }

  /** Price levels, best first, each with its total and the running total from the best price. */
  depth(side: Side, maxLevels = Number.POSITIVE_INFINITY): DepthLevel[] {
    const levels: DepthLevel[] = [];
    let cumulative = 0n;
    let current: { price: Price; baseAmount: bigint; orders: number } | undefined;
    const flush = () => {
      if (!current) return;
      cumulative += current.baseAmount;
      levels.push({ ...current, cumulativeBase: cumulative });
    };
    for (const e of this.#side(side).list) {
      if (current && comparePrice(current.price, e.order.price) === 0) {
        current.baseAmount += e.remainingBase;
        current.orders += 1;
        continue;
      }
      flush();
      if (levels.length >= maxLevels) return levels;
      current = { price: e.order.price, baseAmount: e.remainingBase, orders: 1 };
    }
    flush();
    return levels.slice(0, maxLevels);
  }

  /** Whether a maker order on `side` at `p` would meet the other side (a buy at or above the best ask, or a sell at or below the best bid). */
  crosses(side: Side, p: Price): boolean {
    const other = side === 'sell' ? this.#bids[0] : this.#asks[0];
    if (!other) return false;
    const c = comparePrice(p, other.order.price);
    return side === 'sell' ? c <= 0 : c >= 0;
  }

  /** Whether the best bid is at or above the best ask (possible: nothing matches automatically). */
  isCrossed(): boolean {
    const bid = this.#bids[0];
    const ask = this.#asks[0];
    return !!bid && !!ask && comparePrice(bid.order.price, ask.order.price) >= 0;
  }

  /**
   * Plan for a taker's market order: take `baseAmount` from the best orders on the other side,
   * none beyond `priceCap` (null: no cap), respecting each order's partial minimum (an order that
   * cannot give a valid fill is skipped). Quotes are rounded in each maker's favour. The book is
   * not changed: fills happen when service nodes hold them.
   */
  sweep(
    takerSide: Side,
    baseAmount: bigint,
    priceCap: Price | null,
    options: { excludeMaker?: string; maxFills?: number } = {},
  ): SweepPlan {
    if (baseAmount <= 0n) throw bookError('a market order needs a positive amount');
    const maxFills = options.maxFills ?? 20;
    const makerSide: Side = takerSide === 'buy' ? 'sell' : 'buy';
    const fills: Fill[] = [];
    let need = baseAmount;
    let quoteTotal = 0n;
    for (const e of this.#side(makerSide).list) {
      if (need === 0n || fills.length >= maxFills) break;
      if (priceCap && !withinCap(e.order.price, makerSide, priceCap)) break;
      if (e.order.maker.pubkey === options.excludeMaker) continue;
      const take = largestFillUpTo(e.order.partial, e.remainingBase, need);
      if (take === 0n) continue;
      const quote = fillQuote(e.order.price, take, makerSide);
      fills.push({ orderId: e.order.id, price: e.order.price, baseAmount: take, quoteAmount: quote });
      need -= take;
      quoteTotal += quote;
    }
    return { fills, baseFilled: baseAmount - need, quoteTotal, leftoverBase: need };
  }

  /**
   * Drops orders past their expiry and orders whose maker went silent; returns what was dropped
   * and why, so the caller can record the state ('expired' or 'offline') of each.
   */
  expire(now: number): Array<{ id: string; reason: 'expired' | 'offline' }> {
    const dropped: Array<{ id: string; reason: 'expired' | 'offline' }> = [];
    for (const e of this.#byId.values()) {
      if (e.order.expiresAt <= now) dropped.push({ id: e.order.id, reason: 'expired' });
      else if (now - e.lastSeenAt >= this.offlineAfterMs) dropped.push({ id: e.order.id, reason: 'offline' });
    }
    if (dropped.length > 0) {
      const gone = new Set(dropped.map((d) => d.id));
      for (const id of gone) this.#byId.delete(id);
      for (const list of [this.#asks, this.#bids]) {
        let w = 0;
        for (const e of list) if (!gone.has(e.order.id)) list[w++] = e;
        list.length = w;
      }
    }
    return dropped;
  }
}

/** The average price of a plan (total quote / total base), or null when nothing fills. */
export function averagePrice(plan: SweepPlan): Price | null {
  return plan.baseFilled > 0n ? makePrice(plan.quoteTotal, plan.baseFilled) : null;
}
