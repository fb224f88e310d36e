// This node's own orders: limit orders it made, takes and market orders it sent, stop orders it
// holds locally. One row per order with its state (the shared ORDER_STATES) and its data as JSON.

import type { Migration } from '../../store/migrate.ts';

export const m0001Orders: Migration = {
  version: 1,
  name: 'orders',
  up(db) {
    db.exec(`
      CREATE TABLE my_orders (
        id TEXT PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('limit', 'market', 'stop')),
        role TEXT NOT NULL CHECK (role IN ('maker', 'taker')),
        state TEXT NOT NULL CHECK (state IN ('new', 'open', 'accepting', 'hold', 'initialized', 'created', 'committed', 'finished',
          'canceled', 'expired', 'offline', 'invalid', 'rolledback')),
        base TEXT NOT NULL,
        quote TEXT NOT NULL,
        data TEXT NOT NULL CHECK (json_valid(data)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX my_orders_live ON my_orders (created_at)
        WHERE state NOT IN ('finished', 'canceled', 'expired', 'invalid', 'rolledback');
    `);
  },
};
