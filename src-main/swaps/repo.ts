// Swap persistence for the engine: an append-only event log per swap (seq 1, 2, 3, …) and the
// latest snapshot. appendEventAndUpdate writes both in one transaction, so they never disagree.

import type { Database } from 'better-sqlite3';
import { fromJson, toJson } from '../store/json.ts';

export type SwapRole = 'maker' | 'taker';

export interface SwapSnapshot {
  swapId: string;
  role: SwapRole;
  state: string;
  /** True once the swap has ended (completed, refunded or failed before funding); never reverts. */
  terminal: boolean;
  /** Engine data, JSON with bigints allowed. */
  data: unknown;
}

export interface StoredSwap extends SwapSnapshot {
  createdAt: number;
  updatedAt: number;
}

export interface SwapEventInput {
  type: string;
  payload: unknown;
}

export interface StoredSwapEvent {
  swapId: string;
  seq: number;
  type: string;
  payload: unknown;
  createdAt: number;
}

export interface SwapRepo {
  /** Appends and returns the event's seq (1 for a swap's first event). */
  appendEvent(swapId: string, type: string, payload: unknown): number;
  /** Appends the event and upserts the snapshot atomically; returns the event's seq. */
  appendEventAndUpdate(swapId: string, event: SwapEventInput, snapshot: SwapSnapshot): number;
  /** Events in seq order, optionally only those after `afterSeq`. */
  events(swapId: string, afterSeq?: number): StoredSwapEvent[];
  get(swapId: string): StoredSwap | undefined;
  upsert(snapshot: SwapSnapshot): void;
  /** Swaps not yet terminal, oldest first: what the engine resumes on start. */
  unfinished(): StoredSwap[];
  /** Every swap, finished or not, newest first (ties by id); at most `limit` (default 500). */
  list(opts?: { limit?: number }): StoredSwap[];
}

const DEFAULT_LIST_LIMIT = 500;

interface SwapRow {
  swap_id: string;
  role: SwapRole;
  state: string;
  terminal: number;
  data: string;
  created_at: number;
  updated_at: number;
}

interface EventRow {
  swap_id: string;
  seq: number;
  type: string;
  payload: string;
  created_at: number;
}

export function createSwapRepo(db: Database, deps: { now?: () => number } = {}): SwapRepo {
  const now = deps.now ?? Date.now;
  const nextSeq = db.prepare<[string], { next: number }>(
    'SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM swap_events WHERE swap_id = ?',
  );
  const insertEvent = db.prepare<[string, number, string, string, number]>(
    'INSERT INTO swap_events (swap_id, seq, type, payload, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const selectEvents = db.prepare<[string, number], EventRow>(
    'SELECT swap_id, seq, type, payload, created_at FROM swap_events WHERE swap_id = ? AND seq > ? ORDER BY seq',
  );
  const upsertSwap = db.prepare<[string, string, string, number, string, number, number]>(`
    INSERT INTO swaps (swap_id, role, state, terminal, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (swap_id) DO UPDATE SET
      role = excluded.role, state = excluded.state, terminal = excluded.terminal, data = excluded.data, updated_at = excluded.updated_at`);
  const columns = 'swap_id, role, state, terminal, data, created_at, updated_at';
  const selectSwap = db.prepare<[string], SwapRow>(`SELECT ${columns} FROM swaps WHERE swap_id = ?`);
  const selectUnfinished = db.prepare<[], SwapRow>(
    `SELECT ${columns} FROM swaps WHERE terminal = 0 ORDER BY created_at, swap_id`,
  );
  const selectNewest = db.prepare<[number], SwapRow>(
    `SELECT ${columns} FROM swaps ORDER BY created_at DESC, swap_id LIMIT ?`,
  );

  const append = (swapId: string, type: string, payload: unknown): number => {
    const json = toJson(payload); // encode first: a bad payload must not leave a half-done transaction
    const seq = nextSeq.get(swapId)?.next ?? 1;
    insertEvent.run(swapId, seq, type, json, now());
    return seq;
  };

  const put = (s: SwapSnapshot): void => {
    const t = now();
    upsertSwap.run(s.swapId, s.role, s.state, s.terminal ? 1 : 0, toJson(s.data), t, t);
  };

  // IMMEDIATE takes the write lock before reading MAX(seq), so two writers cannot pick the same seq.
  const appendTx = db.transaction(append);
  const appendAndUpdateTx = db.transaction((swapId: string, event: SwapEventInput, snapshot: SwapSnapshot) => {
    put(snapshot);
    return append(swapId, event.type, event.payload);
  });

  return {
    appendEvent: (swapId, type, payload) => appendTx.immediate(swapId, type, payload),
    appendEventAndUpdate(swapId, event, snapshot) {
      if (snapshot.swapId !== swapId) throw new Error(`snapshot is for swap ${snapshot.swapId}, event for ${swapId}`);
      return appendAndUpdateTx.immediate(swapId, event, snapshot);
    },
    events: (swapId, afterSeq = 0) =>
      selectEvents.all(swapId, afterSeq).map((r) => ({
        swapId: r.swap_id,
        seq: r.seq,
        type: r.type,
        payload: fromJson(r.payload),
        createdAt: r.created_at,
      })),
    get(swapId) {
      const row = selectSwap.get(swapId);
      return row ? swapFromRow(row) : undefined;
    },
    upsert: put,
    unfinished: () => selectUnfinished.all().map(swapFromRow),
    list({ limit = DEFAULT_LIST_LIMIT } = {}) {
      if (!Number.isInteger(limit) || limit < 0)
        throw new RangeError(`list limit must be a whole number >= 0, not ${limit}`);
      return selectNewest.all(limit).map(swapFromRow);
    },
  };
}

function swapFromRow(r: SwapRow): StoredSwap {
  return {
    swapId: r.swap_id,
    role: r.role,
    state: r.state,
    terminal: r.terminal === 1,
    data: fromJson(r.data),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
