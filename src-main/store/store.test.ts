// The store: SQLite opened the way the node needs it, and migrations in one stream per domain.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './db.ts';
import { migrate, schemaVersions, type DomainSchema, type Migration } from './migrate.ts';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hashlock-store-'));
  path = join(dir, 'node.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const table = (version: number, name: string): Migration => ({
  version,
  name,
  up: (db) => void db.exec(`CREATE TABLE ${name} (x INTEGER) STRICT`),
});
const notes: DomainSchema = { domain: 'notes', migrations: [table(1, 'notes_a'), table(2, 'notes_b')] };
const tags: DomainSchema = { domain: 'tags', migrations: [table(1, 'tags_a')] };
const SCHEMAS = [notes, tags];
const errorOf = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('openStore', () => {
  it('opens a file in WAL mode with foreign keys on and a busy timeout, every domain at its latest', () => {
    const db = openStore(path, { schemas: SCHEMAS });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(schemaVersions(db)).toEqual({ notes: 2, tags: 1 });
      db.prepare('INSERT INTO notes_b (x) VALUES (?)').run(1);
      expect(existsSync(`${path}-wal`)).toBe(true);
    } finally {
      db.close();
    }
  });

  it('runs no migration twice across reopen and keeps the data', () => {
    const first = openStore(path, { schemas: SCHEMAS });
    first.prepare('INSERT INTO tags_a (x) VALUES (?)').run(7);
    const applied = first.prepare('SELECT * FROM schema_migrations ORDER BY domain, version').all();
    first.close();
    const second = openStore(path, { schemas: SCHEMAS });
    expect(second.prepare('SELECT * FROM schema_migrations ORDER BY domain, version').all()).toEqual(applied);
    expect(second.prepare('SELECT x FROM tags_a').pluck().all()).toEqual([7]);
    expect(migrate(second, SCHEMAS)).toEqual({ from: { notes: 2, tags: 1 }, to: { notes: 2, tags: 1 } });
    second.close();
  });

  it('brings each domain forward on its own, recording (domain, version) for each step', () => {
    openStore(path, { schemas: SCHEMAS, targets: { notes: 1, tags: 0 } }).close();
    const db = openStore(path, { schemas: SCHEMAS });
    expect(db.prepare('SELECT domain, version, name FROM schema_migrations ORDER BY domain, version').all()).toEqual([
      { domain: 'notes', version: 1, name: 'notes_a' },
      { domain: 'notes', version: 2, name: 'notes_b' },
      { domain: 'tags', version: 1, name: 'tags_a' },
    ]);
    db.close();
  });

  it('adds a new domain to an existing database without touching the others', () => {
    openStore(path, { schemas: [notes] }).close();
    const db = openStore(path, { schemas: SCHEMAS });
    expect(schemaVersions(db)).toEqual({ notes: 2, tags: 1 });
    db.close();
  });

  it('refuses a database with a newer schema of a domain, with a clear error, and leaves it alone', () => {
    openStore(path, {
      schemas: [{ domain: 'notes', migrations: [...notes.migrations, table(3, 'notes_c')] }, tags],
    }).close();
    const error = errorOf(() => openStore(path, { schemas: SCHEMAS }));
    expect(error).toMatchObject({ code: 'STORE_VERSION' });
    expect((error as Error).message).toContain(
      'has notes schema version 3, but this version of Hashlock only knows up to 2',
    );
    const raw = new BetterSqlite3(path, { readonly: true });
    expect(schemaVersions(raw)).toEqual({ notes: 3, tags: 1 });
    raw.close();
  });

  it('refuses a database holding a domain this code does not know', () => {
    openStore(path, { schemas: [...SCHEMAS, { domain: 'future', migrations: [table(1, 'future_a')] }] }).close();
    const error = errorOf(() => openStore(path, { schemas: SCHEMAS }));
    expect(error).toMatchObject({ code: 'STORE_VERSION' });
    expect((error as Error).message).toContain('holds tables of "future"');
  });

  it('rolls back a migration that fails half way, recording nothing', () => {
    const broken: Migration = {
      version: 3,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half_done (x INTEGER) STRICT');
        throw new Error('boom');
      },
    };
    expect(() =>
      openStore(path, { schemas: [{ domain: 'notes', migrations: [...notes.migrations, broken] }] }),
    ).toThrow('boom');
    const db = openStore(path, { schemas: SCHEMAS });
    expect(schemaVersions(db)).toEqual({ notes: 2, tags: 1 });
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a migration list with a gap, and a domain named twice', () => {
    const db = new BetterSqlite3(':memory:');
    expect(() => migrate(db, [{ domain: 'notes', migrations: [table(1, 'a'), table(3, 'b')] }])).toThrow(
      /notes migrations are not numbered 1..n/,
    );
    expect(() => migrate(db, [notes, notes])).toThrow('two schemas name the domain notes');
    db.close();
  });

  it('fails on a file that is not a database', () => {
    writeFileSync(path, 'this is not sqlite, just text that is long enough to look like a header........'.repeat(20));
    expect(() => openStore(path, { schemas: SCHEMAS })).toThrow(/not a database/);
  });

  it('lets two connections to the same file migrate and write without clashing', () => {
    const a = openStore(path, { schemas: SCHEMAS });
    const b = openStore(path, { schemas: SCHEMAS });
    a.prepare('INSERT INTO notes_a (x) VALUES (?)').run(1);
    b.prepare('INSERT INTO notes_a (x) VALUES (?)').run(2);
    expect(a.prepare('SELECT COUNT(*) FROM notes_a').pluck().get()).toBe(2);
    expect(b.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(3);
    a.close();
    b.close();
  });
});

