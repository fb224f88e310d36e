import { describe, expect, it } from 'vitest';
import { comparePrice, price } from '../money/price.ts';
import { OrderBook, averagePrice } from './book.ts';
import { benchmarkOrderBook, seededRandom, syntheticOrder } from './book-bench.ts';
import { isValidFill } from './order.ts';
import { NOW, signedOrder, testKey } from './testkit.ts';
import type { Order, Side } from './types.ts';

const BOOK_REFUSED = expect.objectContaining({ code: 'BOOK_REFUSED' });

const MARKET = { base: 'DEVA', quote: 'DEVB' };
const COIN = 100_000_000n;

let counter = 0;
/** An order of `base` whole-coin hundredths at `quotePerCoin` quote units per whole base coin. */
function o(
  side: Side,
  baseUnits: bigint,
  quotePerCoin: bigint,
  opts: { t?: number; minBase?: bigint; maker?: number } = {},
): Order {
  counter += 1;
  const order = syntheticOrder(
    counter,
    side,
    baseUnits,
    (baseUnits * quotePerCoin) / COIN,
    opts.t ?? NOW + counter,
    opts.minBase ?? baseUnits,
  );
  return opts.maker === undefined ? order : { ...order, maker: { ...order.maker, pubkey: `maker-${opts.maker}` } };
}

function book(...orders: Order[]): OrderBook {
  const b = new OrderBook(MARKET);
  for (const x of orders) b.add(x, NOW);
  return b;
}

describe('price-time priority', () => {
  it('the best ask is the cheapest, the best bid the dearest', () => {
    const b = book(
      o('sell', COIN, 30n),
      o('sell', COIN, 25n),
      o('buy', COIN, 20n),
      o('buy', COIN, 22n),
      o('sell', COIN, 27n),
    );
    expect(b.bestAsk()?.order.price).toEqual(price(25n, COIN));
    expect(b.bestBid()?.order.price).toEqual(price(22n, COIN));
    expect(b.list('sell').map((e) => e.order.price.num)).toEqual([25n, 27n, 30n].map((n) => price(n, COIN).num));
  });
  it('at one price the earlier order comes first, then the smaller id', () => {
    const late = o('sell', COIN, 25n, { t: NOW + 50 });
    const early = o('sell', COIN, 25n, { t: NOW + 10 });
    const sameTimeA = o('sell', COIN, 25n, { t: NOW + 30 });
    const sameTimeB = o('sell', COIN, 25n, { t: NOW + 30 });
    const b = book(late, sameTimeB, early, sameTimeA);
    expect(b.list('sell').map((e) => e.order.id)).toEqual([early.id, sameTimeA.id, sameTimeB.id, late.id]);
  });
  it('arrival order does not matter: every node builds the same book', () => {
    const orders = Array.from({ length: 40 }, (_, i) =>
      o(i % 2 ? 'buy' : 'sell', COIN, BigInt(20 + (i % 7)), { t: NOW + (i % 5) }),
    );
    const a = book(...orders);
    const b = book(...[...orders].reverse());
    expect(b.list('sell').map((e) => e.order.id)).toEqual(a.list('sell').map((e) => e.order.id));
    expect(b.list('buy').map((e) => e.order.id)).toEqual(a.list('buy').map((e) => e.order.id));
  });
});

