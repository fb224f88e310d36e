// Swaps: an append-only event log (written before each effect runs) plus a snapshot per swap for
// fast resume. The database itself forbids editing or deleting events, and reopening a finished swap.

import type { Migration } from '../../store/migrate.ts';

export const m0001Swaps: Migration = {
  version: 1,
  name: 'swaps',
  up(db) {
    db.exec(`
      CREATE TABLE swap_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        swap_id TEXT NOT NULL,
        seq INTEGER NOT NULL CHECK (seq >= 1),
        type TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        created_at INTEGER NOT NULL,
        UNIQUE (swap_id, seq)
      ) STRICT;

      CREATE TRIGGER swap_events_no_update BEFORE UPDATE ON swap_events
      BEGIN
        SELECT RAISE(ABORT, 'swap_events is append-only: events cannot be changed');
      END;

      CREATE TRIGGER swap_events_no_delete BEFORE DELETE ON swap_events
      BEGIN
        SELECT RAISE(ABORT, 'swap_events is append-only: events cannot be deleted');
      END;

      CREATE TABLE swaps (
        swap_id TEXT PRIMARY KEY NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('maker', 'taker')),
        state TEXT NOT NULL,
        terminal INTEGER NOT NULL CHECK (terminal IN (0, 1)),
        data TEXT NOT NULL CHECK (json_valid(data)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX swaps_unfinished ON swaps (created_at) WHERE terminal = 0;

      CREATE TRIGGER swaps_terminal_is_final BEFORE UPDATE OF terminal ON swaps
      WHEN OLD.terminal = 1 AND NEW.terminal = 0
      BEGIN
        SELECT RAISE(ABORT, 'a finished swap cannot be reopened');
      END;
    `);
  },
};
