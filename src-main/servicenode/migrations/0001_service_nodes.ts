// Service nodes: every registration this node accepted (by collateral outpoint) with the latest
// heartbeat and the collateral check; and, on a service node itself, the holds it signed, each
// with the taker's fee transaction (used once) and how the trade ended.

import type { Migration } from '../../store/migrate.ts';

export const m0001ServiceNodes: Migration = {
  version: 1,
  name: 'service_nodes',
  up(db) {
    db.exec(`
      CREATE TABLE service_nodes (
        outpoint TEXT PRIMARY KEY NOT NULL,
        pubkey TEXT NOT NULL,
        registration TEXT NOT NULL CHECK (json_valid(registration)),
        announce TEXT CHECK (announce IS NULL OR json_valid(announce)),
        verified TEXT NOT NULL CHECK (verified IN ('yes', 'no-chain', 'failed')),
        last_seen INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX service_nodes_by_pubkey ON service_nodes (pubkey);

      CREATE TABLE sn_holds (
        hold_id TEXT PRIMARY KEY NOT NULL,
        order_id TEXT NOT NULL,
        fee_txid TEXT NOT NULL UNIQUE,
        hold TEXT NOT NULL CHECK (json_valid(hold)),
        status TEXT NOT NULL CHECK (status IN ('held', 'traded')),
        trade_id TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX sn_holds_by_order ON sn_holds (order_id);
    `);
  },
};
