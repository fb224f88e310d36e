// Numbered schema migrations: each runs once, in its own transaction, and is recorded in
// schema_migrations. A database newer than this code is refused rather than guessed at.

import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export class StoreVersionError extends Error {
  override name = 'StoreVersionError';
  readonly databaseVersion: number;
  readonly knownVersion: number;
  constructor(databaseVersion: number, knownVersion: number, where: string) {
    super(
      `The database ${where} has schema version ${databaseVersion}, but this version of Hashlock only knows up to ${knownVersion}. ` +
        'Update Hashlock, or use another data directory.',
    );
    this.databaseVersion = databaseVersion;
    this.knownVersion = knownVersion;
  }
}

export function schemaVersion(db: Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Brings the schema up to `target` (default: the last migration). Returns the versions before
 * and after. Safe when two processes open the same file: each step re-checks inside a write lock.
 */
export function migrate(
  db: Database,
  migrations: readonly Migration[],
  options: { target?: number; now?: () => number } = {},
): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration list is not numbered 1..n: position ${i} has version ${m.version}`);
  });
  const latest = migrations.length;
  const target = options.target ?? latest;
  if (!Number.isInteger(target) || target < 0 || target > latest) throw new RangeError(`no migration ${target}`);
  const now = options.now ?? Date.now;

  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const from = schemaVersion(db);
  if (from > latest) throw new StoreVersionError(from, latest, db.name === ':memory:' ? 'in memory' : `at ${db.name}`);

  const applied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (m.version <= from || m.version > target) continue;
    db.transaction(() => {
      if (applied.get(m.version)) return;
      m.up(db);
      record.run(m.version, m.name, now());
    }).immediate();
  }
  return { from, to: Math.max(from, schemaVersion(db)) };
}
