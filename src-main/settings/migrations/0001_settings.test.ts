import { afterEach, describe, expect, it } from 'vitest';
import { databaseAtVersion, type MigrationFixture } from '../../store/legacy-test-support.ts';

let f: MigrationFixture;
afterEach(() => f.close());

describe('settings migration 0001', () => {
  it('creates settings on an empty database and records version 1', () => {
    f = databaseAtVersion(0);
    expect(f.version()).toBe(0);
    f.migrateTo(1);
    expect(f.version()).toBe(1);
    expect(f.db.prepare('SELECT domain, version, name FROM schema_migrations').all()).toEqual([
      { domain: 'settings', version: 1, name: 'settings' },
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