describe('a database from before domains had their own migrations', () => {
  const legacy = (versions: number[]) => {
    const db = new BetterSqlite3(path);
    db.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
    );
    const names = ['settings', 'wallet_connections', 'swaps', 'peers_banned', 'orders', 'trades', 'service_nodes', 'x'];
    for (const v of versions)
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(v, names[v - 1], 1000 + v);
    db.close();
  };
  const stub = (domain: string, name: string): DomainSchema => ({
    domain,
    migrations: [table(1, `${domain}_t`)].map((m) => ({ ...m, name })),
  });
  const LEGACY = [
    stub('settings', 'settings'),
    stub('wallets', 'wallet_connections'),
    stub('swaps', 'swaps'),
    stub('p2p', 'peers_banned'),
    stub('orders', 'orders'),
    stub('history', 'trades'),
    stub('servicenode', 'service_nodes'),
  ];

  it('rewrites the one global sequence as the first migration of each domain, keeping when it was applied', () => {
    legacy([1, 2, 3]);
    const db = openStore(path, { schemas: LEGACY.slice(0, 3) });
    expect(
      db.prepare('SELECT domain, version, name, applied_at FROM schema_migrations ORDER BY applied_at').all(),
    ).toEqual([
      { domain: 'settings', version: 1, name: 'settings', applied_at: 1001 },
      { domain: 'wallets', version: 1, name: 'wallet_connections', applied_at: 1002 },
      { domain: 'swaps', version: 1, name: 'swaps', applied_at: 1003 },
    ]);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'settings_t'").get()).toBeUndefined();
    db.close();
  });

  it('then applies what the old database lacked', () => {
    legacy([1, 2, 3, 4, 5]);
    const db = openStore(path, { schemas: LEGACY });
    expect(schemaVersions(db)).toEqual({
      settings: 1,
      wallets: 1,
      swaps: 1,
      p2p: 1,
      orders: 1,
      history: 1,
      servicenode: 1,
    });
    expect(
      db
        .prepare("SELECT name FROM sqlite_schema WHERE name IN ('history_t', 'servicenode_t', 'swaps_t') ORDER BY name")
        .pluck()
        .all(),
    ).toEqual(['history_t', 'servicenode_t']);
    db.close();
  });

  it('refuses an old database newer than the seven versions it knew', () => {
    legacy([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(errorOf(() => openStore(path, { schemas: LEGACY }))).toMatchObject({ code: 'STORE_VERSION' });
  });
});
