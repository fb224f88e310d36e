// Pushed trading events → react-query cache, batched. A busy market pushes many events a
// second; they are collected and applied once per animation frame: orders and trades are
// written in place (candles folded exactly), while books, 24 h stats and the market list are
// refetched at most every so often, and never while their previous fetch is still running.
import { notifyManager, type QueryClient, type QueryKey } from '@tanstack/react-query';
import type { EventName, PushedEvent, Result } from '../../src-shared/api/contract.ts';
import type { CandleInterval } from '../../src-shared/history/candles.ts';
import { isTerminal } from '../../src-shared/orders/state.ts';
import { foldTrades } from '../trade/candles.ts';
import { tradeKeys, TRADES_LIMIT } from './trade-queries.ts';

type OrderView = Result<'getOrder'>;
type TradeView = Result<'getOrderFills'>[number];
type History = Result<'getOrderHistory'>;
type Stats = History['stats'];
type Markets = Result<'getMarkets'>;
type Balances = Result<'getTokenBalances'>;

/** The list with this order replaced in place or inserted newest first; with activeOnly, finished orders leave it. */
export function upsertOrder(list: readonly OrderView[], order: OrderView, activeOnly: boolean): OrderView[] {
  const drop = activeOnly && isTerminal(order.state);
  const at = list.findIndex((o) => o.id === order.id);
  if (at >= 0) return drop ? list.filter((_, i) => i !== at) : list.map((o, i) => (i === at ? order : o));
  if (drop) return list as OrderView[];
  const before = list.findIndex((o) => o.createdAt < order.createdAt);
  return before < 0 ? [...list, order] : [...list.slice(0, before), order, ...list.slice(before)];
}

/** New trades in front (newest first), without duplicates, at most `cap` kept. */
export function prependTrades(list: readonly TradeView[], trades: readonly TradeView[], cap: number): TradeView[] {
  const fresh = trades
    .filter((t) => !list.some((o) => o.id === t.id))
    .sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1));
  if (fresh.length === 0) return list as TradeView[];
  return [...fresh, ...list].slice(0, cap);
}

export interface TradeCacheSyncOptions {
  /** Runs the batch later (default: next animation frame, or 100 ms when frames are paused). */
  schedule?: (run: () => void) => void;
  now?: () => number;
  /** Least time between two refetches of one market's book. */
  bookIntervalMs?: number;
  /** Least time between two refetches of one market's 24 h stats, and of the market list. */
  statsIntervalMs?: number;
}

export interface TradeCacheSync {
  apply(e: PushedEvent<EventName>): void;
  /** Apply everything collected now (tests; the scheduler calls it otherwise). */
  flush(): void;
  dispose(): void;
}

interface MarketRef {
  base: string;
  quote: string;
}

export function frameOrTimeout(run: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    run();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(once);
  setTimeout(once, 100);
}

const SEEN_TRADES = 5000;

