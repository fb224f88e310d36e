// The trade history's queries under the one root key ['history']: per market its candles (one
// series per interval), 24 h stats and latest trades; and the user's own trades. Keys run
// general → specific so one market's history (['history','market',B,Q]) goes at once.
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';
import { INTERVAL_MS, type CandleInterval } from '../../src-shared/history/candles.ts';

const all = ['history'] as const;
const market = (base: string, quote: string) => [...all, 'market', base, quote] as const;
const candles = (base: string, quote: string) => [...market(base, quote), 'candles'] as const;

export const historyKeys = {
  all,
  market,
  candles,
  candleSeries: (base: string, quote: string, interval: CandleInterval) => [...candles(base, quote), interval] as const,
  stats: (base: string, quote: string) => [...market(base, quote), 'stats'] as const,
  trades: (base: string, quote: string) => [...market(base, quote), 'trades'] as const,
  /** The user's own trades: what needs the unlocked vault. */
  mine: [...all, 'mine'] as const,
};

/** The chart asks for at most this many candles of any interval (a year of 5-minute candles). */
export const MAX_CANDLES = 105_120;
export const TRADES_LIMIT = 200;

export function historyQueries(api: ApiClient) {
  return {
    candles: (base: string, quote: string, interval: CandleInterval) =>
      queryOptions({
        queryKey: historyKeys.candleSeries(base, quote, interval),
        // `from` is computed at fetch time so the key stays stable; trade.new extends the series.
        queryFn: () =>
          api.call('history.candles', {
            base,
            quote,
            interval,
            from: Math.max(0, Date.now() - INTERVAL_MS[interval] * MAX_CANDLES),
          }),
        staleTime: Infinity,
        // Up to 100k candles: trade.new folds keep untouched candles as the same objects already,
        // and a deep comparison of the whole series on every trade would stall frames.
        structuralSharing: false,
        select: (r) => r.candles,
      }),
    stats: (base: string, quote: string) =>
      queryOptions({
        queryKey: historyKeys.stats(base, quote),
        queryFn: async () =>
          (await api.call('history.candles', { base, quote, interval: '1h', from: Date.now() - 86_400_000 })).stats,
        staleTime: Infinity,
      }),
    trades: (base: string, quote: string) =>
      queryOptions({
        queryKey: historyKeys.trades(base, quote),
        queryFn: () => api.call('history.fills', { base, quote, limit: TRADES_LIMIT }),
        staleTime: Infinity,
      }),
    mine: () =>
      queryOptions({
        queryKey: historyKeys.mine,
        queryFn: () => api.call('history.fills', { mine: true, limit: TRADES_LIMIT }),
        staleTime: Infinity,
      }),
  };
}
