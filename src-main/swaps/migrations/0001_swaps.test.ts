import { afterEach, describe, expect, it } from 'vitest';
import { databaseAtVersion, type MigrationFixture } from '../../store/legacy-test-support.ts';

let f: MigrationFixture;
afterEach(() => f.close());

const insertEvent = 'INSERT INTO swap_events (swap_id, seq, type, payload, created_at) VALUES (?, ?, ?, ?, ?)';
const insertSwap =
  'INSERT INTO swaps (swap_id, role, state, terminal, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)';

describe('swaps migration 0001 (a release-2 database brought forward)', () => {
  it('keeps version-2 settings and wallet connections and adds the swap tables', () => {
    f = databaseAtVersion(2);
    f.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('a', '1');
    f.db
      .prepare(
        `INSERT INTO wallet_connections (ticker, kind, host, port, password_sealed, updated_at) VALUES ('LTC', 'password', 'h', 9332, 'sb1:abc', 5)`,
      )
      .run();
    f.migrateTo(3);
    expect(f.version()).toBe(3);
    expect(f.db.prepare('SELECT key, value FROM settings').all()).toEqual([{ key: 'a', value: '1' }]);
    expect(f.db.prepare('SELECT ticker, password_sealed, updated_at FROM wallet_connections').all()).toEqual([
      { ticker: 'LTC', password_sealed: 'sb1:abc', updated_at: 5 },
    ]);
    f.db.prepare(insertEvent).run('s1', 1, 'created', '{}', 10);
    f.db.prepare(insertSwap).run('s1', 'maker', 'new', 0, '{}', 10, 10);
    expect(f.db.prepare('SELECT COUNT(*) AS n FROM swap_events').get()).toEqual({ n: 1 });
  });

  it('makes swap_events append-only: UPDATE and DELETE fail in the database itself', () => {
    f = databaseAtVersion(3);
    f.db.prepare(insertEvent).run('s1', 1, 'created', '{"x":1}', 10);
    expect(() => f.db.prepare("UPDATE swap_events SET payload = '{}' WHERE swap_id = 's1'").run()).toThrow(
      /append-only/,
    );
    expect(() => f.db.prepare("DELETE FROM swap_events WHERE swap_id = 's1'").run()).toThrow(/append-only/);
    expect(() => f.db.prepare('DELETE FROM swap_events').run()).toThrow(/append-only/);
    expect(f.db.prepare('SELECT payload FROM swap_events').all()).toEqual([{ payload: '{"x":1}' }]);
  });

  it('refuses a second event with the same seq for a swap', () => {
    f = databaseAtVersion(3);
    f.db.prepare(insertEvent).run('s1', 1, 'a', '{}', 1);
    expect(() => f.db.prepare(insertEvent).run('s1', 1, 'b', '{}', 2)).toThrow(/UNIQUE/);
    f.db.prepare(insertEvent).run('s2', 1, 'a', '{}', 1); // another swap's seq 1 is fine
  });

  it('never reopens a finished swap but lets it be updated while finished', () => {
    f = databaseAtVersion(3);
    f.db.prepare(insertSwap).run('s1', 'taker', 'completed', 1, '{}', 1, 1);
    expect(() => f.db.prepare("UPDATE swaps SET terminal = 0, state = 'locked' WHERE swap_id = 's1'").run()).toThrow(
      /cannot be reopened/,
    );
    f.db.prepare("UPDATE swaps SET data = '{\"note\":1}' WHERE swap_id = 's1'").run();
  });

  it.each([
    ['an unknown role', ['s1', 'broker', 'new', 0, '{}', 1, 1]],
    ['terminal 2', ['s1', 'maker', 'new', 2, '{}', 1, 1]],
    ['data that is not JSON', ['s1', 'maker', 'new', 0, '{', 1, 1]],
  ])('rejects a swap with %s', (_name, values) => {
    f = databaseAtVersion(3);
    expect(() => f.db.prepare(insertSwap).run(...values)).toThrow(/CHECK constraint/);
  });
});
