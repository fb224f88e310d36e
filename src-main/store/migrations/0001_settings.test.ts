import { afterEach, describe, expect, it } from 'vitest';
import { databaseAtVersion, type MigrationFixture } from './test-support.ts';

let f: MigrationFixture;
afterEach(() => f.close());

describe('migration 0001 settings', () => {
  it('creates settings on an empty database and records version 1', () => {
    f = databaseAtVersion(0);
    expect(f.version()).toBe(0);
    f.migrateTo(1);
    expect(f.version()).toBe(1);
    expect(f.db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([
      { version: 1, name: 'settings' },
    ]);
    f.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('ui.theme', '"dark"');
    expect(f.db.prepare('SELECT value FROM settings WHERE key = ?').get('ui.theme')).toEqual({ value: '"dark"' });
  });

  it('rejects a value that is not JSON', () => {
    f = databaseAtVersion(1);
    expect(() => f.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('k', 'not json')).toThrow(
      /CHECK constraint/,
    );
  });
});
