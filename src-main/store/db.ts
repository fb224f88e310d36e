// Opens the node's SQLite database: WAL (readers never block the writer), foreign keys on,
// a busy timeout for a second process, then every pending migration of the domains given.

import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate, type DomainSchema } from './migrate.ts';

export type StoreDatabase = Database;

export interface OpenStoreOptions {
  /** The domains' tables; the node passes every module's (src-main/core/modules.ts), tests use openTestStore (src-main/core/test-store.ts). */
  schemas: readonly DomainSchema[];
  /** Per domain, migrate only this far (tests build older schemas). */
  targets?: Readonly<Record<string, number>>;
  busyTimeoutMs?: number;
}

export function openStore(path: string, options: OpenStoreOptions): Database {
  const db = new BetterSqlite3(path);
  try {
    db.pragma('journal_mode = WAL'); // stays 'memory' for ':memory:'
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    // FULL: a swap event must survive a power cut once written, because its effect runs next.
    db.pragma('synchronous = FULL');
    migrate(db, options.schemas, options.targets ? { targets: options.targets } : {});
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
