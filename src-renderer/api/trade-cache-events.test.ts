import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src-shared/api/contract.ts';
import { createTradeCacheSync, prependTrades, upsertOrder } from './trade-cache-events.ts';
import { tradeKeys } from './trade-queries.ts';

type OrderView = Result<'getOrder'>;
type TradeView = Result<'getOrderFills'>[number];
type History = Result<'getOrderHistory'>;

const order = (id: string, over: Partial<OrderView> = {}): OrderView => ({
  id,
  base: 'DEVA',
  quote: 'DEVB',
  side: 'sell',
  kind: 'limit',
  state: 'open',
  price: '0.25',
  baseAmount: '2',
  quoteAmount: '0.5',
  filledBase: '0',
  remainingBase: '2',
  partial: { allowed: false, minBase: '2' },
  mine: true,
  makerPeerId: 'me',
  swapIds: [],
  createdAt: 100,
  updatedAt: 100,
  ...over,
});
const HOUR = 3_600_000;
const T0 = 1_763_700_000_000 - (1_763_700_000_000 % HOUR);
const trade = (id: string, time: number, price: string, over: Partial<TradeView> = {}): TradeView => ({
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
  ...over,
});
const stats = {
  last: '0.25',
  change24h: '1.2',
  high24h: '0.3',
  low24h: '0.2',
  volumeBase24h: '10',
  volumeQuote24h: '2.5',
};

const settle = () => new Promise((r) => setTimeout(r, 0));

/** A sync whose frames and clock the test drives. */
function harness(opts: { bookIntervalMs?: number } = {}) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const frames: Array<() => void> = [];
  let clock = 1000;
  const sync = createTradeCacheSync(qc, {
    schedule: (run) => frames.push(run),
    now: () => clock,
    bookIntervalMs: opts.bookIntervalMs ?? 200,
    statsIntervalMs: 3000,
  });
  return {
    qc,
    sync,
    frames,
    frame() {
      const run = frames.splice(0);
      for (const r of run) r();
      return run.length;
    },
    advance(ms: number) {
      clock += ms;
    },
  };
}

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

  it('prepends new trades newest first, skips ones already listed and keeps a cap', () => {
    const list = [trade('t2', 20, '1'), trade('t1', 10, '1')];
    expect(
      prependTrades(list, [trade('t3', 30, '1'), trade('t2', 20, '1'), trade('t4', 40, '1')], 3).map((t) => t.id),
    ).toEqual(['t4', 't3', 't2']);
  });
});