describe('add, remove, replace, shrink', () => {
  it('adding a listed order again only refreshes when it was seen', () => {
    const x = o('sell', COIN, 25n);
    const b = book(x);
    expect(b.add(x, NOW + 5000)).toBe(false);
    expect(b.size).toBe(1);
    expect(b.get(x.id)?.lastSeenAt).toBe(NOW + 5000);
  });
  it('refuses an order of another market and an out-of-range remainder', () => {
    const b = new OrderBook(MARKET);
    expect(() => b.add({ ...o('sell', COIN, 25n), market: { base: 'DEVB', quote: 'DEVA' } }, NOW)).toThrow(
      BOOK_REFUSED,
    );
    expect(() => b.add(o('sell', COIN, 25n), NOW, COIN + 1n)).toThrow(/out of range/);
    expect(() => b.add(o('sell', COIN, 25n), NOW, 0n)).toThrow(/out of range/);
  });
  it('removes an order and tells what was listed', () => {
    const x = o('buy', COIN, 20n);
    const b = book(x, o('buy', COIN, 21n));
    expect(b.remove(x.id)?.order.id).toBe(x.id);
    expect(b.remove(x.id)).toBeUndefined();
    expect(b.has(x.id)).toBe(false);
    expect(b.list('buy')).toHaveLength(1);
  });
  it('a partial hold shrinks an order without moving it in the queue', () => {
    const first = o('sell', COIN, 25n, { minBase: COIN / 10n });
    const second = o('sell', COIN, 25n);
    const b = book(first, second);
    expect(b.shrink(first.id, COIN / 2n)?.remainingBase).toBe(COIN / 2n);
    expect(b.bestAsk()?.order.id).toBe(first.id);
    expect(b.depth('sell')[0]?.baseAmount).toBe(COIN + COIN / 2n);
  });
  it('a hold of the whole remainder removes the order', () => {
    const x = o('sell', COIN, 25n);
    const b = book(x);
    expect(b.shrink(x.id, 0n)).toBeUndefined();
    expect(b.size).toBe(0);
  });
  it.each([
    ['the same amount', COIN],
    ['more', COIN + 1n],
    ['a negative amount', -1n],
  ])('refuses a shrink to %s', (_n, amount) => {
    const x = o('sell', COIN, 25n);
    expect(() => book(x).shrink(x.id, amount)).toThrow(BOOK_REFUSED);
  });
  it('the same maker replaces an order with a new one atomically', () => {
    const old = o('sell', COIN, 30n, { maker: 1 });
    const next = o('sell', COIN, 26n, { maker: 1 });
    const b = book(old);
    b.replace(old.id, next, NOW);
    expect(b.has(old.id)).toBe(false);
    expect(b.bestAsk()?.order.id).toBe(next.id);
  });
  it('refuses a replacement by another maker, of an unknown order, or for another market, and keeps the old one', () => {
    const old = o('sell', COIN, 30n, { maker: 1 });
    const b = book(old);
    expect(() => b.replace(old.id, o('sell', COIN, 26n, { maker: 2 }), NOW)).toThrow(/same maker/);
    expect(() => b.replace('ff'.repeat(32), o('sell', COIN, 26n, { maker: 1 }), NOW)).toThrow(/not listed/);
    expect(() =>
      b.replace(old.id, { ...o('sell', COIN, 26n, { maker: 1 }), market: { base: 'X1', quote: 'X2' } }, NOW),
    ).toThrow(BOOK_REFUSED);
    expect(b.has(old.id)).toBe(true);
  });
  it('lists real signed orders', () => {
    const b = new OrderBook(MARKET);
    const sell = signedOrder();
    const buy = signedOrder({
      side: 'buy',
      quoteAmount: 20_000_000n,
      maker: {
        peerId: '12D3KooWBuyer',
        pubkey: testKey(1).pubkey,
        addresses: { payout: testKey(11).address, refund: testKey(1).address },
      },
    });
    expect(b.add(sell, NOW)).toBe(true);
    expect(b.add(buy, NOW)).toBe(true);
    expect(b.isCrossed()).toBe(false);
  });
});

describe('depth and crossing', () => {
  const b = book(
    o('sell', COIN, 25n),
    o('sell', 2n * COIN, 25n),
    o('sell', COIN, 26n),
    o('sell', 5n * COIN, 30n),
    o('buy', COIN, 24n),
    o('buy', 3n * COIN, 23n),
    o('buy', COIN, 24n),
  );
  it('aggregates asks by price with running totals, best first', () => {
    expect(
      b.depth('sell').map((l) => [(l.price.num * COIN) / l.price.den, l.baseAmount, l.cumulativeBase, l.orders]),
    ).toEqual([
      [25n, 3n * COIN, 3n * COIN, 2],
      [26n, COIN, 4n * COIN, 1],
      [30n, 5n * COIN, 9n * COIN, 1],
    ]);
  });
  it('aggregates bids dearest first and stops at maxLevels', () => {
    expect(b.depth('buy', 1).map((l) => [l.baseAmount, l.cumulativeBase, l.orders])).toEqual([
      [2n * COIN, 2n * COIN, 2],
    ]);
    expect(b.depth('buy')).toHaveLength(2);
    expect(b.depth('sell', 0)).toEqual([]);
  });
  it.each<[Side, bigint, boolean]>([
    ['sell', 24n, true],
    ['sell', 23n, true],
    ['sell', 25n, false],
    ['buy', 25n, true],
    ['buy', 26n, true],
    ['buy', 24n, false],
  ])('a %s at %i crosses: %s', (side, perCoin, crosses) => expect(b.crosses(side, price(perCoin, COIN))).toBe(crosses));
  it('an empty side crosses nothing, a book with a bid above the ask is crossed', () => {
    expect(new OrderBook(MARKET).crosses('sell', price(1n, 1n))).toBe(false);
    expect(b.isCrossed()).toBe(false);
    expect(book(o('sell', COIN, 25n), o('buy', COIN, 25n)).isCrossed()).toBe(true);
  });
});

