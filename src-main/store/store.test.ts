import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './db.ts';
import { migrate, schemaVersion, StoreVersionError, type Migration } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hashlock-store-'));
  path = join(dir, 'node.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openStore', () => {
  it('opens a file in WAL mode with foreign keys on and a busy timeout, at the latest schema', () => {
    const db = openStore(path);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(schemaVersion(db)).toBe(MIGRATIONS.length);
      db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('k', '1');
      expect(existsSync(`${path}-wal`)).toBe(true);
    } finally {
      db.close();
    }
  });

  it('opens :memory: with every migration applied', () => {
    const db = openStore(':memory:');
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('runs no migration twice across reopen and keeps the data', () => {
    const first = openStore(path);
    first.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('k', '"v"');
    const applied = first.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all();
    first.close();
    const second = openStore(path);
    expect(second.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all()).toEqual(
      applied,
    );
    expect(second.prepare('SELECT value FROM settings WHERE key = ?').get('k')).toEqual({ value: '"v"' });
    expect(migrate(second, MIGRATIONS)).toEqual({ from: MIGRATIONS.length, to: MIGRATIONS.length });
    second.close();
  });

  it('brings an older database forward, recording each step', () => {
    openStore(path, { migrations: MIGRATIONS.slice(0, 2) }).close();
    const db = openStore(path);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(
      MIGRATIONS.map((m) => m.version),
    );
    db.close();
  });

  it('refuses a database written by a newer version, with a clear error, and leaves it alone', () => {
    const future: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'from_the_future',
      up: (db) => void db.exec('CREATE TABLE future (x INTEGER) STRICT'),
    };
    openStore(path, { migrations: [...MIGRATIONS, future] }).close();
    let error: unknown;
    try {
      openStore(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreVersionError);
    const known = MIGRATIONS.length;
    expect((error as StoreVersionError).message).toContain(
      `schema version ${known + 1}, but this version of Hashlock only knows up to ${known}`,
    );
    expect((error as StoreVersionError).databaseVersion).toBe(known + 1);
    const raw = new BetterSqlite3(path, { readonly: true });
    expect(schemaVersion(raw)).toBe(known + 1);
    raw.close();
  });

  it('rolls back a migration that fails half way, recording nothing', () => {
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half_done (x INTEGER) STRICT');
        throw new Error('boom');
      },
    };
    expect(() => openStore(path, { migrations: [...MIGRATIONS, broken] })).toThrow('boom');
    const db = openStore(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a migration list with a gap', () => {
    const db = new BetterSqlite3(':memory:');
    expect(() => migrate(db, [MIGRATIONS[0]!, MIGRATIONS[2]!])).toThrow(/numbered 1..n/);
    db.close();
  });

  it('fails on a file that is not a database', () => {
    writeFileSync(path, 'this is not sqlite, just text that is long enough to look like a header........'.repeat(20));
    expect(() => openStore(path)).toThrow(/not a database/);
  });

  it('lets two connections to the same file migrate and write without clashing', () => {
    const a = openStore(path);
    const b = openStore(path);
    a.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('a', '1');
    b.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('b', '2');
    expect(a.prepare('SELECT COUNT(*) FROM settings').pluck().get()).toBe(2);
    expect(b.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    a.close();
    b.close();
  });
});
