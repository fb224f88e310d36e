// A market's last 24 hours: last price, change against the price 24 hours ago, high, low and
// volume, exact until printed for the API.
import { comparePrice, formatAmount, formatPrice, type Price } from '../money/index.ts';
import type { Trade } from './record.ts';

export const DAY_MS = 86_400_000;

export interface MarketStats {
  /** Latest trade at or before now, whatever its age; null before the first trade. */
  readonly last: Price | null;
  /** The price 24 hours ago: the last trade before the window, else the window's first trade. */
  readonly reference: Price | null;
  readonly high: Price | null;
  readonly low: Price | null;
  readonly volumeBase: bigint;
  readonly volumeQuote: bigint;
  readonly trades: number;
}

function later(a: Trade, b: Trade): boolean {
  return a.time > b.time || (a.time === b.time && a.id > b.id);
}

/** Stats over trades with time in (now − 24 h, now]; trades dated after now are left out. */
export function stats24h(trades: Iterable<Trade>, now: number): MarketStats {
  const start = now - DAY_MS;
  let last: Trade | undefined;
  let before: Trade | undefined;
  let first: Trade | undefined;
  let high: Price | null = null;
  let low: Price | null = null;
  let volumeBase = 0n;
  let volumeQuote = 0n;
  let count = 0;
  for (const t of trades) {
    if (t.time > now) continue;
    if (!last || later(t, last)) last = t;
    if (t.time <= start) {
      if (!before || later(t, before)) before = t;
      continue;
    }
    if (!first || later(first, t)) first = t;
    if (!high || comparePrice(t.price, high) > 0) high = t.price;
    if (!low || comparePrice(t.price, low) < 0) low = t.price;
    volumeBase += t.baseAmount;
    volumeQuote += t.quoteAmount;
    count += 1;
  }
  return {
    last: last?.price ?? null,
    reference: (before ?? first)?.price ?? null,
    high,
    low,
    volumeBase,
    volumeQuote,
    trades: count,
  };
}

export interface ApiMarketStats {
  readonly last: string | null;
  /** last − reference as a signed decimal price, e.g. "-0.0125". */
  readonly change: string | null;
  /** Percent change with two decimals, truncated toward zero, e.g. "-4.76". */
  readonly changePercent: string | null;
  readonly high: string | null;
  readonly low: string | null;
  readonly volumeBase: string;
  readonly volumeQuote: string;
  readonly trades: number;
}

/** Signed last − reference, printed like formatPrice (truncated toward zero). */
function formatChange(last: Price, ref: Price, baseDecimals: number, quoteDecimals: number): string {
  const num = last.num * ref.den - ref.num * last.den;
  const den = last.den * ref.den;
  const abs = formatPrice({ num: num < 0n ? -num : num, den }, baseDecimals, quoteDecimals);
  return num < 0n && abs !== '0' ? `-${abs}` : abs;
}

function formatPercent(last: Price, ref: Price): string {
  const hundredths = ((last.num * ref.den - ref.num * last.den) * 10_000n) / (ref.num * last.den);
  const text = formatAmount(hundredths, 2, { fixed: true });
  return text === '-0.00' ? '0.00' : text;
}

export function statsToApi(s: MarketStats, baseDecimals: number, quoteDecimals: number): ApiMarketStats {
  const p = (x: Price | null) => (x ? formatPrice(x, baseDecimals, quoteDecimals) : null);
  const both = s.last && s.reference ? { last: s.last, ref: s.reference } : null;
  return {
    last: p(s.last),
    change: both ? formatChange(both.last, both.ref, baseDecimals, quoteDecimals) : null,
    changePercent: both ? formatPercent(both.last, both.ref) : null,
    high: p(s.high),
    low: p(s.low),
    volumeBase: formatAmount(s.volumeBase, baseDecimals),
    volumeQuote: formatAmount(s.volumeQuote, quoteDecimals),
    trades: s.trades,
  };
}
