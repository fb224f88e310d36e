import { afterEach, describe, expect, it } from 'vitest';
import { databaseAtVersion, type MigrationFixture } from '../../store/legacy-test-support.ts';

let f: MigrationFixture;
afterEach(() => f.close());

const insert = `INSERT INTO wallet_connections (ticker, kind, host, port, username, password_sealed, cookie_path, wallet, updated_at)
  VALUES (@ticker, @kind, @host, @port, @username, @password_sealed, @cookie_path, @wallet, 1)`;

describe('wallets migration 0001 wallet_connections (a release-1 database brought forward)', () => {
  it('keeps version-1 settings and adds wallet_connections', () => {
    f = databaseAtVersion(1);
    f.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?), (?, ?)')
      .run('ui.theme', '"dark"', 'risk.confirmations', '{"LTC":2}');
    f.migrateTo(2);
    expect(f.version()).toBe(2);
    expect(f.db.prepare('SELECT key, value FROM settings ORDER BY key').all()).toEqual([
      { key: 'risk.confirmations', value: '{"LTC":2}' },
      { key: 'ui.theme', value: '"dark"' },
    ]);
    f.db.prepare(insert).run({
      ticker: 'LTC',
      kind: 'cookie',
      host: '127.0.0.1',
      port: 19443,
      username: null,
      password_sealed: null,
      cookie_path: '/x/.cookie',
      wallet: null,
    });
    expect(f.db.prepare('SELECT ticker, kind, cookie_path FROM wallet_connections').all()).toEqual([
      { ticker: 'LTC', kind: 'cookie', cookie_path: '/x/.cookie' },
    ]);
  });

  it.each([
    ['an unknown kind', { kind: 'plaintext', port: 1 }],
    ['port 0', { kind: 'password', port: 0 }],
    ['port 65536', { kind: 'password', port: 65536 }],
  ])('rejects %s', (_name, bad) => {
    f = databaseAtVersion(2);
    expect(() =>
      f.db.prepare(insert).run({
        ticker: 'BTC',
        host: 'h',
        username: 'u',
        password_sealed: 'sb1:x',
        cookie_path: null,
        wallet: null,
        ...bad,
      }),
    ).toThrow(/CHECK constraint/);
  });
});