describe('pushed trading events reach the cache in batches', () => {
  it('applies nothing until the frame, then everything at once', () => {
    const h = harness();
    h.qc.setQueryData(tradeKeys.myOrders(false), [order('a')]);
    h.sync.apply({ event: 'order.updated', data: order('a', { state: 'hold' }) });
    h.sync.apply({ event: 'order.updated', data: order('a', { state: 'initialized' }) });
    expect(h.qc.getQueryData<OrderView[]>(tradeKeys.myOrders(false))?.[0]?.state).toBe('open');
    expect(h.frames).toHaveLength(1);
    h.frame();
    expect(h.qc.getQueryData<OrderView[]>(tradeKeys.myOrders(false))?.[0]?.state).toBe('initialized');
  });

  it('folds new trades into every cached candle series of the market and patches the last price', () => {
    const h = harness();
    const history: History = {
      candles: [
        {
          time: T0,
          open: '0.25',
          high: '0.25',
          low: '0.25',
          close: '0.25',
          volumeBase: '1',
          volumeQuote: '0.25',
          trades: 1,
        },
      ],
      stats,
    };
    h.qc.setQueryData(tradeKeys.candleSeries('DEVA', 'DEVB', '1h'), history);
    h.qc.setQueryData(tradeKeys.candleSeries('DEVA', 'DEVB', '1m'), history);
    h.qc.setQueryData(tradeKeys.stats('DEVA', 'DEVB'), stats);
    h.qc.setQueryData(tradeKeys.marketTrades('DEVA', 'DEVB'), []);
    h.qc.setQueryData(tradeKeys.markets, [
      { base: 'DEVA', quote: 'DEVB', bothWalletsConnected: true, orders: 3, last: '0.25' },
    ]);
    h.sync.apply({ event: 'trade.new', data: trade('t1', T0 + 30 * 60_000, '0.3') });
    h.sync.apply({ event: 'trade.new', data: trade('t1', T0 + 30 * 60_000, '0.3') });
    h.frame();
    const hourly = h.qc.getQueryData<History>(tradeKeys.candleSeries('DEVA', 'DEVB', '1h'));
    expect(hourly?.candles).toEqual([
      {
        time: T0,
        open: '0.25',
        high: '0.3',
        low: '0.25',
        close: '0.3',
        volumeBase: '2',
        volumeQuote: '0.55',
        trades: 2,
      },
    ]);
    expect(h.qc.getQueryData<History>(tradeKeys.candleSeries('DEVA', 'DEVB', '1m'))?.candles).toHaveLength(2);
    expect(h.qc.getQueryData<typeof stats>(tradeKeys.stats('DEVA', 'DEVB'))?.last).toBe('0.3');
    expect(h.qc.getQueryData<TradeView[]>(tradeKeys.marketTrades('DEVA', 'DEVB'))?.map((t) => t.id)).toEqual(['t1']);
    expect(h.qc.getQueryData<Result<'getMarkets'>>(tradeKeys.markets)?.[0]?.last).toBe('0.3');
  });

  it('refetches a book at most once per interval however many changes arrive', async () => {
    const h = harness({ bookIntervalMs: 200 });
    let fetches = 0;
    const obs = new QueryObserver(h.qc, {
      queryKey: tradeKeys.bookView('DEVA', 'DEVB', 2, 50),
      queryFn: async () => ({ n: ++fetches }),
      staleTime: Infinity,
    });
    const off = obs.subscribe(() => {});
    await settle();
    expect(fetches).toBe(1);
    for (let i = 0; i < 50; i++) h.sync.apply({ event: 'orderbook.changed', data: { base: 'DEVA', quote: 'DEVB' } });
    h.frame();
    await settle();
    expect(fetches).toBe(2);
    // Within the interval: the change waits, frame after frame, without a fetch.
    h.sync.apply({ event: 'orderbook.changed', data: { base: 'DEVA', quote: 'DEVB' } });
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
    const h = harness({ bookIntervalMs: 0 });
    let release: () => void = () => {};
    let fetches = 0;
    const obs = new QueryObserver(h.qc, {
      queryKey: tradeKeys.bookView('DEVA', 'DEVB', 2, 50),
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
    h.sync.apply({ event: 'orderbook.changed', data: { base: 'DEVA', quote: 'DEVB' } });
    h.frame();
    expect(fetches).toBe(2);
    // Still fetching: the next change waits instead of cancelling the fetch under way.
    h.sync.apply({ event: 'orderbook.changed', data: { base: 'DEVA', quote: 'DEVB' } });
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

  it('writes pushed settings and balances at once', () => {
    const h = harness();
    h.qc.setQueryData(tradeKeys.balances, { DEVA: { spendable: '1', unconfirmed: '0', locked: '0' } });
    h.sync.apply({
      event: 'wallets.balance',
      data: { ticker: 'DEVA', balance: { spendable: '2', unconfirmed: '0', locked: '1' } },
    });
    h.sync.apply({
      event: 'wallets.balance',
      data: { ticker: 'DEVC', balance: { spendable: '2', unconfirmed: '0', locked: '1' } },
    });
    expect(h.qc.getQueryData(tradeKeys.balances)).toEqual({ DEVA: { spendable: '2', unconfirmed: '0', locked: '1' } });
    const settings = {
      confirmations: { DEVA: 2 },
      feePreference: 'normal' as const,
      theme: 'light' as const,
      numberFormat: { groupSeparator: ' ' as const, decimalSeparator: ',' as const },
      notifications: { muted: true },
    };
    h.sync.apply({ event: 'settings.changed', data: settings });
    expect(h.qc.getQueryData(tradeKeys.settings)).toEqual(settings);
    expect(h.frames).toHaveLength(0);
  });
});
