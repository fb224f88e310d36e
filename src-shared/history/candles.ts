// OHLCV candles from trades, with exact prices. Trades arrive by gossip in any order and any
// number of times is the caller's to prevent (store each tradeId once); the order they arrive in
// never changes a candle: open and close are the earliest and latest trade by (time, id).
import { comparePrice, formatAmount, formatPrice, type Price } from '../money/index.ts';
import type { Trade } from './record.ts';

export const CANDLE_INTERVALS = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;
export type CandleInterval = (typeof CANDLE_INTERVALS)[number];

export const INTERVAL_MS: Readonly<Record<CandleInterval, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};

export interface TradeKey {
  readonly time: number;
  readonly id: string;
}

export interface Candle {
  /** Start of the interval, ms since the epoch (UTC-aligned: 4h and 1d start at 00:00 UTC). */
  readonly openTime: number;
  readonly open: Price;
  readonly high: Price;
  readonly low: Price;
  readonly close: Price;
  readonly volumeBase: bigint;
  readonly volumeQuote: bigint;
  readonly trades: number;
  /** The trades that set open and close, so a late-arriving earlier trade can take their place. */
  readonly openTrade: TradeKey;
  readonly closeTrade: TradeKey;
}

export function candleOpenTime(time: number, interval: CandleInterval): number {
  const ms = INTERVAL_MS[interval];
  return Math.floor(time / ms) * ms;
}

function before(a: TradeKey, b: TradeKey): boolean {
  return a.time < b.time || (a.time === b.time && a.id < b.id);
}

/** The candle after `trade` (which must fall in its interval), or a new candle for it. Pure. */
export function updateCandle(candle: Candle | undefined, trade: Trade, interval: CandleInterval): Candle {
  const openTime = candleOpenTime(trade.time, interval);
  const key = { time: trade.time, id: trade.id };
  if (!candle) {
    return {
      openTime,
      open: trade.price,
      high: trade.price,
      low: trade.price,
      close: trade.price,
      volumeBase: trade.baseAmount,
      volumeQuote: trade.quoteAmount,
      trades: 1,
      openTrade: key,
      closeTrade: key,
    };
  }
  if (candle.openTime !== openTime)
    throw new RangeError(`trade at ${trade.time} is not in the ${interval} candle of ${candle.openTime}`);
  const earlier = before(key, candle.openTrade);
  const later = before(candle.closeTrade, key);
  return {
    openTime,
    open: earlier ? trade.price : candle.open,
    high: comparePrice(trade.price, candle.high) > 0 ? trade.price : candle.high,
    low: comparePrice(trade.price, candle.low) < 0 ? trade.price : candle.low,
    close: later ? trade.price : candle.close,
    volumeBase: candle.volumeBase + trade.baseAmount,
    volumeQuote: candle.volumeQuote + trade.quoteAmount,
    trades: candle.trades + 1,
    openTrade: earlier ? key : candle.openTrade,
    closeTrade: later ? key : candle.closeTrade,
  };
}

/** Candles of one market and interval, updated one trade at a time. */
export class CandleSeries {
  readonly interval: CandleInterval;
  readonly #byOpen = new Map<number, Candle>();

  constructor(interval: CandleInterval) {
    this.interval = interval;
  }

  /** Adds a trade; returns the candle it changed (to push to clients). */
  apply(trade: Trade): Candle {
    const openTime = candleOpenTime(trade.time, this.interval);
    const next = updateCandle(this.#byOpen.get(openTime), trade, this.interval);
    this.#byOpen.set(openTime, next);
    return next;
  }

  /** Candles with openTime in [from, to), oldest first; intervals without trades have no candle. */
  candles(from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): Candle[] {
    return [...this.#byOpen.values()]
      .filter((c) => c.openTime >= from && c.openTime < to)
      .sort((a, b) => a.openTime - b.openTime);
  }
}

/** All candles of `trades` for one interval, oldest first. */
export function aggregateCandles(trades: Iterable<Trade>, interval: CandleInterval): Candle[] {
  const series = new CandleSeries(interval);
  for (const t of trades) series.apply(t);
  return series.candles();
}

/** A candle as the API sends it: prices as decimal quote-per-whole-base strings, volumes as decimal amounts. */
export interface ApiCandle {
  readonly openTime: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volumeBase: string;
  readonly volumeQuote: string;
  readonly trades: number;
}

export function candleToApi(c: Candle, baseDecimals: number, quoteDecimals: number): ApiCandle {
  const p = (x: Price) => formatPrice(x, baseDecimals, quoteDecimals);
  return {
    openTime: c.openTime,
    open: p(c.open),
    high: p(c.high),
    low: p(c.low),
    close: p(c.close),
    volumeBase: formatAmount(c.volumeBase, baseDecimals),
    volumeQuote: formatAmount(c.volumeQuote, quoteDecimals),
    trades: c.trades,
  };
}
