// Peers banned for sending invalid data, until a time (ms since the epoch).

import type { Migration } from '../../store/migrate.ts';

export const m0001PeersBanned: Migration = {
  version: 1,
  name: 'peers_banned',
  up(db) {
    db.exec(`
      CREATE TABLE peers_banned (
        peer_id TEXT PRIMARY KEY NOT NULL,
        reason TEXT NOT NULL,
        until INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