export function createTradeCacheSync(qc: QueryClient, opts: TradeCacheSyncOptions = {}): TradeCacheSync {
  const schedule = opts.schedule ?? frameOrTimeout;
  const now = opts.now ?? (() => Date.now());
  const bookInterval = opts.bookIntervalMs ?? 200;
  const statsInterval = opts.statsIntervalMs ?? 3000;

  const orders = new Map<string, OrderView>();
  let trades: TradeView[] = [];
  const seenTrades = new Set<string>();
  const dirtyBooks = new Map<string, MarketRef>();
  const dirtyStats = new Map<string, MarketRef>();
  let marketsDirty = false;
  const lastFetch = new Map<string, number>();
  let scheduled = false;
  let disposed = false;

  const request = () => {
    if (scheduled || disposed) return;
    scheduled = true;
    schedule(() => {
      scheduled = false;
      if (!disposed) flush();
    });
  };

  const mark = (m: MarketRef, into: Map<string, MarketRef>) =>
    into.set(`${m.base}/${m.quote}`, { base: m.base, quote: m.quote });

  /** Refetch what is under `key` unless it is fetching or was refetched less than `interval` ago. */
  const refetchThrottled = (id: string, key: QueryKey, interval: number): boolean => {
    const t = now();
    if (t - (lastFetch.get(id) ?? -Infinity) < interval) return false;
    if (qc.isFetching({ queryKey: key }) > 0) return false;
    lastFetch.set(id, t);
    void qc.invalidateQueries({ queryKey: key });
    return true;
  };

  function applyOrders(): void {
    for (const o of orders.values()) {
      qc.setQueryData<OrderView>(tradeKeys.order(o.id), (old) => (old ? o : old));
      if (!o.mine) continue;
      qc.setQueryData<OrderView[]>(tradeKeys.myOrders(false), (list) => (list ? upsertOrder(list, o, true) : list));
      qc.setQueryData<OrderView[]>(tradeKeys.myOrders(true), (list) => (list ? upsertOrder(list, o, false) : list));
    }
    orders.clear();
  }

  function applyTrades(): void {
    const byMarket = new Map<string, TradeView[]>();
    for (const t of trades) {
      const id = `${t.base}/${t.quote}`;
      byMarket.set(id, [...(byMarket.get(id) ?? []), t]);
    }
    const mine = trades.filter((t) => t.mine);
    trades = [];
    if (mine.length > 0)
      qc.setQueryData<TradeView[]>(tradeKeys.myTrades, (list) =>
        list ? prependTrades(list, mine, TRADES_LIMIT) : list,
      );
    for (const list of byMarket.values()) {
      const first = list[0];
      if (!first) continue;
      const { base, quote } = first;
      qc.setQueryData<TradeView[]>(tradeKeys.marketTrades(base, quote), (old) =>
        old ? prependTrades(old, list, TRADES_LIMIT) : old,
      );
      for (const [key, data] of qc.getQueriesData<History>({ queryKey: tradeKeys.candles(base, quote) })) {
        if (!data) continue;
        const interval = key[4] as CandleInterval;
        const folded = foldTrades(data.candles, list, interval);
        if (folded.changed) qc.setQueryData<History>(key, { ...data, candles: folded.candles });
        // A trade older than the last candle: only the node has the exact history.
        if (folded.stale) void qc.invalidateQueries({ queryKey: key, exact: true });
      }
      const latest = list.reduce((a, b) => (b.time >= a.time ? b : a));
      qc.setQueryData<Stats>(tradeKeys.stats(base, quote), (s) => (s ? { ...s, last: latest.price } : s));
      qc.setQueryData<Markets>(tradeKeys.markets, (ms) =>
        ms?.map((m) => (m.base === base && m.quote === quote ? { ...m, last: latest.price } : m)),
      );
      mark(first, dirtyStats);
    }
  }

  function flush(): void {
    notifyManager.batch(() => {
      applyOrders();
      applyTrades();
      for (const [id, m] of dirtyBooks) {
        if (refetchThrottled(`book:${id}`, tradeKeys.book(m.base, m.quote), bookInterval)) dirtyBooks.delete(id);
      }
      for (const [id, m] of dirtyStats) {
        if (refetchThrottled(`stats:${id}`, tradeKeys.stats(m.base, m.quote), statsInterval)) dirtyStats.delete(id);
      }
      if (marketsDirty && refetchThrottled('markets', tradeKeys.markets, statsInterval)) marketsDirty = false;
    });
    // Whatever had to wait for a running fetch or the interval is tried again next frame.
    if (dirtyBooks.size > 0 || dirtyStats.size > 0 || marketsDirty) request();
  }

  function apply(e: PushedEvent<EventName>): void {
    switch (e.event) {
      case 'order.updated': {
        const o = (e as PushedEvent<'order.updated'>).data;
        orders.set(o.id, o);
        mark(o, dirtyBooks);
        break;
      }
      case 'orderbook.changed':
        mark((e as PushedEvent<'orderbook.changed'>).data, dirtyBooks);
        marketsDirty = true;
        break;
      case 'trade.new': {
        const t = (e as PushedEvent<'trade.new'>).data;
        if (seenTrades.has(t.id)) return;
        seenTrades.add(t.id);
        if (seenTrades.size > SEEN_TRADES) seenTrades.delete(seenTrades.values().next().value as string);
        trades.push(t);
        break;
      }
      case 'settings.changed':
        qc.setQueryData(tradeKeys.settings, (e as PushedEvent<'settings.changed'>).data);
        return;
      case 'wallets.balance': {
        const { ticker, balance } = (e as PushedEvent<'wallets.balance'>).data;
        qc.setQueryData<Balances>(tradeKeys.balances, (all) =>
          all && ticker in all ? { ...all, [ticker]: balance } : all,
        );
        return;
      }
      case 'wallets.changed':
        void qc.invalidateQueries({ queryKey: tradeKeys.balances });
        void qc.invalidateQueries({ queryKey: tradeKeys.markets });
        return;
      case 'vault.state':
        if ((e as PushedEvent<'vault.state'>).data.state !== 'unlocked') {
          qc.removeQueries({ queryKey: tradeKeys.balances });
          qc.removeQueries({ queryKey: tradeKeys.orders });
        }
        return;
      default:
        return;
    }
    request();
  }

  return {
    apply,
    flush,
    dispose() {
      disposed = true;
    },
  };
}
