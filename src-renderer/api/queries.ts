// Query keys and queryOptions factories, one per domain, keys ordered general → specific so
// an event can invalidate a whole domain (['wallets']) or one coin (['wallets', 'DEVA']).
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';

export const queryKeys = {
  node: ['node'] as const,
  nodeInfo: ['node', 'info'] as const,
  vault: ['vault'] as const,
  coins: ['coins'] as const,
  wallets: ['wallets'] as const,
  walletList: ['wallets', 'list'] as const,
  wallet: (ticker: string) => ['wallets', ticker] as const,
  walletBalance: (ticker: string) => ['wallets', ticker, 'balance'] as const,
  walletUtxos: (ticker: string) => ['wallets', ticker, 'utxos'] as const,
  walletFee: (ticker: string, targetBlocks: number) => ['wallets', ticker, 'fee', targetBlocks] as const,
  p2p: ['p2p'] as const,
  p2pInfo: ['p2p', 'info'] as const,
  p2pPeers: ['p2p', 'peers'] as const,
  swaps: ['swaps'] as const,
  swapList: ['swaps', 'list'] as const,
  // 'detail' sits before the id so no swap id (they may be any [A-Za-z0-9_-]) can equal 'list'.
  swapDetail: (swapId: string) => ['swaps', 'detail', swapId] as const,
};

export function nodeQueries(api: ApiClient) {
  return {
    info: () => queryOptions({ queryKey: queryKeys.nodeInfo, queryFn: () => api.call('node.info', {}) }),
  };
}

export function vaultQueries(api: ApiClient) {
  return {
    status: () => queryOptions({ queryKey: queryKeys.vault, queryFn: () => api.call('vault.status', {}) }),
  };
}

export function coinQueries(api: ApiClient) {
  return {
    // The registry does not change while the node runs.
    list: () =>
      queryOptions({ queryKey: queryKeys.coins, queryFn: () => api.call('coins.list', {}), staleTime: Infinity }),
  };
}

export function walletQueries(api: ApiClient) {
  return {
    list: () => queryOptions({ queryKey: queryKeys.walletList, queryFn: () => api.call('wallets.list', {}) }),
    balance: (ticker: string) =>
      queryOptions({
        queryKey: queryKeys.walletBalance(ticker),
        queryFn: () => api.call('wallets.balance', { ticker }),
      }),
    utxos: (ticker: string) =>
      queryOptions({ queryKey: queryKeys.walletUtxos(ticker), queryFn: () => api.call('wallets.utxos', { ticker }) }),
    fee: (ticker: string, targetBlocks: number) =>
      queryOptions({
        queryKey: queryKeys.walletFee(ticker, targetBlocks),
        queryFn: () => api.call('wallets.feeEstimate', { ticker, targetBlocks }),
        staleTime: 60_000,
      }),
  };
}

export function p2pQueries(api: ApiClient) {
  return {
    info: () => queryOptions({ queryKey: queryKeys.p2pInfo, queryFn: () => api.call('p2p.info', {}) }),
    peers: () => queryOptions({ queryKey: queryKeys.p2pPeers, queryFn: () => api.call('p2p.peers', {}) }),
  };
}

export function swapQueries(api: ApiClient) {
  return {
    list: () => queryOptions({ queryKey: queryKeys.swapList, queryFn: () => api.call('swaps.list', {}) }),
    detail: (swapId: string) =>
      queryOptions({ queryKey: queryKeys.swapDetail(swapId), queryFn: () => api.call('swaps.get', { swapId }) }),
  };
}
