// The wallets' queries under the one root key ['wallets'], general → specific: the coins this
// node knows (coins.list), the wallet list, every connected wallet's balance (getTokenBalances),
// then one coin's balance, UTXOs and fee. All but the coins need the unlocked vault.
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';

const all = ['wallets'] as const;
// 'coin' sits before the ticker so no ticker (any [A-Za-z][A-Za-z0-9]{1,9}) can equal 'list'.
const coin = (ticker: string) => [...all, 'coin', ticker] as const;

export const walletKeys = {
  all,
  /** The coin table (coins.list): needs no vault and does not change while the node runs. */
  coins: [...all, 'coins'] as const,
  list: [...all, 'list'] as const,
  balances: [...all, 'balances'] as const,
  coin,
  balance: (ticker: string) => [...coin(ticker), 'balance'] as const,
  utxos: (ticker: string) => [...coin(ticker), 'utxos'] as const,
  /** Free and locked coins with what locks each (orders.coins). */
  coinLocks: (ticker: string) => [...coin(ticker), 'coin-locks'] as const,
  fee: (ticker: string, targetBlocks: number) => [...coin(ticker), 'fee', targetBlocks] as const,
};

export function walletQueries(api: ApiClient) {
  return {
    coins: () =>
      queryOptions({ queryKey: walletKeys.coins, queryFn: () => api.call('coins.list', {}), staleTime: Infinity }),
    list: () => queryOptions({ queryKey: walletKeys.list, queryFn: () => api.call('wallets.list', {}) }),
    /** Balances of every connected wallet (locked = reserved by orders and swaps). */
    balances: () => queryOptions({ queryKey: walletKeys.balances, queryFn: () => api.call('wallets.balances', {}) }),
    balance: (ticker: string) =>
      queryOptions({
        queryKey: walletKeys.balance(ticker),
        queryFn: () => api.call('wallets.balance', { ticker }),
      }),
    utxos: (ticker: string) =>
      queryOptions({ queryKey: walletKeys.utxos(ticker), queryFn: () => api.call('wallets.utxos', { ticker }) }),
    coinLocks: (ticker: string) =>
      queryOptions({
        queryKey: walletKeys.coinLocks(ticker),
        queryFn: () => api.call('orders.coins', { ticker }),
      }),
    fee: (ticker: string, targetBlocks: number) =>
      queryOptions({
        queryKey: walletKeys.fee(ticker, targetBlocks),
        queryFn: () => api.call('wallets.feeEstimate', { ticker, targetBlocks }),
        staleTime: 60_000,
      }),
  };
}

/**
 * After placing or canceling an order: what it reserves changed, so fetch the balances now. The
 * node's balance watcher pushes a change only if its own poll saw one, and a cancel right after
 * the placing can put the balance back before that poll ever saw it reserved.
 */
export function refreshBalances(qc: QueryClient): void {
  void qc.invalidateQueries({ queryKey: walletKeys.balances });
  void qc.invalidateQueries({ queryKey: walletKeys.list });
}
