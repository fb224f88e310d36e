// Candles from the trade history, for the price chart: the node's candles (decimal strings,
// open time in ms) mapped to chart bars (seconds, floats for drawing only); new trades folded
// into the cached candles exactly; and which bars changed, so the chart updates only the tail.
import type { Result } from '../../src-shared/api/contract.ts';
import { candleOpenTime, type CandleInterval } from '../../src-shared/history/candles.ts';
import { addDecimal, chartNumber, compareDecimal } from '../format/decimal.ts';

export type CandleView = Result<'history.candles'>['candles'][number];
export type TradeView = Result<'history.fills'>[number];

export interface CandleBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}
export interface VolumeBar {
  time: number;
  value: number;
  up: boolean;
}

/** One candle as chart bars: time in whole seconds (what lightweight-charts expects). */
export function candleBar(c: CandleView): CandleBar {
  return {
    time: Math.floor(c.time / 1000),
    open: chartNumber(c.open),
    high: chartNumber(c.high),
    low: chartNumber(c.low),
    close: chartNumber(c.close),
  };
}

export function volumeBar(c: CandleView): VolumeBar {
  return {
    time: Math.floor(c.time / 1000),
    value: chartNumber(c.volumeBase),
    up: compareDecimal(c.close, c.open) >= 0,
  };
}

/**
 * Candles in strictly rising time order, as the chart requires: already ordered input (the
 * node's) is returned as is; otherwise sorted, keeping the last candle given for a time.
 */
export function orderedCandles(candles: readonly CandleView[]): readonly CandleView[] {
  let ordered = true;
  for (let i = 1; i < candles.length && ordered; i++) ordered = (candles[i]?.time ?? 0) > (candles[i - 1]?.time ?? 0);
  if (ordered) return candles;
  const byTime = new Map<number, CandleView>();
  for (const c of candles) byTime.set(c.time, c);
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

export interface FoldResult {
  candles: CandleView[];
  /** A trade fell before the last candle: only a refetch gives the exact history. */
  stale: boolean;
  changed: boolean;
}

/**
 * Fold new trades into a market's candles. A trade in the last candle's interval updates it
 * (high, low, close, volumes, count); a later one opens a new candle. Untouched candles keep
 * their identity so the chart redraws only the tail. A trade older than the last candle is left
 * out and reported as `stale`.
 */
export function foldTrades(
  candles: readonly CandleView[],
  trades: readonly TradeView[],
  interval: CandleInterval,
): FoldResult {
  const out = candles.slice();
  let stale = false;
  let changed = false;
  const sorted = [...trades].sort((a, b) => a.time - b.time);
  for (const t of sorted) {
    const openTime = candleOpenTime(t.time, interval);
    const last = out[out.length - 1];
    if (!last || openTime > last.time) {
      out.push({
        time: openTime,
        open: t.price,
        high: t.price,
        low: t.price,
        close: t.price,
        volumeBase: t.baseAmount,
        volumeQuote: t.quoteAmount,
        trades: 1,
      });
      changed = true;
    } else if (openTime === last.time) {
      out[out.length - 1] = {
        time: last.time,
        open: last.open,
        high: compareDecimal(t.price, last.high) > 0 ? t.price : last.high,
        low: compareDecimal(t.price, last.low) < 0 ? t.price : last.low,
        close: t.price,
        volumeBase: addDecimal(last.volumeBase, t.baseAmount),
        volumeQuote: addDecimal(last.volumeQuote, t.quoteAmount),
        trades: last.trades + 1,
      };
      changed = true;
    } else {
      stale = true;
    }
  }
  return { candles: changed ? out : (candles as CandleView[]), stale, changed };
}

export type CandleChange = { kind: 'same' } | { kind: 'tail'; from: number } | { kind: 'reset' };

/**
 * How `next` differs from what the chart shows (`prev`): nothing, only from index `from` on
 * (the last candle changed and/or candles were appended), or anything else (redraw all).
 */
export function candleChange(prev: readonly CandleView[] | null, next: readonly CandleView[]): CandleChange {
  if (prev === next) return { kind: 'same' };
  if (!prev || prev.length === 0 || next.length < prev.length) return { kind: 'reset' };
  const keep = prev.length - 1;
  // The candles before the last must be the very same objects (foldTrades keeps them).
  if (keep > 0 && next[keep - 1] !== prev[keep - 1]) return { kind: 'reset' };
  if (next[0] !== prev[0] && keep > 0) return { kind: 'reset' };
  const lastPrev = prev[keep];
  const lastNext = next[keep];
  if (!lastPrev || !lastNext || lastNext.time !== lastPrev.time) return { kind: 'reset' };
  return { kind: 'tail', from: lastNext === lastPrev && next.length > prev.length ? prev.length : keep };
}

/** Digits the price axis shows: enough for the finest price among the last candles, at most 8. */
export function pricePrecision(candles: readonly CandleView[], sample = 200): number {
  let digits = 2;
  for (let i = Math.max(0, candles.length - sample); i < candles.length; i++) {
    const c = candles[i];
    if (!c) continue;
    for (const p of [c.open, c.high, c.low, c.close]) {
      const dot = p.indexOf('.');
      if (dot >= 0) digits = Math.max(digits, p.length - dot - 1);
    }
  }
  return Math.min(8, digits);
}

/** Bars handed to the chart at first; the chart re-processes every bar it holds on each update. */
export const CHART_WINDOW = 5000;
/** How close (in bars) to the oldest loaded bar the view may scroll before older bars are added. */
export const CHART_EDGE = 100;

/**
 * The index of the oldest candle the chart holds. It starts CHART_WINDOW bars from the end and
 * moves back by CHART_WINDOW whenever the user scrolls to within CHART_EDGE bars of the oldest
 * loaded one (visibleFrom is the chart's logical index, relative to the current start).
 */
export function chartWindowStart(total: number, currentStart: number | null, visibleFrom: number | null): number {
  if (currentStart === null) return Math.max(0, total - CHART_WINDOW);
  if (visibleFrom === null || visibleFrom > CHART_EDGE || currentStart === 0) return currentStart;
  return Math.max(0, currentStart - CHART_WINDOW);
}
