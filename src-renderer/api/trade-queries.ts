// Query keys and queryOptions factories for trading (markets, books, candles, orders, trades,
// balances) and the node-persisted settings. Keys run general → specific so one market's data
// (['market', B, Q]) or all of the user's orders (['orders']) can be invalidated at once.
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';
import { INTERVAL_MS, type CandleInterval } from '../../src-shared/history/candles.ts';

export type BookDetail = 1 | 2 | 3;

export const tradeKeys = {
  markets: ['markets'] as const,
  market: (base: string, quote: string) => ['market', base, quote] as const,
  book: (base: string, quote: string) => ['market', base, quote, 'book'] as const,
  bookView: (base: string, quote: string, detail: BookDetail, depth: number) =>
    ['market', base, quote, 'book', detail, depth] as const,
  candles: (base: string, quote: string) => ['market', base, quote, 'candles'] as const,
  candleSeries: (base: string, quote: string, interval: CandleInterval) =>
    ['market', base, quote, 'candles', interval] as const,
  stats: (base: string, quote: string) => ['market', base, quote, 'stats'] as const,
  marketTrades: (base: string, quote: string) => ['market', base, quote, 'trades'] as const,
  orders: ['orders'] as const,
  myOrders: (includeClosed: boolean) => ['orders', 'mine', includeClosed ? 'all' : 'open'] as const,
  order: (orderId: string) => ['orders', 'one', orderId] as const,
  myTrades: ['orders', 'fills', 'mine'] as const,
  balances: ['balances'] as const,
  settings: ['settings'] as const,
  serviceNodes: ['network', 'serviceNodes'] as const,
  networkTokens: ['network', 'tokens'] as const,
};

/** The chart asks for at most this many candles of any interval (a year of 5-minute candles). */
export const MAX_CANDLES = 105_120;
/** Levels per side fetched for the book and the depth chart; the screen shows what fits. */
export const BOOK_DEPTH = 200;
export const TRADES_LIMIT = 200;

export function marketQueries(api: ApiClient) {
  return {
    list: () => queryOptions({ queryKey: tradeKeys.markets, queryFn: () => api.call('getMarkets', {}) }),
    book: (base: string, quote: string, detail: BookDetail, depth: number = BOOK_DEPTH) =>
      queryOptions({
        queryKey: tradeKeys.bookView(base, quote, detail, depth),
        queryFn: () => api.call('getOrderBook', { base, quote, detail, depth }),
        // orderbook.changed keeps it current. Every refetch is a new book: comparing it deeply with
        // the last one (structural sharing) would cost more than redrawing the few rows shown.
        staleTime: Infinity,
        structuralSharing: false,
      }),
    candles: (base: string, quote: string, interval: CandleInterval) =>
      queryOptions({
        queryKey: tradeKeys.candleSeries(base, quote, interval),
        // `from` is computed at fetch time so the key stays stable; trade.new extends the series.
        queryFn: () =>
          api.call('getOrderHistory', {
            base,
            quote,
            interval,
            from: Math.max(0, Date.now() - INTERVAL_MS[interval] * MAX_CANDLES),
          }),
        staleTime: Infinity,
        // Up to 100k candles: trade.new folds keep untouched candles as the same objects already,
        // and a deep comparison of the whole series on every trade would stall frames.
        structuralSharing: false,
        select: (r) => r.candles,
      }),
    stats: (base: string, quote: string) =>
      queryOptions({
        queryKey: tradeKeys.stats(base, quote),
        queryFn: async () =>
          (await api.call('getOrderHistory', { base, quote, interval: '1h', from: Date.now() - 86_400_000 })).stats,
        staleTime: Infinity,
      }),
    trades: (base: string, quote: string) =>
      queryOptions({
        queryKey: tradeKeys.marketTrades(base, quote),
        queryFn: () => api.call('getOrderFills', { base, quote, limit: TRADES_LIMIT }),
        staleTime: Infinity,
      }),
  };
}

export function orderQueries(api: ApiClient) {
  return {
    mine: (includeClosed: boolean) =>
      queryOptions({
        queryKey: tradeKeys.myOrders(includeClosed),
        queryFn: () => api.call('getMyOrders', { includeClosed }),
        staleTime: Infinity,
      }),
    one: (orderId: string) =>
      queryOptions({ queryKey: tradeKeys.order(orderId), queryFn: () => api.call('getOrder', { orderId }) }),
    myTrades: () =>
      queryOptions({
        queryKey: tradeKeys.myTrades,
        queryFn: () => api.call('getOrderFills', { mine: true, limit: TRADES_LIMIT }),
        staleTime: Infinity,
      }),
  };
}

export function balanceQueries(api: ApiClient) {
  return {
    all: () => queryOptions({ queryKey: tradeKeys.balances, queryFn: () => api.call('getTokenBalances', {}) }),
  };
}

export function settingsQueries(api: ApiClient) {
  return {
    get: () =>
      queryOptions({ queryKey: tradeKeys.settings, queryFn: () => api.call('settings.get', {}), staleTime: Infinity }),
  };
}

export function networkQueries(api: ApiClient) {
  return {
    serviceNodes: () =>
      queryOptions({ queryKey: tradeKeys.serviceNodes, queryFn: () => api.call('getServiceNodes', {}) }),
    tokens: () => queryOptions({ queryKey: tradeKeys.networkTokens, queryFn: () => api.call('getNetworkTokens', {}) }),
  };
}

/**
 * After placing or canceling an order: what it reserves changed, so fetch the balances now. The
 * node's balance watcher pushes a change only if its own poll saw one, and a cancel right after
 * the placing can put the balance back before that poll ever saw it reserved.
 */
export function refreshBalances(qc: QueryClient): void {
  void qc.invalidateQueries({ queryKey: tradeKeys.balances });
  void qc.invalidateQueries({ queryKey: ['wallets', 'list'] });
}
