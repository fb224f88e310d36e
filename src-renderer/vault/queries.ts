// The vault's query: whether a vault exists and is unlocked, under the root key ['vault'].
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';

const all = ['vault'] as const;

export const vaultKeys = {
  all,
  status: [...all, 'status'] as const,
};

export function vaultQueries(api: ApiClient) {
  return {
    status: () => queryOptions({ queryKey: vaultKeys.status, queryFn: () => api.call('vault.status', {}) }),
  };
}
