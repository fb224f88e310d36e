import { describe, expect, it } from 'vitest';
import {
  candleBar,
  candleChange,
  chartWindowStart,
  foldTrades,
  orderedCandles,
  pricePrecision,
  volumeBar,
  type CandleView,
  type TradeView,
} from './candles.ts';

const MIN = 60_000;
const T = 1_763_700_000_000 - (1_763_700_000_000 % (60 * MIN));
const c = (i: number, o: string, h: string, l: string, cl: string, v = '1'): CandleView => ({
  time: T + i * MIN,
  open: o,
  high: h,
  low: l,
  close: cl,
  volumeBase: v,
  volumeQuote: '0.25',
  trades: 1,
});
const trade = (at: number, price: string, amount = '0.5', id = `t${at}`): TradeView => ({
  id,
  base: 'DEVA',
  quote: 'DEVB',
  side: 'buy',
  price,
  baseAmount: amount,
  quoteAmount: '0.1',
  time: at,
  orderId: 'o',
  mine: false,
  txids: [],
  verified: 'yes',
});

describe('candles for the chart', () => {
  it('maps a candle to bars in seconds (floats only for drawing)', () => {
    expect(candleBar(c(0, '0.25', '0.3', '0.2', '0.26'))).toEqual({
      time: T / 1000,
      open: 0.25,
      high: 0.3,
      low: 0.2,
      close: 0.26,
    });
    expect(volumeBar(c(0, '0.25', '0.3', '0.2', '0.24', '12.5'))).toEqual({ time: T / 1000, value: 12.5, up: false });
  });

  it('puts candles in strictly rising time order, keeping the last for a repeated time', () => {
    const a = c(0, '1', '1', '1', '1');
    const b = c(1, '2', '2', '2', '2');
    const ordered = [a, b];
    expect(orderedCandles(ordered)).toBe(ordered);
    const dup = { ...a, close: '9' };
    expect(orderedCandles([b, a, dup])).toEqual([dup, b]);
  });

  it('uses enough price digits for the finest recent price', () => {
    expect(pricePrecision([c(0, '1', '1', '1', '1')])).toBe(2);
    expect(pricePrecision([c(0, '0.2501', '0.25', '0.25', '0.25')])).toBe(4);
    expect(pricePrecision([c(0, '0.0000000001', '1', '1', '1')])).toBe(8);
  });
});

describe('folding live trades into the cached candles', () => {
  const history = [c(0, '0.25', '0.26', '0.24', '0.25'), c(1, '0.25', '0.27', '0.25', '0.26', '2')];

  it('updates the last candle exactly and keeps the others as they were', () => {
    const r = foldTrades(
      history,
      [trade(T + MIN + 30_000, '0.28', '0.3'), trade(T + MIN + 40_000, '0.245', '0.2')],
      '1m',
    );
    expect(r.stale).toBe(false);
    expect(r.candles[0]).toBe(history[0]);
    expect(r.candles[1]).toEqual({
      time: T + MIN,
      open: '0.25',
      high: '0.28',
      low: '0.245',
      close: '0.245',
      volumeBase: '2.5',
      volumeQuote: '0.45',
      trades: 3,
    });
  });

  it('opens a new candle for a trade in a later interval, even after a gap', () => {
    const r = foldTrades(history, [trade(T + 5 * MIN + 1, '0.3')], '1m');
    expect(r.candles).toHaveLength(3);
    expect(r.candles[2]).toMatchObject({ time: T + 5 * MIN, open: '0.3', close: '0.3', trades: 1 });
    expect(foldTrades(history, [trade(T + 5 * MIN + 1, '0.3')], '1h').candles).toHaveLength(2);
  });

  it('reports a trade older than the last candle instead of guessing where it goes', () => {
    const r = foldTrades(history, [trade(T + 10, '0.5')], '1m');
    expect(r).toEqual({ candles: history, stale: true, changed: false });
  });

  it('starts a series from nothing', () => {
    expect(foldTrades([], [trade(T + 5, '1')], '5m').candles).toEqual([
      { time: T, open: '1', high: '1', low: '1', close: '1', volumeBase: '0.5', volumeQuote: '0.1', trades: 1 },
    ]);
  });
});

describe('what the chart must redraw', () => {
  const history = [c(0, '1', '1', '1', '1'), c(1, '1', '1', '1', '1'), c(2, '1', '1', '1', '1')];

  it('redraws only the tail after a fold', () => {
    expect(candleChange(history, history)).toEqual({ kind: 'same' });
    const updated = foldTrades(history, [trade(T + 2 * MIN + 5, '2')], '1m').candles;
    expect(candleChange(history, updated)).toEqual({ kind: 'tail', from: 2 });
    const appended = foldTrades(history, [trade(T + 3 * MIN + 5, '2')], '1m').candles;
    expect(candleChange(history, appended)).toEqual({ kind: 'tail', from: 3 });
    const both = foldTrades(history, [trade(T + 2 * MIN + 5, '2'), trade(T + 3 * MIN + 5, '2')], '1m').candles;
    expect(candleChange(history, both)).toEqual({ kind: 'tail', from: 2 });
  });

  it('redraws everything after a refetch or a different series', () => {
    expect(candleChange(null, history)).toEqual({ kind: 'reset' });
    expect(
      candleChange(
        history,
        history.map((x) => ({ ...x })),
      ),
    ).toEqual({ kind: 'reset' });
    expect(candleChange(history, history.slice(0, 2))).toEqual({ kind: 'reset' });
  });
});

describe('chart window over a long series', () => {
  it('starts with the latest bars and grows backwards only when the view nears the oldest one', () => {
    expect(chartWindowStart(100_000, null, null)).toBe(95_000);
    expect(chartWindowStart(1200, null, null)).toBe(0);
    expect(chartWindowStart(100_000, 95_000, 4000)).toBe(95_000);
    expect(chartWindowStart(100_000, 95_000, 50)).toBe(90_000);
    expect(chartWindowStart(100_000, 3000, -20)).toBe(0);
    expect(chartWindowStart(100_000, 0, 0)).toBe(0);
  });
});
