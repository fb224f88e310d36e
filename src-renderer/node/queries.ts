// The node's own facts (node.info: version, network, role, peer id) under the one root key
// ['node']. They do not change while the node runs.
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';

const all = ['node'] as const;

export const nodeKeys = {
  all,
  info: [...all, 'info'] as const,
};

export function nodeQueries(api: ApiClient) {
  return {
    info: () => queryOptions({ queryKey: nodeKeys.info, queryFn: () => api.call('node.info', {}) }),
  };
}
