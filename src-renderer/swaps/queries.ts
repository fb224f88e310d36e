// The swaps' queries under the one root key ['swaps']: the list, and one swap's detail.
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';

const all = ['swaps'] as const;

export const swapKeys = {
  all,
  list: [...all, 'list'] as const,
  // 'detail' sits before the id so no swap id (they may be any [A-Za-z0-9_-]) can equal 'list'.
  detail: (swapId: string) => [...all, 'detail', swapId] as const,
};

export function swapQueries(api: ApiClient) {
  return {
    list: () => queryOptions({ queryKey: swapKeys.list, queryFn: () => api.call('swaps.list', {}) }),
    detail: (swapId: string) =>
      queryOptions({ queryKey: swapKeys.detail(swapId), queryFn: () => api.call('swaps.get', { swapId }) }),
  };
}
