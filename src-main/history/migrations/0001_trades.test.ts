import { afterEach, describe, expect, it } from 'vitest';
import { databaseAtVersion, type MigrationFixture } from '../../store/legacy-test-support.ts';

let f: MigrationFixture;
afterEach(() => f.close());

const insert =
  'INSERT INTO trades (trade_id, base, quote, finished_at, record, verified, mine, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

describe('history migration 0001 trades (a release-5 database brought forward)', () => {
  it('keeps version-5 orders and adds trades', () => {
    f = databaseAtVersion(5);
    f.db
      .prepare(
        'INSERT INTO my_orders (id, kind, role, state, base, quote, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run('o1', 'stop', 'taker', 'new', 'DEVA', 'DEVB', '{}', 1, 1);
    f.migrateTo(6);
    expect(f.version()).toBe(6);
    expect(f.db.prepare('SELECT id, kind FROM my_orders').all()).toEqual([{ id: 'o1', kind: 'stop' }]);
    f.db.prepare(insert).run('t1', 'DEVA', 'DEVB', 100, '{"a":1}', 'pending', 0, 101);
    f.db.prepare("UPDATE trades SET verified = 'yes' WHERE trade_id = 't1'").run();
    expect(f.db.prepare('SELECT trade_id, verified FROM trades').all()).toEqual([{ trade_id: 't1', verified: 'yes' }]);
  });

  it('never changes a stored record, its market or its time', () => {
    f = databaseAtVersion(6);
    f.db.prepare(insert).run('t1', 'DEVA', 'DEVB', 100, '{"a":1}', 'pending', 1, 101);
    expect(() => f.db.prepare("UPDATE trades SET record = '{\"a\":2}' WHERE trade_id = 't1'").run()).toThrow(
      /cannot be changed/,
    );
    expect(() => f.db.prepare('UPDATE trades SET finished_at = 5').run()).toThrow(/cannot be changed/);
    expect(() => f.db.prepare(insert).run('t1', 'DEVA', 'DEVB', 100, '{"a":3}', 'pending', 0, 102)).toThrow(/UNIQUE/);
  });

  it('refuses an unknown verification result', () => {
    f = databaseAtVersion(6);
    expect(() => f.db.prepare(insert).run('t1', 'DEVA', 'DEVB', 1, '{}', 'maybe', 0, 1)).toThrow(/CHECK constraint/);
  });
});