describe('sweep (market orders)', () => {
  it('takes the cheapest asks first and reports the leftover', () => {
    const a = o('sell', COIN, 25n);
    const c = o('sell', COIN, 27n);
    const plan = book(c, a).sweep('buy', 3n * COIN, null);
    expect(plan.fills.map((f) => [f.orderId, f.baseAmount, f.quoteAmount])).toEqual([
      [a.id, COIN, 25n],
      [c.id, COIN, 27n],
    ]);
    expect([plan.baseFilled, plan.quoteTotal, plan.leftoverBase]).toEqual([2n * COIN, 52n, COIN]);
    expect(averagePrice(plan)).toEqual(price(52n, 2n * COIN));
  });
  it('stops at the price cap', () => {
    const plan = book(o('sell', COIN, 25n), o('sell', COIN, 27n)).sweep('buy', 2n * COIN, price(26n, COIN));
    expect([plan.fills.length, plan.baseFilled, plan.leftoverBase]).toEqual([1, COIN, COIN]);
  });
  it('a taker selling hits the dearest bids down to the cap', () => {
    const hi = o('buy', COIN, 24n);
    const lo = o('buy', COIN, 20n);
    const plan = book(lo, hi).sweep('sell', 2n * COIN, price(22n, COIN));
    expect(plan.fills.map((f) => f.orderId)).toEqual([hi.id]);
  });
  it('takes part of a partial order, leaving at least its minimum', () => {
    const x = o('sell', 10n * COIN, 25n, { minBase: 2n * COIN });
    expect(book(x).sweep('buy', 9n * COIN, null).fills[0]?.baseAmount).toBe(8n * COIN);
    expect(book(x).sweep('buy', 3n * COIN, null).fills[0]?.baseAmount).toBe(3n * COIN);
  });
  it('skips an order whose minimum is above what is left to fill, and goes on to the next', () => {
    const big = o('sell', 10n * COIN, 25n, { minBase: 5n * COIN });
    const small = o('sell', COIN, 26n, { minBase: COIN / 2n });
    const plan = book(big, small).sweep('buy', COIN, null);
    expect(plan.fills.map((f) => [f.orderId, f.baseAmount])).toEqual([[small.id, COIN]]);
  });
  it('skips an exact order larger than the request', () => {
    const plan = book(o('sell', 2n * COIN, 25n)).sweep('buy', COIN, null);
    expect([plan.fills.length, plan.leftoverBase]).toEqual([0, COIN]);
    expect(averagePrice(plan)).toBeNull();
  });
  it("rounds each quote in the maker's favour", () => {
    // 1/3 quote unit per base unit: 10 base is 3.33… quote.
    const ask = syntheticOrder(9001, 'sell', 30n, 10n, NOW, 10n);
    const bid = syntheticOrder(9002, 'buy', 30n, 10n, NOW, 10n);
    const b = book(ask, bid);
    expect(b.sweep('buy', 10n, null).fills[0]?.quoteAmount).toBe(4n); // taker pays up
    expect(b.sweep('sell', 10n, null).fills[0]?.quoteAmount).toBe(3n); // maker pays down
    expect(b.sweep('buy', 30n, null).fills[0]?.quoteAmount).toBe(10n); // the whole order is exact
  });
  it("leaves out the taker's own orders and stops at maxFills", () => {
    const mine = o('sell', COIN, 24n, { maker: 7 });
    const b = book(mine, o('sell', COIN, 25n), o('sell', COIN, 26n), o('sell', COIN, 27n));
    const plan = b.sweep('buy', 10n * COIN, null, { excludeMaker: 'maker-7', maxFills: 2 });
    expect(plan.fills.map((f) => f.orderId)).not.toContain(mine.id);
    expect(plan.fills).toHaveLength(2);
  });
  it('every planned fill is a valid fill of its order and stays within the cap', () => {
    const random = seededRandom(7);
    const orders = Array.from({ length: 60 }, () => {
      const base = BigInt(1 + Math.floor(random() * 20)) * COIN;
      return o('sell', base, BigInt(20 + Math.floor(random() * 10)), { minBase: random() < 0.5 ? base : base / 4n });
    });
    const b = book(...orders);
    const cap = price(27n, COIN);
    for (const want of [1n, COIN, 7n * COIN, 33n * COIN, 500n * COIN]) {
      const plan = b.sweep('buy', want, cap);
      expect(plan.baseFilled + plan.leftoverBase).toBe(want);
      for (const f of plan.fills) {
        const e = b.get(f.orderId)!;
        expect(isValidFill(e.order.partial, e.remainingBase, f.baseAmount)).toBe(true);
        expect(comparePrice(f.price, cap)).toBeLessThanOrEqual(0);
      }
    }
  });
  it('refuses a zero amount', () => expect(() => book().sweep('buy', 0n, null)).toThrow(BOOK_REFUSED));
});

