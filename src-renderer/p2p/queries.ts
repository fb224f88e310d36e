// The peer-to-peer network's queries under the one root key ['p2p']: this node's peer id and
// addresses, whether other nodes can reach it (and how), and the connected peers.
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';

const all = ['p2p'] as const;

export const p2pKeys = {
  all,
  info: [...all, 'info'] as const,
  peers: [...all, 'peers'] as const,
  reachability: [...all, 'reachability'] as const,
};

export function p2pQueries(api: ApiClient) {
  return {
    info: () => queryOptions({ queryKey: p2pKeys.info, queryFn: () => api.call('p2p.info', {}) }),
    peers: () => queryOptions({ queryKey: p2pKeys.peers, queryFn: () => api.call('p2p.peers', {}) }),
    reachability: () =>
      queryOptions({ queryKey: p2pKeys.reachability, queryFn: () => api.call('p2p.reachability', {}) }),
  };
}
