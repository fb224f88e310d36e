// What the node is and the coins it knows (node.info, coins.list): facts every feature reads and
// no domain owns, under the one root key ['node']. Neither changes while the node runs.
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';

const all = ['node'] as const;

export const nodeKeys = {
  all,
  info: [...all, 'info'] as const,
  coins: [...all, 'coins'] as const,
};

export function nodeQueries(api: ApiClient) {
  return {
    info: () => queryOptions({ queryKey: nodeKeys.info, queryFn: () => api.call('node.info', {}) }),
    // The coin table does not change while the node runs.
    coins: () =>
      queryOptions({ queryKey: nodeKeys.coins, queryFn: () => api.call('coins.list', {}), staleTime: Infinity }),
  };
}
