// trade.new → the trade history's cache, batched (api/events.ts): each market's trades are
// prepended, folded exactly into every cached candle series and written as the 24 h stats' last
// price; the stats are refetched at most every so often. A trade delivered twice counts once.
import type { Result } from '../../src-shared/api/contract.ts';
import { CANDLE_INTERVALS } from '../../src-shared/history/candles.ts';
import { recentIds, type FeatureEventsFactory } from '../api/events.ts';
import { foldTrades } from './candles.ts';
import { historyKeys, TRADES_LIMIT } from './queries.ts';

type TradeView = Result<'history.fills'>[number];
type History = Result<'history.candles'>;
type Stats = History['stats'];

/** New trades in front (newest first), without duplicates, at most `cap` kept. */
export function prependTrades(list: readonly TradeView[], trades: readonly TradeView[], cap: number): TradeView[] {
  const fresh = trades
    .filter((t) => !list.some((o) => o.id === t.id))
    .sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1));
  if (fresh.length === 0) return list as TradeView[];
  return [...fresh, ...list].slice(0, cap);
}

export interface HistoryEventsOptions {
  /** Least time between two refetches of one market's 24 h stats. */
  statsIntervalMs?: number;
}

const SEEN_TRADES = 5000;

export function createHistoryEvents(opts: HistoryEventsOptions = {}): FeatureEventsFactory {
  const statsInterval = opts.statsIntervalMs ?? 3000;

  return ({ qc, requestFlush, refetchThrottled }) => {
    let trades: TradeView[] = [];
    const seenTrades = recentIds(SEEN_TRADES);
    const dirtyStats = new Map<string, { base: string; quote: string }>();

    function foldIntoCandles(base: string, quote: string, list: readonly TradeView[]): void {
      for (const [key, data] of qc.getQueriesData<History>({ queryKey: historyKeys.candles(base, quote) })) {
        const interval = CANDLE_INTERVALS.find((i) => i === key[historyKeys.candles(base, quote).length]);
        if (!data || !interval) continue;
        const folded = foldTrades(data.candles, list, interval);
        if (folded.changed) qc.setQueryData<History>(key, { ...data, candles: folded.candles });
        // A trade older than the last candle: only the node has the exact history.
        if (folded.stale) void qc.invalidateQueries({ queryKey: key, exact: true });
      }
    }

    function applyTrades(): void {
      const byMarket = new Map<string, TradeView[]>();
      for (const t of trades) {
        const id = `${t.base}/${t.quote}`;
        byMarket.set(id, [...(byMarket.get(id) ?? []), t]);
      }
      const mine = trades.filter((t) => t.mine);
      trades = [];
      if (mine.length > 0)
        qc.setQueryData<TradeView[]>(historyKeys.mine, (list) =>
          list ? prependTrades(list, mine, TRADES_LIMIT) : list,
        );
      for (const [id, list] of byMarket) {
        const first = list[0];
        if (!first) continue;
        const { base, quote } = first;
        qc.setQueryData<TradeView[]>(historyKeys.trades(base, quote), (old) =>
          old ? prependTrades(old, list, TRADES_LIMIT) : old,
        );
        foldIntoCandles(base, quote, list);
        const latest = list.reduce((a, b) => (b.time >= a.time ? b : a));
        qc.setQueryData<Stats>(historyKeys.stats(base, quote), (s) => (s ? { ...s, last: latest.price } : s));
        dirtyStats.set(id, { base, quote });
      }
    }

    return {
      on: {
        'history.trade': (t) => {
          if (!seenTrades.firstTime(t.id)) return;
          trades.push(t);
          requestFlush();
        },
        'vault.state': ({ state }) => {
          if (state !== 'unlocked') qc.removeQueries({ queryKey: historyKeys.mine });
        },
      },
      flush() {
        applyTrades();
        for (const [id, m] of dirtyStats) {
          if (refetchThrottled(historyKeys.stats(m.base, m.quote), statsInterval)) dirtyStats.delete(id);
        }
        return dirtyStats.size > 0;
      },
    };
  };
}

export const historyEvents = createHistoryEvents();
