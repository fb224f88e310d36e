// The user's settings, kept by the node, under the one root key ['settings'].
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';

const all = ['settings'] as const;

export const settingsKeys = {
  all,
  current: [...all, 'current'] as const,
};

export function settingsQueries(api: ApiClient) {
  return {
    // settings.changed and the answers to settings.set keep it current.
    current: () =>
      queryOptions({
        queryKey: settingsKeys.current,
        queryFn: () => api.call('settings.get', {}),
        staleTime: Infinity,
      }),
  };
}
