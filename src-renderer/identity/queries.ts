// Identity's queries under the one root key ['identity']: our identities, a search over the
// registry, one identity by DID with its links, trading record and metadata, which identity our
// orders show, and replication's state.
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';

const all = ['identity'] as const;

export const identityKeys = {
  all,
  mine: [...all, 'mine'] as const,
  search: (query: string) => [...all, 'search', query] as const,
  did: (did: string) => [...all, 'did', did] as const,
  one: (did: string) => [...all, 'did', did, 'profile'] as const,
  links: (did: string) => [...all, 'did', did, 'links'] as const,
  record: (did: string) => [...all, 'did', did, 'record'] as const,
  metadata: (did: string) => [...all, 'did', did, 'metadata'] as const,
  orders: [...all, 'orders'] as const,
  sync: [...all, 'sync'] as const,
};

export function identityQueries(api: ApiClient) {
  return {
    mine: () =>
      queryOptions({
        queryKey: identityKeys.mine,
        queryFn: () => api.call('identity.list', { mine: true, limit: 500 }),
      }),
    search: (query: string) =>
      queryOptions({
        queryKey: identityKeys.search(query),
        queryFn: () => api.call('identity.list', { query, limit: 50 }),
      }),
    one: (did: string) =>
      queryOptions({ queryKey: identityKeys.one(did), queryFn: () => api.call('identity.get', { did }), retry: false }),
    links: (did: string) =>
      queryOptions({ queryKey: identityKeys.links(did), queryFn: () => api.call('identity.links.list', { did }) }),
    record: (did: string) =>
      queryOptions({ queryKey: identityKeys.record(did), queryFn: () => api.call('identity.record', { did }) }),
    metadata: (did: string) =>
      queryOptions({ queryKey: identityKeys.metadata(did), queryFn: () => api.call('identity.metadata.get', { did }) }),
    orders: () => queryOptions({ queryKey: identityKeys.orders, queryFn: () => api.call('identity.orders.get', {}) }),
    sync: () => queryOptions({ queryKey: identityKeys.sync, queryFn: () => api.call('identity.sync.status', {}) }),
  };
}
