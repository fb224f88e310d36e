import { describe, expect, it } from 'vitest';
import {
  depthCurve,
  depthFrame,
  groupingSteps,
  groupLevels,
  maxCumulative,
  ordersBestFirst,
  spreadOf,
  type BookLevel,
} from './depth.ts';

const lvl = (price: string, amount: string, mine = false, count = 1): BookLevel => ({
  price,
  amount,
  total: '0',
  cumulative: '0',
  count,
  mine,
});

const asks = [lvl('0.2513', '1'), lvl('0.2501', '2', true), lvl('0.2519', '0.5', false, 3), lvl('0.2600', '4')];
const bids = [lvl('0.2488', '1.5'), lvl('0.2499', '1'), lvl('0.2481', '2', true)];

describe('grouping price levels for the book', () => {
  it('keeps the node\u2019s levels best first without a step', () => {
    expect(groupLevels(asks, null, 'ask').map((l) => l.price)).toEqual(['0.2501', '0.2513', '0.2519', '0.2600']);
    expect(groupLevels(bids, null, 'bid').map((l) => l.price)).toEqual(['0.2499', '0.2488', '0.2481']);
  });

  it('rounds asks up and bids down to the step, so no bucket looks better than the book', () => {
    const a = groupLevels(asks, '0.001', 'ask');
    expect(a.map((l) => [l.price, l.amount, l.cumulative, l.count, l.mine])).toEqual([
      ['0.251', '2', '2', 1, true],
      ['0.252', '1.5', '3.5', 4, false],
      ['0.26', '4', '7.5', 1, false],
    ]);
    const b = groupLevels(bids, '0.001', 'bid');
    expect(b.map((l) => [l.price, l.amount, l.cumulative, l.mine])).toEqual([
      ['0.249', '1', '1', false],
      ['0.248', '3.5', '4.5', true],
    ]);
  });

  it('sums exactly, with digits a float would lose', () => {
    const g = groupLevels([lvl('1', '0.100000000000000001'), lvl('1.0004', '0.2')], '0.01', 'ask');
    expect(g).toHaveLength(2);
    expect(g[1]?.cumulative).toBe('0.300000000000000001');
  });

  it('offers steps of ten around the price, never finer than the quote coin', () => {
    expect(groupingSteps('0.25', 8)).toEqual(['0.00001', '0.0001', '0.001']);
    expect(groupingSteps('25000', 8)).toEqual(['1', '10', '100']);
    expect(groupingSteps('0.00000123', 8)).toEqual([]);
    expect(groupingSteps('0.0123', 8)).toEqual(['0.000001', '0.00001', '0.0001']);
    expect(groupingSteps(null, 8)).toEqual([]);
  });
});

describe('spread and depth curve', () => {
  it('measures the spread exactly and refuses a crossed or empty book', () => {
    expect(spreadOf(groupLevels(asks, null, 'ask'), groupLevels(bids, null, 'bid'))).toBe('0.0002');
    expect(spreadOf([lvl('1', '1')], [lvl('2', '1')])).toBeNull();
    expect(spreadOf([], [lvl('2', '1')])).toBeNull();
  });

  it('accumulates the depth of each side from the best price outwards', () => {
    expect(depthCurve(bids, 'bid')).toEqual([
      { price: 0.2499, cumulative: 1 },
      { price: 0.2488, cumulative: 2.5 },
      { price: 0.2481, cumulative: 4.5 },
    ]);
    const grouped = groupLevels(asks, null, 'ask');
    expect(maxCumulative(grouped, groupLevels(bids, null, 'bid'))).toBe(7.5);
  });
});

describe('orders of one side for taking', () => {
  const o = (id: string, side: 'buy' | 'sell', price: string, createdAt: number) => ({
    id,
    base: 'DEVA',
    quote: 'DEVB',
    side,
    kind: 'limit' as const,
    state: 'open' as const,
    price,
    baseAmount: '1',
    quoteAmount: price,
    filledBase: '0',
    remainingBase: '1',
    partial: { allowed: false, minBase: '1' },
    mine: false,
    makerPeerId: 'p',
    swapIds: [],
    createdAt,
    updatedAt: createdAt,
  });
  const orders = [
    o('s2', 'sell', '0.26', 1),
    o('b1', 'buy', '0.24', 1),
    o('s1', 'sell', '0.25', 5),
    o('s3', 'sell', '0.25', 2),
    o('b2', 'buy', '0.245', 9),
  ];

  it('lists asks cheapest first and bids dearest first, older first at the same price', () => {
    expect(ordersBestFirst(orders, 'sell').map((x) => x.id)).toEqual(['s3', 's1', 's2']);
    expect(ordersBestFirst(orders, 'buy').map((x) => x.id)).toEqual(['b2', 'b1']);
  });
});

describe('depth chart frame', () => {
  it('centres on the mid price and keeps the nearer side\u2019s reach on both sides', () => {
    const f = depthFrame([lvl('0.26', '1'), lvl('0.27', '1'), lvl('0.5', '10')], [lvl('0.24', '2'), lvl('0.22', '1')]);
    expect(f).not.toBeNull();
    expect(f!.minPrice).toBeCloseTo(0.22, 10);
    expect(f!.maxPrice).toBeCloseTo(0.28, 10);
    // The far ask at 0.5 is outside the window and does not set the height.
    expect(f!.asks.map((p) => p.price)).toEqual([0.26, 0.27]);
    expect(f!.maxAmount).toBeCloseTo(3.3, 10);
  });

  it('draws one side alone and nothing for an empty book', () => {
    expect(depthFrame([lvl('1', '1')], [])?.asks).toEqual([{ price: 1, cumulative: 1 }]);
    expect(depthFrame([], [])).toBeNull();
  });
});
