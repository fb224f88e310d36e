// The spendable balances of every connected wallet (getTokenBalances), kept current by
// wallets.balance: what the order form offers and checks amounts against.
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/ApiProvider.tsx';
import { walletQueries } from './queries.ts';

export function useBalances() {
  const api = useApi();
  return useQuery(walletQueries(api).balances());
}
