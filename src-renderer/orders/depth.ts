// The order book as drawn: price levels grouped into coarser steps (exactly, on decimal
// strings), capped to what fits on screen, and the cumulative depth curve for the depth chart.
// Bids are grouped down and asks up, so a grouped level never shows a better price than exists.
import type { Result } from '../../src-shared/api/contract.ts';
import { chartNumber, decimalUnits, powerOfTen, unitsDecimal } from '../format/decimal.ts';

export type BookLevel = Result<'orders.book'>['asks'][number];
export type BookSide = 'ask' | 'bid';

/** Best first: asks by rising price, bids by falling price. */
export function sortBestFirst(levels: readonly BookLevel[], side: BookSide): BookLevel[] {
  const keyed = levels.map((l) => ({ l, p: decimalUnits(l.price) }));
  keyed.sort((a, b) => (a.p === b.p ? 0 : a.p < b.p === (side === 'ask') ? -1 : 1));
  return keyed.map((k) => k.l);
}

/**
 * Levels merged into price buckets of `step` (a decimal string such as "0.001"); null keeps the
 * node's levels. Amounts, totals and counts are summed exactly, cumulative is recomputed best
 * first, and a bucket is `mine` when any of its levels is.
 */
export function groupLevels(levels: readonly BookLevel[], step: string | null, side: BookSide): BookLevel[] {
  const sorted = sortBestFirst(levels, side);
  const s = step === null ? null : decimalUnits(step);
  if (s !== null && s <= 0n) throw new RangeError('grouping step must be positive');
  const out: Array<{ price: bigint; text: string; amount: bigint; total: bigint; count: number; mine: boolean }> = [];
  for (const l of sorted) {
    const p = decimalUnits(l.price);
    let bucket = p;
    if (s !== null) {
      const floor = (p / s) * s;
      bucket = side === 'bid' || floor === p ? floor : floor + s;
    }
    const last = out[out.length - 1];
    if (last && last.price === bucket) {
      last.amount += decimalUnits(l.amount);
      last.total += decimalUnits(l.total);
      last.count += l.count;
      last.mine ||= l.mine;
    } else {
      // Without a step the node's own price text is kept ("0.2600" stays as sent).
      out.push({
        price: bucket,
        text: s === null ? l.price : unitsDecimal(bucket),
        amount: decimalUnits(l.amount),
        total: decimalUnits(l.total),
        count: l.count,
        mine: l.mine,
      });
    }
  }
  // Recomputed even without a step, so cumulative always runs over exactly the levels shown.
  let cumulative = 0n;
  return out.map((b) => {
    cumulative += b.amount;
    return {
      price: b.text,
      amount: unitsDecimal(b.amount),
      total: unitsDecimal(b.total),
      cumulative: unitsDecimal(cumulative),
      count: b.count,
      mine: b.mine,
    };
  });
}

/**
 * Grouping steps worth offering around a price: 1/10000, 1/1000 and 1/100 of its order of
 * magnitude, leaving out steps no coarser than the quote coin's smallest unit (no grouping).
 */
export function groupingSteps(referencePrice: string | null, quoteDecimals: number): string[] {
  if (referencePrice === null) return [];
  const digits = Math.floor(Math.log10(chartNumber(referencePrice)));
  if (!Number.isFinite(digits)) return [];
  return [digits - 4, digits - 3, digits - 2].filter((k) => k > -quoteDecimals).map(powerOfTen);
}

/** Best ask − best bid, exactly; null while either side is empty or the book is crossed. */
export function spreadOf(asks: readonly BookLevel[], bids: readonly BookLevel[]): string | null {
  const ask = asks[0];
  const bid = bids[0];
  if (!ask || !bid) return null;
  const d = decimalUnits(ask.price) - decimalUnits(bid.price);
  return d >= 0n ? unitsDecimal(d) : null;
}

export interface DepthPoint {
  price: number;
  cumulative: number;
}

/** The depth curve of one side, best first, as chart coordinates (display only). */
export function depthCurve(levels: readonly BookLevel[], side: BookSide): DepthPoint[] {
  let cumulative = 0n;
  return sortBestFirst(levels, side).map((l) => {
    cumulative += decimalUnits(l.amount);
    return { price: chartNumber(l.price), cumulative: chartNumber(unitsDecimal(cumulative)) };
  });
}

/** The largest cumulative amount among the levels drawn, for scaling depth bars. */
export function maxCumulative(...sides: ReadonlyArray<readonly BookLevel[]>): number {
  let max = 0;
  for (const side of sides) {
    const last = side[side.length - 1];
    if (last) max = Math.max(max, chartNumber(last.cumulative));
  }
  return max;
}

type BookOrder = NonNullable<Result<'orders.book'>['orders']>[number];

/** One side's orders (maker side 'sell' = asks), best price first, then oldest first (time priority). */
export function ordersBestFirst(orders: readonly BookOrder[], makerSide: 'sell' | 'buy'): BookOrder[] {
  const keyed = orders.filter((o) => o.side === makerSide).map((o) => ({ o, p: decimalUnits(o.price) }));
  keyed.sort((a, b) => {
    if (a.p !== b.p) return a.p < b.p === (makerSide === 'sell') ? -1 : 1;
    return a.o.createdAt - b.o.createdAt;
  });
  return keyed.map((k) => k.o);
}

export interface DepthFrame {
  /** Price range drawn (x), from the deepest bid to the deepest ask shown. */
  minPrice: number;
  maxPrice: number;
  /** Largest cumulative amount (y), with headroom. */
  maxAmount: number;
  bids: DepthPoint[];
  asks: DepthPoint[];
}

/**
 * What the depth chart draws: both curves, cut to a price window centred on the mid price so
 * one far-away order cannot squash the interesting part (the window is as wide as the nearer
 * side's deepest level, at least 2 % of the mid price either way).
 */
export function depthFrame(asks: readonly BookLevel[], bids: readonly BookLevel[]): DepthFrame | null {
  const a = depthCurve(asks, 'ask');
  const b = depthCurve(bids, 'bid');
  const bestAsk = a[0]?.price;
  const bestBid = b[0]?.price;
  if (bestAsk === undefined && bestBid === undefined) return null;
  const mid = bestAsk !== undefined && bestBid !== undefined ? (bestAsk + bestBid) / 2 : (bestAsk ?? bestBid ?? 0);
  const reachAsk = a.length ? (a[a.length - 1]?.price ?? mid) - mid : 0;
  const reachBid = b.length ? mid - (b[b.length - 1]?.price ?? mid) : 0;
  const nearer = a.length && b.length ? Math.min(reachAsk, reachBid) : Math.max(reachAsk, reachBid);
  const half = Math.max(nearer, mid * 0.02);
  const minPrice = mid - half;
  const maxPrice = mid + half;
  const inside = (p: DepthPoint) => p.price >= minPrice && p.price <= maxPrice;
  const bidsIn = b.filter(inside);
  const asksIn = a.filter(inside);
  const top = Math.max(bidsIn[bidsIn.length - 1]?.cumulative ?? 0, asksIn[asksIn.length - 1]?.cumulative ?? 0);
  return { minPrice, maxPrice, maxAmount: top > 0 ? top * 1.1 : 1, bids: bidsIn, asks: asksIn };
}
