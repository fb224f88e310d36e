// The order state `rollbackFailed` (XBridge's "rollback failed": a swap that ended lost, docs/swap.md
// §7) joins the states my_orders accepts. SQLite cannot change a CHECK constraint in place, so the
// table is rebuilt with the same rows.
import type { Migration } from '../../store/migrate.ts';

export const m0002RollbackFailed: Migration = {
  version: 2,
  name: 'orders-rollback-failed',
  up(db) {
    db.exec(`
      CREATE TABLE my_orders_next (
        id TEXT PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('limit', 'market', 'stop')),
        role TEXT NOT NULL CHECK (role IN ('maker', 'taker')),
        state TEXT NOT NULL CHECK (state IN ('new', 'open', 'accepting', 'hold', 'initialized', 'created', 'committed', 'finished',
          'canceled', 'expired', 'offline', 'invalid', 'rolledback', 'rollbackFailed')),
        base TEXT NOT NULL,
        quote TEXT NOT NULL,
        data TEXT NOT NULL CHECK (json_valid(data)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      INSERT INTO my_orders_next (id, kind, role, state, base, quote, data, created_at, updated_at)
        SELECT id, kind, role, state, base, quote, data, created_at, updated_at FROM my_orders;
      DROP TABLE my_orders;
      ALTER TABLE my_orders_next RENAME TO my_orders;
      CREATE INDEX my_orders_live ON my_orders (created_at)
        WHERE state NOT IN ('finished', 'canceled', 'expired', 'invalid', 'rolledback', 'rollbackFailed');
    `);
  },
};
