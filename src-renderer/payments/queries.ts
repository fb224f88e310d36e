// The payments' queries under the one root key ['payments'], general → specific: the payment
// book and one payment, this node's requests and one request, contacts, settings, and reading a
// request (its card changes when the registry learns of a profile, so it is never cached long).
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';

const all = ['payments'] as const;

export const paymentKeys = {
  all,
  book: [...all, 'book'] as const,
  payment: (key: string) => [...all, 'payment', key] as const,
  requests: [...all, 'requests'] as const,
  request: (id: string) => [...all, 'request', id] as const,
  contacts: [...all, 'contacts'] as const,
  settings: [...all, 'settings'] as const,
  backup: [...all, 'backup'] as const,
  parse: (uri: string) => [...all, 'parse', uri] as const,
  quote: (uri: string, amount: string, fee: string) => [...all, 'quote', uri, amount, fee] as const,
};

export type FeeLevel = 'economy' | 'normal' | 'priority';

export function paymentQueries(api: ApiClient) {
  return {
    book: () => queryOptions({ queryKey: paymentKeys.book, queryFn: () => api.call('payments.book', {}) }),
    payment: (key: string) =>
      queryOptions({ queryKey: paymentKeys.payment(key), queryFn: () => api.call('payments.payment', { key }) }),
    requests: () =>
      queryOptions({ queryKey: paymentKeys.requests, queryFn: () => api.call('payments.requests', { limit: 200 }) }),
    request: (id: string) =>
      queryOptions({ queryKey: paymentKeys.request(id), queryFn: () => api.call('payments.request', { id }) }),
    contacts: () => queryOptions({ queryKey: paymentKeys.contacts, queryFn: () => api.call('payments.contacts', {}) }),
    settings: () => queryOptions({ queryKey: paymentKeys.settings, queryFn: () => api.call('payments.settings', {}) }),
    backup: () => queryOptions({ queryKey: paymentKeys.backup, queryFn: () => api.call('payments.backup', {}) }),
    parse: (uri: string) =>
      queryOptions({
        queryKey: paymentKeys.parse(uri),
        queryFn: () => api.call('payments.parse', { uri }),
        retry: false,
        staleTime: 0,
      }),
    quote: (uri: string, amount: string, fee: FeeLevel) =>
      queryOptions({
        queryKey: paymentKeys.quote(uri, amount, fee),
        queryFn: () => api.call('payments.quote', { uri, fee, ...(amount !== '' ? { amount } : {}) }),
        retry: false,
        staleTime: 15_000,
      }),
  };
}
