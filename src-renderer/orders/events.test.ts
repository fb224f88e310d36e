import { QueryObserver } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src-shared/api/contract.ts';
import { eventHarness, settle } from '../api/event-harness.ts';
import { createOrdersEvents, upsertOrder } from './events.ts';
import { orderKeys } from './queries.ts';
import { order } from './testdata.ts';

type OrderView = Result<'orders.get'>;
type TradeView = Result<'history.fills'>[number];
type Markets = Result<'orders.markets'>;

const harness = (bookIntervalMs = 200) => eventHarness([createOrdersEvents({ bookIntervalMs })]);

const tradeAt = (id: string, time: number, price: string): TradeView => ({
  id,
  base: 'DEVA',
  quote: 'DEVB',
  side: 'buy',
  price,
  baseAmount: '1',
  quoteAmount: price,
  time,
  orderId: 'o',
  mine: false,
  txids: [],
  verified: 'yes',
});
const market = { base: 'DEVA', quote: 'DEVB', bothWalletsConnected: true, orders: 3, last: '0.25' };

describe('order lists', () => {
  it('replaces an order in place, inserts a new one newest first, drops finished ones from the open list', () => {
    const a = order('a', { createdAt: 300 });
    const b = order('b', { createdAt: 100 });
    expect(upsertOrder([a, b], order('c', { createdAt: 200 }), true).map((o) => o.id)).toEqual(['a', 'c', 'b']);
    expect(upsertOrder([a, b], { ...b, state: 'hold' }, true)[1]?.state).toBe('hold');
    expect(upsertOrder([a, b], { ...b, state: 'finished' }, true).map((o) => o.id)).toEqual(['a']);
    expect(upsertOrder([a, b], { ...b, state: 'finished' }, false)[1]?.state).toBe('finished');
    expect(upsertOrder([a], order('x', { state: 'canceled' }), true)).toHaveLength(1);
  });
});

describe('pushed order events reach the cache in batches', () => {
  it('applies nothing until the frame, then everything at once', () => {
    const h = harness();
    h.qc.setQueryData(orderKeys.myOrders(false), [order('a')]);
    h.events.dispatch({ event: 'orders.updated', data: order('a', { state: 'hold' }) });
    h.events.dispatch({ event: 'orders.updated', data: order('a', { state: 'initialized' }) });
    expect(h.qc.getQueryData<OrderView[]>(orderKeys.myOrders(false))?.[0]?.state).toBe('open');
    expect(h.frames).toHaveLength(1);
    h.frame();
    expect(h.qc.getQueryData<OrderView[]>(orderKeys.myOrders(false))?.[0]?.state).toBe('initialized');
  });

  it('writes the latest trade of each market as its last price, a repeated or older trade changing nothing', () => {
    const h = harness();
    h.qc.setQueryData<Markets>(orderKeys.markets, [market, { ...market, base: 'DEVC', last: '9' }]);
    h.events.dispatch({ event: 'history.trade', data: tradeAt('t2', 2000, '0.31') });
    h.events.dispatch({ event: 'history.trade', data: tradeAt('t1', 1000, '0.3') });
    h.frame();
    expect(h.qc.getQueryData<Markets>(orderKeys.markets)?.map((m) => m.last)).toEqual(['0.31', '9']);
    h.events.dispatch({ event: 'history.trade', data: tradeAt('t1', 1000, '0.3') });
    h.frame();
    expect(h.qc.getQueryData<Markets>(orderKeys.markets)?.[0]?.last).toBe('0.31');
  });

  it('refetches a book at most once per interval however many changes arrive', async () => {
    const h = harness(200);
    let fetches = 0;
    const obs = new QueryObserver(h.qc, {
      queryKey: orderKeys.bookView('DEVA', 'DEVB', 2, 50),
      queryFn: async () => ({ n: ++fetches }),
      staleTime: Infinity,
    });
    const off = obs.subscribe(() => {});
    await settle();
    expect(fetches).toBe(1);
    for (let i = 0; i < 50; i++)
      h.events.dispatch({ event: 'orders.bookChanged', data: { base: 'DEVA', quote: 'DEVB' } });
    h.frame();
    await settle();
    expect(fetches).toBe(2);
    // Within the interval: the change waits, frame after frame, without a fetch.
    h.events.dispatch({ event: 'orders.bookChanged', data: { base: 'DEVA', quote: 'DEVB' } });
    h.frame();
    h.frame();
    await settle();
    expect(fetches).toBe(2);
    h.advance(250);
    h.frame();
    await settle();
    expect(fetches).toBe(3);
    off();
  });

  it('keeps a change that arrives during a book fetch for the next fetch', async () => {
    const h = harness(0);
    let release: () => void = () => {};
    let fetches = 0;
    const obs = new QueryObserver(h.qc, {
      queryKey: orderKeys.bookView('DEVA', 'DEVB', 2, 50),
      staleTime: Infinity,
      queryFn: () => {
        fetches += 1;
        return new Promise((r) => {
          release = () => r({ n: fetches });
        });
      },
    });
    const off = obs.subscribe(() => {});
    expect(fetches).toBe(1);
    release();
    await settle();
    h.events.dispatch({ event: 'orders.bookChanged', data: { base: 'DEVA', quote: 'DEVB' } });
    h.frame();
    expect(fetches).toBe(2);
    // Still fetching: the next change waits instead of cancelling the fetch under way.
    h.events.dispatch({ event: 'orders.bookChanged', data: { base: 'DEVA', quote: 'DEVB' } });
    h.frame();
    h.frame();
    expect(fetches).toBe(2);
    release();
    await settle();
    h.frame();
    expect(fetches).toBe(3);
    release();
    off();
  });

  it('drops the user’s orders when the vault locks, and keeps the markets and books', () => {
    const h = harness();
    h.qc.setQueryData(orderKeys.myOrders(false), [order('a')]);
    h.qc.setQueryData(orderKeys.myOrders(true), [order('a')]);
    h.qc.setQueryData(orderKeys.one('a'), order('a'));
    h.qc.setQueryData<Markets>(orderKeys.markets, [market]);
    h.qc.setQueryData(orderKeys.bookView('DEVA', 'DEVB', 2, 200), { asks: [], bids: [] });
    h.events.dispatch({ event: 'vault.state', data: { state: 'locked' } });
    expect(h.qc.getQueryData(orderKeys.myOrders(false))).toBeUndefined();
    expect(h.qc.getQueryData(orderKeys.myOrders(true))).toBeUndefined();
    expect(h.qc.getQueryData(orderKeys.one('a'))).toBeUndefined();
    expect(h.qc.getQueryData(orderKeys.markets)).toEqual([market]);
    expect(h.qc.getQueryData(orderKeys.bookView('DEVA', 'DEVB', 2, 200))).toEqual({ asks: [], bids: [] });
  });

  it('refetches the markets when a wallet changes (which markets are tradable follows the wallets)', () => {
    const h = harness();
    h.qc.setQueryData<Markets>(orderKeys.markets, [market]);
    h.events.dispatch({ event: 'wallets.changed', data: { ticker: 'DEVA' } });
    expect(h.qc.getQueryState(orderKeys.markets)?.isInvalidated).toBe(true);
  });
});
