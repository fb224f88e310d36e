// This node's own orders (made, taken, held back as stops). One row per order: the searchable
// columns plus the order service's data as JSON (bigints survive). put() keeps created_at.

import type { Database } from 'better-sqlite3';
import { fromJson, toJson } from '../store/json.ts';

export type MyOrderKind = 'limit' | 'market' | 'stop';
export type MyOrderRole = 'maker' | 'taker';

export interface MyOrderRow<T = unknown> {
  id: string;
  kind: MyOrderKind;
  role: MyOrderRole;
  /** One of ORDER_STATES (src-shared/orders/types.ts); the table refuses anything else. */
  state: string;
  base: string;
  quote: string;
  data: T;
}

export interface StoredMyOrder<T = unknown> extends MyOrderRow<T> {
  createdAt: number;
  updatedAt: number;
}

export interface OrderRepo {
  put(order: MyOrderRow): void;
  get<T = unknown>(id: string): StoredMyOrder<T> | undefined;
  /** Newest first; `live` leaves out orders in a terminal state. */
  list<T = unknown>(opts?: { live?: boolean; limit?: number }): Array<StoredMyOrder<T>>;
}

interface Row {
  id: string;
  kind: MyOrderKind;
  role: MyOrderRole;
  state: string;
  base: string;
  quote: string;
  data: string;
  created_at: number;
  updated_at: number;
}

const TERMINAL = "('finished', 'canceled', 'expired', 'invalid', 'rolledback', 'rollbackFailed')";

export function createOrderRepo(db: Database, deps: { now?: () => number } = {}): OrderRepo {
  const now = deps.now ?? Date.now;
  const upsert = db.prepare<[string, string, string, string, string, string, string, number, number]>(`
    INSERT INTO my_orders (id, kind, role, state, base, quote, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, role = excluded.role, state = excluded.state, base = excluded.base,
      quote = excluded.quote, data = excluded.data, updated_at = excluded.updated_at`);
  const cols = 'id, kind, role, state, base, quote, data, created_at, updated_at';
  const selectOne = db.prepare<[string], Row>(`SELECT ${cols} FROM my_orders WHERE id = ?`);
  const selectAll = db.prepare<[number], Row>(`SELECT ${cols} FROM my_orders ORDER BY created_at DESC, id LIMIT ?`);
  const selectLive = db.prepare<[number], Row>(
    `SELECT ${cols} FROM my_orders WHERE state NOT IN ${TERMINAL} ORDER BY created_at DESC, id LIMIT ?`,
  );
  const fromRow = <T>(r: Row): StoredMyOrder<T> => ({
    id: r.id,
    kind: r.kind,
    role: r.role,
    state: r.state,
    base: r.base,
    quote: r.quote,
    data: fromJson<T>(r.data),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  return {
    put(o) {
      const data = toJson(o.data);
      const t = now();
      upsert.run(o.id, o.kind, o.role, o.state, o.base, o.quote, data, t, t);
    },
    get(id) {
      const r = selectOne.get(id);
      return r ? fromRow(r) : undefined;
    },
    list(opts = {}) {
      const limit = opts.limit ?? 10_000;
      return (opts.live ? selectLive : selectAll).all(limit).map((r) => fromRow(r));
    },
  };
}
