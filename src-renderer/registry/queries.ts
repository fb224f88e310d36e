// The registry's queries under one root key ['registry']: searches, one record, trust lists and
// queries, the bucket, and this node's registry identity.
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';
import type { Params } from '../../src-shared/api/contract.ts';

const all = ['registry'] as const;

export const registryKeys = {
  all,
  node: [...all, 'node'] as const,
  search: (p: Params<'registry.search'>) => [...all, 'search', p] as const,
  record: (id: string) => [...all, 'record', id] as const,
  trust: [...all, 'trust'] as const,
  bucket: [...all, 'bucket'] as const,
};

export function registryQueries(api: ApiClient) {
  return {
    node: () => queryOptions({ queryKey: registryKeys.node, queryFn: () => api.call('registry.info', {}) }),
    search: (p: Params<'registry.search'>) =>
      queryOptions({ queryKey: registryKeys.search(p), queryFn: () => api.call('registry.search', p) }),
    record: (id: string) =>
      queryOptions({
        queryKey: registryKeys.record(id),
        queryFn: () => api.call('registry.get', { id }),
        retry: false,
      }),
    trust: () => queryOptions({ queryKey: registryKeys.trust, queryFn: () => api.call('registry.trust.list', {}) }),
    bucket: () => queryOptions({ queryKey: registryKeys.bucket, queryFn: () => api.call('registry.bucket.get', {}) }),
  };
}
