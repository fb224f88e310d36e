// Service nodes this node accepted (registration, latest heartbeat, collateral check), and on a
// service node itself the holds it signed: each taker fee transaction pays for one hold only.

import type { Database } from 'better-sqlite3';
import { fromJson, toJson } from '../store/json.ts';

export type CollateralVerification = 'yes' | 'no-chain' | 'failed';

export interface ServiceNodeRow<R = unknown, A = unknown> {
  outpoint: string;
  pubkey: string;
  registration: R;
  announce: A | null;
  verified: CollateralVerification;
  lastSeen: number;
}

export interface SnHoldRow<H = unknown> {
  holdId: string;
  orderId: string;
  feeTxid: string;
  hold: H;
  status: 'held' | 'traded';
  tradeId: string | null;
  createdAt: number;
}

export interface ServiceNodeRepo {
  putNode(n: ServiceNodeRow): void;
  deleteNode(outpoint: string): void;
  listNodes<R = unknown, A = unknown>(): Array<ServiceNodeRow<R, A>>;
  /** Records a hold; false when its fee transaction already paid for another hold. */
  addHold(h: { holdId: string; orderId: string; feeTxid: string; hold: unknown }): boolean;
  feeUsed(feeTxid: string): boolean;
  /** The hold a fee transaction paid for, if any. */
  holdByFee<H = unknown>(feeTxid: string): SnHoldRow<H> | undefined;
  markTraded(holdId: string, tradeId: string): boolean;
  holds<H = unknown>(limit?: number): Array<SnHoldRow<H>>;
}

interface NodeRow {
  outpoint: string;
  pubkey: string;
  registration: string;
  announce: string | null;
  verified: CollateralVerification;
  last_seen: number;
}

interface HoldRow {
  hold_id: string;
  order_id: string;
  fee_txid: string;
  hold: string;
  status: 'held' | 'traded';
  trade_id: string | null;
  created_at: number;
}

export function createServiceNodeRepo(db: Database, deps: { now?: () => number } = {}): ServiceNodeRepo {
  const now = deps.now ?? Date.now;
  const upsertNode = db.prepare<[string, string, string, string | null, string, number]>(`
    INSERT INTO service_nodes (outpoint, pubkey, registration, announce, verified, last_seen) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (outpoint) DO UPDATE SET pubkey = excluded.pubkey, registration = excluded.registration, announce = excluded.announce,
      verified = excluded.verified, last_seen = excluded.last_seen`);
  const removeNode = db.prepare<[string]>('DELETE FROM service_nodes WHERE outpoint = ?');
  const selectNodes = db.prepare<[], NodeRow>(
    'SELECT outpoint, pubkey, registration, announce, verified, last_seen FROM service_nodes ORDER BY outpoint',
  );
  const insertHold = db.prepare<[string, string, string, string, number, number]>(
    "INSERT OR IGNORE INTO sn_holds (hold_id, order_id, fee_txid, hold, status, trade_id, created_at, updated_at) VALUES (?, ?, ?, ?, 'held', NULL, ?, ?)",
  );
  const feeRow = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM sn_holds WHERE fee_txid = ?');
  const byFee = db.prepare<[string], HoldRow>(
    'SELECT hold_id, order_id, fee_txid, hold, status, trade_id, created_at FROM sn_holds WHERE fee_txid = ?',
  );
  const traded = db.prepare<[string, number, string]>(
    "UPDATE sn_holds SET status = 'traded', trade_id = ?, updated_at = ? WHERE hold_id = ? AND status = 'held'",
  );
  const selectHolds = db.prepare<[number], HoldRow>(
    'SELECT hold_id, order_id, fee_txid, hold, status, trade_id, created_at FROM sn_holds ORDER BY created_at DESC, hold_id LIMIT ?',
  );
  return {
    putNode: (n) =>
      void upsertNode.run(
        n.outpoint,
        n.pubkey,
        toJson(n.registration),
        n.announce === null ? null : toJson(n.announce),
        n.verified,
        n.lastSeen,
      ),
    deleteNode: (outpoint) => void removeNode.run(outpoint),
    listNodes: <R, A>() =>
      selectNodes.all().map((r): ServiceNodeRow<R, A> => ({
        outpoint: r.outpoint,
        pubkey: r.pubkey,
        registration: fromJson<R>(r.registration),
        announce: r.announce === null ? null : fromJson<A>(r.announce),
        verified: r.verified,
        lastSeen: r.last_seen,
      })),
    addHold(h) {
      const t = now();
      return insertHold.run(h.holdId, h.orderId, h.feeTxid, toJson(h.hold), t, t).changes === 1;
    },
    feeUsed: (feeTxid) => feeRow.get(feeTxid) !== undefined,
    holdByFee: <H>(feeTxid: string) => {
      const r = byFee.get(feeTxid);
      return r
        ? {
            holdId: r.hold_id,
            orderId: r.order_id,
            feeTxid: r.fee_txid,
            hold: fromJson<H>(r.hold),
            status: r.status,
            tradeId: r.trade_id,
            createdAt: r.created_at,
          }
        : undefined;
    },
    markTraded: (holdId, tradeId) => traded.run(tradeId, now(), holdId).changes === 1,
    holds: <H>(limit = 1000) =>
      selectHolds.all(limit).map((r): SnHoldRow<H> => ({
        holdId: r.hold_id,
        orderId: r.order_id,
        feeTxid: r.fee_txid,
        hold: fromJson<H>(r.hold),
        status: r.status,
        tradeId: r.trade_id,
        createdAt: r.created_at,
      })),
  };
}
