import { describe, expect, it } from 'vitest';
import { price, type Price } from '../money/price.ts';
import { seededRandom } from '../orders/book-bench.ts';
import {
  CANDLE_INTERVALS,
  CandleSeries,
  INTERVAL_MS,
  aggregateCandles,
  candleOpenTime,
  candleToApi,
  updateCandle,
} from './candles.ts';
import type { Trade } from './record.ts';

const COIN = 100_000_000n;
const DAY0 = Date.UTC(2026, 10, 21); // a UTC midnight
let n = 0;
/** A trade of `base` whole-coin units at `perCoin` quote units per whole base coin (8 decimals). */
function trade(time: number, perCoin: bigint, base = COIN): Trade {
  n += 1;
  const p: Price = price(perCoin, COIN);
  return {
    id: n.toString(16).padStart(64, '0'),
    time,
    price: p,
    baseAmount: base,
    quoteAmount: (base * perCoin) / COIN,
  };
}

describe('candle intervals', () => {
  it('are 1m, 5m, 15m, 1h, 4h and 1d', () => {
    expect(CANDLE_INTERVALS).toEqual(['1m', '5m', '15m', '1h', '4h', '1d']);
    expect(INTERVAL_MS['4h']).toBe(4 * 3_600_000);
  });
  it.each<[string, number, (typeof CANDLE_INTERVALS)[number], number]>([
    ['a trade at the start of a minute', DAY0 + 60_000, '1m', DAY0 + 60_000],
    ['a trade one ms before the next minute', DAY0 + 119_999, '1m', DAY0 + 60_000],
    ['a trade at 07:59 in 4h candles', DAY0 + 7 * 3_600_000 + 59 * 60_000, '4h', DAY0 + 4 * 3_600_000],
    ['a trade at 23:59 in daily candles', DAY0 + 86_399_999, '1d', DAY0],
    ['a trade at 00:14 in 15m candles', DAY0 + 14 * 60_000, '15m', DAY0],
  ])('%s opens at the right time', (_n, time, interval, open) => expect(candleOpenTime(time, interval)).toBe(open));
});

describe('aggregateCandles', () => {
  const trades = [
    trade(DAY0 + 1_000, 25_000_000n),
    trade(DAY0 + 20_000, 27_000_000n, 2n * COIN),
    trade(DAY0 + 40_000, 24_000_000n),
    trade(DAY0 + 59_999, 26_000_000n),
    trade(DAY0 + 180_000, 30_000_000n),
  ];
  it('gives open, high, low, close and volumes per minute, skipping empty minutes', () => {
    const c = aggregateCandles(trades, '1m');
    expect(c.map((x) => x.openTime)).toEqual([DAY0, DAY0 + 180_000]);
    expect(c[0]).toMatchObject({
      open: price(25n, 100n),
      high: price(27n, 100n),
      low: price(24n, 100n),
      close: price(26n, 100n),
      volumeBase: 5n * COIN,
      volumeQuote: 25_000_000n + 54_000_000n + 24_000_000n + 26_000_000n,
      trades: 4,
    });
  });
  it('rolls the same trades into one 5m candle', () => {
    const c = aggregateCandles(trades, '5m');
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ open: price(25n, 100n), high: price(30n, 100n), close: price(30n, 100n), trades: 5 });
  });
  it('prints prices with formatPrice and volumes as decimal amounts for the API', () => {
    expect(candleToApi(aggregateCandles(trades, '1m')[0]!, 8, 8)).toEqual({
      openTime: DAY0,
      open: '0.25',
      high: '0.27',
      low: '0.24',
      close: '0.26',
      volumeBase: '5',
      volumeQuote: '1.29',
      trades: 4,
    });
  });
  it('keeps prices exact: a third prints truncated but compares exactly', () => {
    const third = { id: 'f'.repeat(64), time: DAY0, price: price(1n, 3n), baseAmount: 3n, quoteAmount: 1n };
    const c = aggregateCandles([third], '1h')[0]!;
    expect(c.close).toEqual({ num: 1n, den: 3n });
    expect(candleToApi(c, 8, 8).close).toBe('0.33333333');
  });
});

describe('incremental updates', () => {
  it('give the same candles whatever order the trades arrive in', () => {
    const random = seededRandom(3);
    const trades = Array.from({ length: 300 }, () =>
      trade(DAY0 + Math.floor(random() * 2 * 3_600_000), BigInt(20_000_000 + Math.floor(random() * 10_000_000))),
    );
    // Two trades at the very same time: the smaller id is the open.
    trades.push({ ...trade(DAY0, 1n), id: '0'.repeat(64) }, { ...trade(DAY0, 99_000_000n), id: 'f'.repeat(64) });
    for (const interval of CANDLE_INTERVALS) {
      const sorted = [...trades].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
      const shuffled = [...trades].sort(() => random() - 0.5);
      expect(aggregateCandles(shuffled, interval)).toEqual(aggregateCandles(sorted, interval));
    }
    expect(aggregateCandles(trades, '1m')[0]?.open).toEqual(price(1n, COIN));
  });
  it('a late trade earlier than the open becomes the open; volume adds up', () => {
    const s = new CandleSeries('1m');
    s.apply(trade(DAY0 + 30_000, 25_000_000n));
    const c = s.apply(trade(DAY0 + 10_000, 20_000_000n));
    expect([c.open, c.close, c.low, c.volumeBase, c.trades]).toEqual([
      price(20n, 100n),
      price(25n, 100n),
      price(20n, 100n),
      2n * COIN,
      2,
    ]);
  });
  it('returns the candle a new trade changed and lists candles in a time range', () => {
    const s = new CandleSeries('1h');
    s.apply(trade(DAY0, 1n));
    s.apply(trade(DAY0 + 2 * 3_600_000, 1n));
    expect(s.apply(trade(DAY0 + 3_600_000, 1n)).openTime).toBe(DAY0 + 3_600_000);
    expect(s.candles(DAY0 + 3_600_000, DAY0 + 2 * 3_600_000).map((c) => c.openTime)).toEqual([DAY0 + 3_600_000]);
    expect(s.candles().map((c) => c.openTime)).toEqual([DAY0, DAY0 + 3_600_000, DAY0 + 7_200_000]);
  });
  it("refuses to put a trade into another interval's candle", () => {
    const c = updateCandle(undefined, trade(DAY0, 1n), '1m');
    expect(() => updateCandle(c, trade(DAY0 + 60_000, 1n), '1m')).toThrow(RangeError);
  });
});
