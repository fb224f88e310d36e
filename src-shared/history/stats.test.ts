import { describe, expect, it } from 'vitest';
import { price } from '../money/price.ts';
import type { Trade } from './record.ts';
import { DAY_MS, stats24h, statsToApi } from './stats.ts';

const COIN = 100_000_000n;
const NOW = Date.UTC(2026, 10, 21, 12);
let n = 0;
function trade(ago: number, perCoin: bigint, base = COIN): Trade {
  n += 1;
  return {
    id: n.toString(16).padStart(64, '0'),
    time: NOW - ago,
    price: price(perCoin, COIN),
    baseAmount: base,
    quoteAmount: (base * perCoin) / COIN,
  };
}

describe('stats24h', () => {
  it('compares the last price with the last trade before the window, and sums the window', () => {
    const s = stats24h(
      [
        trade(DAY_MS + 1, 20_000_000n),
        trade(DAY_MS - 1, 22_000_000n),
        trade(3_600_000, 30_000_000n, 2n * COIN),
        trade(1, 21_000_000n),
      ],
      NOW,
    );
    expect(s).toEqual({
      last: price(21n, 100n),
      reference: price(20n, 100n),
      high: price(30n, 100n),
      low: price(21n, 100n),
      volumeBase: 4n * COIN,
      volumeQuote: 22_000_000n + 60_000_000n + 21_000_000n,
      trades: 3,
    });
    expect(statsToApi(s, 8, 8)).toEqual({
      last: '0.21',
      change: '0.01',
      changePercent: '5.00',
      high: '0.3',
      low: '0.21',
      volumeBase: '4',
      volumeQuote: '1.03',
      trades: 3,
    });
  });
  it("with no earlier trade the window's first trade is the reference; a fall is negative", () => {
    const s = stats24h([trade(1000, 21_000_000n), trade(5000, 22_000_000n)], NOW);
    expect(statsToApi(s, 8, 8)).toMatchObject({ last: '0.21', change: '-0.01', changePercent: '-4.54' });
  });
  it('with no trade in the window: the last price stays, nothing changed, no volume', () => {
    const s = stats24h([trade(2 * DAY_MS, 25_000_000n)], NOW);
    expect(statsToApi(s, 8, 8)).toEqual({
      last: '0.25',
      change: '0',
      changePercent: '0.00',
      high: null,
      low: null,
      volumeBase: '0',
      volumeQuote: '0',
      trades: 0,
    });
  });
  it('with no trades at all everything is empty', () => {
    expect(statsToApi(stats24h([], NOW), 8, 8)).toEqual({
      last: null,
      change: null,
      changePercent: null,
      high: null,
      low: null,
      volumeBase: '0',
      volumeQuote: '0',
      trades: 0,
    });
  });
  it('leaves out trades dated after now', () => {
    expect(stats24h([trade(-1, 99_000_000n), trade(10, 25_000_000n)], NOW).last).toEqual(price(25n, 100n));
  });
  it('a tiny fall truncates to zero percent without a minus sign', () => {
    const s = stats24h([trade(2000, 100_000_000n), trade(1000, 99_999_999n)], NOW);
    expect(statsToApi(s, 8, 8)).toMatchObject({ change: '-0.00000001', changePercent: '0.00' });
  });
});
