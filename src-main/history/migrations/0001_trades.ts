// Finished trades: each signed trade record once, by trade id (the hold id), with its market and
// time for candles, and whether this node could check it against chain data. A record never
// changes once stored; only its verification result does.

import type { Migration } from '../../store/migrate.ts';

export const m0001Trades: Migration = {
  version: 1,
  name: 'trades',
  up(db) {
    db.exec(`
      CREATE TABLE trades (
        trade_id TEXT PRIMARY KEY NOT NULL,
        base TEXT NOT NULL,
        quote TEXT NOT NULL,
        finished_at INTEGER NOT NULL,
        record TEXT NOT NULL CHECK (json_valid(record)),
        verified TEXT NOT NULL CHECK (verified IN ('yes', 'no-chain', 'failed', 'pending')),
        mine INTEGER NOT NULL CHECK (mine IN (0, 1)),
        received_at INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX trades_by_market_time ON trades (base, quote, finished_at);

      CREATE TRIGGER trades_record_is_final BEFORE UPDATE OF trade_id, record, base, quote, finished_at ON trades
      BEGIN
        SELECT RAISE(ABORT, 'a trade record cannot be changed once stored');
      END;
    `);
  },
};
