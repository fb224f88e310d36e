// The payments domain's tables: the payment book (which is also the pay machine's durable state),
// the requests this node made, and the user's contacts (docs/payments.md §9.1).
import type { Migration } from '../../store/migrate.ts';

export const m0001Payments: Migration = {
  version: 1,
  name: 'payments',
  up(db) {
    db.exec(`
      CREATE TABLE payments (
        key TEXT PRIMARY KEY NOT NULL CHECK (length(key) = 64),
        phase TEXT NOT NULL CHECK (phase IN ('ready', 'sending', 'reconciling', 'sent', 'confirmed', 'failed', 'canceled')),
        ticker TEXT NOT NULL,
        did TEXT,
        state TEXT NOT NULL CHECK (json_valid(state)),
        entry TEXT NOT NULL CHECK (json_valid(entry)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX payments_by_did ON payments (did, created_at);
      CREATE INDEX payments_by_time ON payments (created_at);
      CREATE INDEX payments_unfinished ON payments (phase) WHERE phase IN ('sending', 'reconciling', 'sent');

      CREATE TABLE payment_requests (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 32),
        ticker TEXT NOT NULL,
        address TEXT NOT NULL UNIQUE,
        uri TEXT NOT NULL,
        identity TEXT,
        terms TEXT NOT NULL CHECK (json_valid(terms)),
        seen TEXT NOT NULL CHECK (json_valid(seen)),
        canceled INTEGER NOT NULL DEFAULT 0 CHECK (canceled IN (0, 1)),
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX payment_requests_by_time ON payment_requests (created_at);

      CREATE TABLE payment_contacts (
        did TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        saved_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
