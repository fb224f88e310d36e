// Opens the node's SQLite database: WAL (readers never block the writer), foreign keys on,
// a busy timeout for a second process, then every pending migration.

import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate, type Migration } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

export type StoreDatabase = Database;

export interface OpenStoreOptions {
  /** Defaults to every migration this code knows. Tests pass a prefix to build an older schema. */
  migrations?: readonly Migration[];
  busyTimeoutMs?: number;
}

export function openStore(path: string, options: OpenStoreOptions = {}): Database {
  const db = new BetterSqlite3(path);
  try {
    db.pragma('journal_mode = WAL'); // stays 'memory' for ':memory:'
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    // FULL: a swap event must survive a power cut once written, because its effect runs next.
    db.pragma('synchronous = FULL');
    migrate(db, options.migrations ?? MIGRATIONS);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
