// Numbered schema migrations, one stream per domain: each domain numbers its own migrations 1..n
// and they are recorded as (domain, version) in schema_migrations, so domains grow their tables
// independently. Each step runs once, in its own transaction. A database that holds a newer
// schema for any domain (or a domain this code does not know) is refused rather than guessed at.

import { CodedError } from '../../src-shared/errors.ts';
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** 1..n within its domain. */
  version: number;
  name: string;
  up(db: Database): void;
}

/** A domain's tables: its name and its migrations in order. */
export interface DomainSchema {
  domain: string;
  migrations: readonly Migration[];
}

/** The database was written by a newer Hashlock (code STORE_VERSION): refuse rather than guess. */
export function storeVersionError(domain: string, databaseVersion: number, knownVersion: number, where: string) {
  return new CodedError(
    'STORE_VERSION',
    knownVersion === 0
      ? `The database ${where} holds tables of "${domain}", which this version of Hashlock does not know. ` +
          'Update Hashlock, or use another data directory.'
      : `The database ${where} has ${domain} schema version ${databaseVersion}, but this version of Hashlock only knows up to ${knownVersion}. ` +
          'Update Hashlock, or use another data directory.',
    { domain, databaseVersion, knownVersion },
  );
}

/**
 * Before domains had their own streams, schema_migrations held one global sequence. Those seven
 * versions are each the first migration of one domain; an old database is rewritten once.
 */
const LEGACY_VERSIONS: Readonly<Record<number, string>> = {
  1: 'settings',
  2: 'wallets',
  3: 'swaps',
  4: 'p2p',
  5: 'orders',
  6: 'history',
  7: 'servicenode',
};

const hasTable = (db: Database, name: string) =>
  !!db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name);

function upgradeLegacyTable(db: Database): void {
  const columns = db.prepare('PRAGMA table_info(schema_migrations)').all() as Array<{ name: string }>;
  if (columns.some((c) => c.name === 'domain')) return;
  db.transaction(() => {
    const rows = db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as Array<{
      version: number;
      name: string;
      applied_at: number;
    }>;
    for (const r of rows) {
      if (!LEGACY_VERSIONS[r.version]) throw storeVersionError('store', r.version, 7, `at ${db.name}`);
    }
    db.exec('ALTER TABLE schema_migrations RENAME TO schema_migrations_legacy');
    createTable(db);
    const insert = db.prepare('INSERT INTO schema_migrations (domain, version, name, applied_at) VALUES (?, 1, ?, ?)');
    for (const r of rows) insert.run(LEGACY_VERSIONS[r.version]!, r.name, r.applied_at);
    db.exec('DROP TABLE schema_migrations_legacy');
  }).immediate();
}

function createTable(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    domain TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL,
    PRIMARY KEY (domain, version)
  ) STRICT`);
}

/** The schema version of every domain the database holds (0 for none). */
export function schemaVersions(db: Database): Record<string, number> {
  if (!hasTable(db, 'schema_migrations')) return {};
  const columns = db.prepare('PRAGMA table_info(schema_migrations)').all() as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'domain')) {
    const out: Record<string, number> = {};
    for (const v of db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]) {
      out[LEGACY_VERSIONS[v] ?? `legacy-${v}`] = 1;
    }
    return out;
  }
  const rows = db.prepare('SELECT domain, MAX(version) AS v FROM schema_migrations GROUP BY domain').all() as Array<{
    domain: string;
    v: number;
  }>;
  return Object.fromEntries(rows.map((r) => [r.domain, r.v]));
}

function checkSchemas(schemas: readonly DomainSchema[]): void {
  const seen = new Set<string>();
  for (const s of schemas) {
    if (seen.has(s.domain)) throw new Error(`two schemas name the domain ${s.domain}`);
    seen.add(s.domain);
    s.migrations.forEach((m, i) => {
      if (m.version !== i + 1) {
        throw new Error(`${s.domain} migrations are not numbered 1..n: position ${i} has version ${m.version}`);
      }
    });
  }
}

/**
 * Brings every domain up to its target (default: its last migration), domains in the order given.
 * Returns each domain's version before and after. Safe when two processes open the same file:
 * each step re-checks inside a write lock.
 */
export function migrate(
  db: Database,
  schemas: readonly DomainSchema[],
  options: { targets?: Readonly<Record<string, number>>; now?: () => number } = {},
): { from: Record<string, number>; to: Record<string, number> } {
  checkSchemas(schemas);
  const now = options.now ?? Date.now;
  if (hasTable(db, 'schema_migrations')) upgradeLegacyTable(db);
  createTable(db);
  const from = schemaVersions(db);
  const where = db.name === ':memory:' ? 'in memory' : `at ${db.name}`;
  const known = new Map(schemas.map((s) => [s.domain, s.migrations.length]));
  for (const [domain, version] of Object.entries(from)) {
    const k = known.get(domain) ?? 0;
    if (version > k) throw storeVersionError(domain, version, k, where);
  }

  const applied = db.prepare('SELECT 1 FROM schema_migrations WHERE domain = ? AND version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (domain, version, name, applied_at) VALUES (?, ?, ?, ?)');
  for (const s of schemas) {
    const target = options.targets?.[s.domain] ?? s.migrations.length;
    if (!Number.isInteger(target) || target < 0 || target > s.migrations.length) {
      throw new RangeError(`no ${s.domain} migration ${target}`);
    }
    for (const m of s.migrations) {
      if (m.version <= (from[s.domain] ?? 0) || m.version > target) continue;
      db.transaction(() => {
        if (applied.get(s.domain, m.version)) return;
        m.up(db);
        record.run(s.domain, m.version, m.name, now());
      }).immediate();
    }
  }
  return { from, to: schemaVersions(db) };
}
