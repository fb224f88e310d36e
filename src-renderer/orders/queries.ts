// The order network's queries under the one root key ['orders'], general → specific: the market
// list, one market's book, the user's orders. One market's book (['orders','book',B,Q]) or all of
// the user's orders (['orders','mine']) can be refetched or dropped at once.
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';

export type BookDetail = 1 | 2 | 3;

const all = ['orders'] as const;
const book = (base: string, quote: string) => [...all, 'book', base, quote] as const;
const mine = [...all, 'mine'] as const;
const single = [...all, 'one'] as const;

export const orderKeys = {
  all,
  markets: [...all, 'markets'] as const,
  book,
  bookView: (base: string, quote: string, detail: BookDetail, depth: number) =>
    [...book(base, quote), detail, depth] as const,
  /** The user's orders, open ones and all: what needs the unlocked vault. */
  mine,
  myOrders: (includeClosed: boolean) => [...mine, includeClosed ? 'all' : 'open'] as const,
  /** Single orders looked up by id (any of them: the prefix of `one`). */
  single,
  one: (orderId: string) => [...single, orderId] as const,
};

/** Levels per side fetched for the book and the depth chart; the screen shows what fits. */
export const BOOK_DEPTH = 200;

export function orderQueries(api: ApiClient) {
  return {
    markets: () => queryOptions({ queryKey: orderKeys.markets, queryFn: () => api.call('orders.markets', {}) }),
    book: (base: string, quote: string, detail: BookDetail, depth: number = BOOK_DEPTH) =>
      queryOptions({
        queryKey: orderKeys.bookView(base, quote, detail, depth),
        queryFn: () => api.call('orders.book', { base, quote, detail, depth }),
        // orderbook.changed keeps it current. Every refetch is a new book: comparing it deeply with
        // the last one (structural sharing) would cost more than redrawing the few rows shown.
        staleTime: Infinity,
        structuralSharing: false,
      }),
    mine: (includeClosed: boolean) =>
      queryOptions({
        queryKey: orderKeys.myOrders(includeClosed),
        queryFn: () => api.call('orders.mine', { includeClosed }),
        staleTime: Infinity,
      }),
    one: (orderId: string) =>
      queryOptions({ queryKey: orderKeys.one(orderId), queryFn: () => api.call('orders.get', { orderId }) }),
  };
}
