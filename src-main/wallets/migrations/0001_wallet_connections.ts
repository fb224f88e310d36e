// How to reach each coin's wallet daemon. The RPC password is only ever stored sealed by the
// vault's secret box; a cookie connection stores the cookie file's path instead.

import type { Migration } from '../../store/migrate.ts';

export const m0001WalletConnections: Migration = {
  version: 1,
  name: 'wallet_connections',
  up(db) {
    db.exec(`
      CREATE TABLE wallet_connections (
        ticker TEXT PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('password', 'cookie')),
        host TEXT NOT NULL,
        port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
        username TEXT,
        password_sealed TEXT,
        cookie_path TEXT,
        wallet TEXT,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
