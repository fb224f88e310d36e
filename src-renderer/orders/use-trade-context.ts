// Facts every trading panel needs about the current market: each coin's decimals and block
// time (coins.list) and the confirmations the user requires (settings). The spendable balances
// come from the wallets (useBalances).
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useApi } from '../api/ApiProvider.tsx';
import { useSettings } from '../settings/index.ts';
import { walletQueries } from '../wallets/index.ts';

export interface CoinFacts {
  decimalsOf(ticker: string): number;
  blockTimeOf(ticker: string): number | undefined;
  confirmationsOf(ticker: string): number | undefined;
  nameOf(ticker: string): string;
}

export function useCoins(): CoinFacts {
  const api = useApi();
  const coins = useQuery(walletQueries(api).coins());
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