describe('expire', () => {
  it('drops orders past their expiry and orders whose maker went silent, and says which', () => {
    const expiring = { ...o('sell', COIN, 25n), expiresAt: NOW + 1000 };
    const quiet = o('buy', COIN, 20n);
    const chatty = o('sell', COIN, 26n);
    const b = new OrderBook(MARKET, { offlineAfterMs: 60_000 });
    for (const x of [expiring, quiet, chatty]) b.add(x, NOW);
    expect(b.expire(NOW + 999)).toEqual([]);
    b.touch(chatty.id, NOW + 30_000);
    expect(b.expire(NOW + 60_000).sort((x, y) => x.reason.localeCompare(y.reason))).toEqual([
      { id: expiring.id, reason: 'expired' },
      { id: quiet.id, reason: 'offline' },
    ]);
    expect(b.list('sell').map((e) => e.order.id)).toEqual([chatty.id]);
    expect(b.list('buy')).toEqual([]);
    expect(b.touch(quiet.id, NOW + 60_001)).toBe(false);
  });
});

describe('consistency under random operations', () => {
  it('stays sorted and indexed like a naive model', () => {
    const random = seededRandom(42);
    const b = new OrderBook(MARKET);
    const model = new Map<string, { order: Order; remaining: bigint }>();
    for (let step = 0; step < 3000; step++) {
      const r = random();
      const ids = [...model.keys()];
      if (r < 0.55 || ids.length === 0) {
        const x = o(random() < 0.5 ? 'sell' : 'buy', COIN, BigInt(20 + Math.floor(random() * 10)), {
          t: NOW + Math.floor(random() * 50),
          minBase: COIN / 4n,
        });
        b.add(x, NOW);
        model.set(x.id, { order: x, remaining: COIN });
      } else if (r < 0.85) {
        const id = ids[Math.floor(random() * ids.length)]!;
        b.remove(id);
        model.delete(id);
      } else {
        const id = ids[Math.floor(random() * ids.length)]!;
        const m = model.get(id)!;
        const next = m.remaining - COIN / 8n;
        b.shrink(id, next);
        if (next === 0n) model.delete(id);
        else m.remaining = next;
      }
    }
    const expected = (side: Side) =>
      [...model.values()]
        .filter((m) => m.order.side === side)
        .sort((x, y) => {
          const c =
            side === 'sell' ? comparePrice(x.order.price, y.order.price) : comparePrice(y.order.price, x.order.price);
          return c || x.order.createdAt - y.order.createdAt || (x.order.id < y.order.id ? -1 : 1);
        })
        .map((m) => [m.order.id, m.remaining]);
    expect(b.list('sell').map((e) => [e.order.id, e.remainingBase])).toEqual(expected('sell'));
    expect(b.list('buy').map((e) => [e.order.id, e.remainingBase])).toEqual(expected('buy'));
    expect(b.size).toBe(model.size);
  });
});

describe('benchmarkOrderBook', () => {
  it('reports a rate for every operation on a book of n orders', () => {
    let t = 0;
    const r = benchmarkOrderBook(200, { clock: () => (t += 1) });
    expect(r.n).toBe(200);
    for (const v of [r.addPerSec, r.bestPerSec, r.removePerSec, r.depthPerSec, r.sweepPerSec])
      expect(v).toBeGreaterThan(0);
  });
  it('handles 10,000 orders quickly', () => {
    const r = benchmarkOrderBook(10_000);
    expect(r.addPerSec).toBeGreaterThan(20_000);
    expect(r.removePerSec).toBeGreaterThan(20_000);
    expect(r.bestPerSec).toBeGreaterThan(100_000);
  });
});
