// The metrics queries under the one root key ['metrics']: the snapshot and the sampled history
// behind the Node page. Both refetch on a timer (metrics push no events), only while shown.
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';
import type { HistoryRange } from '../../src-shared/metrics/model.ts';

const all = ['metrics'] as const;
export const REFRESH_MS = 5000;

export const metricsKeys = {
  all,
  snapshot: [...all, 'snapshot'] as const,
  history: (range: HistoryRange, names: readonly string[]) => [...all, 'history', range, ...names] as const,
};

export function metricsQueries(api: ApiClient) {
  return {
    snapshot: () =>
      queryOptions({
        queryKey: metricsKeys.snapshot,
        queryFn: () => api.call('metrics.snapshot', {}),
        refetchInterval: REFRESH_MS,
      }),
    history: (range: HistoryRange, names: readonly string[]) =>
      queryOptions({
        queryKey: metricsKeys.history(range, names),
        queryFn: () => api.call('metrics.history', { range, names: [...names] }),
        refetchInterval: REFRESH_MS,
      }),
  };
}
