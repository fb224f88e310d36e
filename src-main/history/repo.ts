// Signed trade records, each stored once by trade id; the record itself never changes (the table
// refuses it), only whether this node could check it against chain data.

import type { Database } from 'better-sqlite3';
import { fromJson, toJson } from '../store/json.ts';

export type TradeVerification = 'yes' | 'no-chain' | 'failed' | 'pending';

/**
 * Whether prices, candles, stats and stops may use a record (docs/orders.md §6): it matched the
 * chain, or its hold bound it to its maker and taker where this node has no chain. A record that
 * is neither stays 'pending' (unverified) and is only listed.
 */
export const usableTrade = (v: TradeVerification): boolean => v === 'yes' || v === 'no-chain';

export interface TradeRow<T = unknown> {
  tradeId: string;
  base: string;
  quote: string;
  finishedAt: number;
  record: T;
  verified: TradeVerification;
  /** This node was the maker or the taker. */
  mine: boolean;
}

export interface TradeRepo {
  /** Stores a new record; false (and nothing changes) when the trade id is already stored. */
  add(t: TradeRow): boolean;
  get<T = unknown>(tradeId: string): TradeRow<T> | undefined;
  setVerified(tradeId: string, verified: TradeVerification): void;
  /** Drops a record that failed its checks, so the real one can take its trade id. */
  remove(tradeId: string): void;
  /** Newest first. */
  list<T = unknown>(opts?: { base?: string; quote?: string; mine?: boolean; limit?: number }): Array<TradeRow<T>>;
  /** One market's trades with finishedAt in [from, to), oldest first (for candles). */
  range<T = unknown>(base: string, quote: string, from: number, to: number): Array<TradeRow<T>>;
}

interface Row {
  trade_id: string;
  base: string;
  quote: string;
  finished_at: number;
  record: string;
  verified: TradeVerification;
  mine: number;
}

export function createTradeRepo(db: Database, deps: { now?: () => number } = {}): TradeRepo {
  const now = deps.now ?? Date.now;
  const insert = db.prepare<[string, string, string, number, string, string, number, number]>(
    'INSERT OR IGNORE INTO trades (trade_id, base, quote, finished_at, record, verified, mine, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const cols = 'trade_id, base, quote, finished_at, record, verified, mine';
  const selectOne = db.prepare<[string], Row>(`SELECT ${cols} FROM trades WHERE trade_id = ?`);
  const update = db.prepare<[string, string]>('UPDATE trades SET verified = ? WHERE trade_id = ?');
  const del = db.prepare<[string]>('DELETE FROM trades WHERE trade_id = ?');
  const selectRange = db.prepare<[string, string, number, number], Row>(
    `SELECT ${cols} FROM trades WHERE base = ? AND quote = ? AND finished_at >= ? AND finished_at < ? ORDER BY finished_at, trade_id`,
  );
  const selectList = db.prepare<
    [{ base: string | null; quote: string | null; mine: number | null; limit: number }],
    Row
  >(
    `SELECT ${cols} FROM trades WHERE (@base IS NULL OR base = @base) AND (@quote IS NULL OR quote = @quote) AND (@mine IS NULL OR mine = @mine)
     ORDER BY finished_at DESC, trade_id LIMIT @limit`,
  );
  const fromRow = <T>(r: Row): TradeRow<T> => ({
    tradeId: r.trade_id,
    base: r.base,
    quote: r.quote,
    finishedAt: r.finished_at,
    record: fromJson<T>(r.record),
    verified: r.verified,
    mine: r.mine === 1,
  });
  return {
    add(t) {
      return (
        insert.run(t.tradeId, t.base, t.quote, t.finishedAt, toJson(t.record), t.verified, t.mine ? 1 : 0, now())
          .changes === 1
      );
    },
    get(tradeId) {
      const r = selectOne.get(tradeId);
      return r ? fromRow(r) : undefined;
    },
    setVerified: (tradeId, verified) => void update.run(verified, tradeId),
    remove: (tradeId) => void del.run(tradeId),
    list(opts = {}) {
      const mine = opts.mine === undefined ? null : opts.mine ? 1 : 0;
      return selectList
        .all({ base: opts.base ?? null, quote: opts.quote ?? null, mine, limit: opts.limit ?? 1000 })
        .map((r) => fromRow(r));
    },
    range: (base, quote, from, to) => selectRange.all(base, quote, from, to).map((r) => fromRow(r)),
  };
}
