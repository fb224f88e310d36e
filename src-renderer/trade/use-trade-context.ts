// Facts every trading panel needs about the current market: each coin's decimals and block
// time (coins.list), the spendable balances (getTokenBalances, kept current by
// wallets.balance), and the confirmations the user requires (settings).
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useApi } from '../api/ApiProvider.tsx';
import { coinQueries } from '../api/queries.ts';
import { balanceQueries } from '../api/trade-queries.ts';
import { useSettings } from '../settings/use-settings.ts';

export interface CoinFacts {
  decimalsOf(ticker: string): number;
  blockTimeOf(ticker: string): number | undefined;
  confirmationsOf(ticker: string): number | undefined;
  nameOf(ticker: string): string;
}

export function useCoins(): CoinFacts {
  const api = useApi();
  const coins = useQuery(coinQueries(api).list());
  const settings = useSettings();
  return useMemo(() => {
    const find = (t: string) => coins.data?.find((c) => c.ticker === t);
    return {
      decimalsOf: (t: string) => find(t)?.decimals ?? 8,
      blockTimeOf: (t: string) => find(t)?.blockTimeSec,
      confirmationsOf: (t: string) => settings.data?.confirmations[t] ?? find(t)?.defaultConfirmations,
      nameOf: (t: string) => find(t)?.name ?? t,
    };
  }, [coins.data, settings.data]);
}

export function useBalances() {
  const api = useApi();
  return useQuery(balanceQueries(api).all());
}
