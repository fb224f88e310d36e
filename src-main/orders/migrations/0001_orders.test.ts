import { afterEach, describe, expect, it } from 'vitest';
import { databaseAtVersion, type MigrationFixture } from '../../store/legacy-test-support.ts';

let f: MigrationFixture;
afterEach(() => f.close());

const insert =
  'INSERT INTO my_orders (id, kind, role, state, base, quote, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';

describe('orders migration 0001 (a release-4 database brought forward)', () => {
  it('keeps version-4 bans and swaps and adds my_orders', () => {
    f = databaseAtVersion(4);
    f.db
      .prepare('INSERT INTO peers_banned (peer_id, reason, until) VALUES (?, ?, ?)')
      .run('12D3KooW', 'forged order', 99);
    f.db
      .prepare(
        'INSERT INTO swaps (swap_id, role, state, terminal, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run('h1', 'maker', 'funded', 0, '{}', 1, 1);
    f.migrateTo(5);
    expect(f.version()).toBe(5);
    expect(f.db.prepare('SELECT peer_id, until FROM peers_banned').all()).toEqual([{ peer_id: '12D3KooW', until: 99 }]);
    expect(f.db.prepare('SELECT swap_id, state FROM swaps').all()).toEqual([{ swap_id: 'h1', state: 'funded' }]);
    f.db.prepare(insert).run('o1', 'limit', 'maker', 'open', 'DEVA', 'DEVB', '{"remaining":{"$bigint":"5"}}', 1, 2);
    expect(f.db.prepare('SELECT id, state, data FROM my_orders').all()).toEqual([
      { id: 'o1', state: 'open', data: '{"remaining":{"$bigint":"5"}}' },
    ]);
  });

  it.each([
    ['a state outside ORDER_STATES', ['o1', 'limit', 'maker', 'pending', 'DEVA', 'DEVB', '{}', 1, 1]],
    ['an unknown kind', ['o1', 'iceberg', 'maker', 'open', 'DEVA', 'DEVB', '{}', 1, 1]],
    ['an unknown role', ['o1', 'limit', 'broker', 'open', 'DEVA', 'DEVB', '{}', 1, 1]],
    ['data that is not JSON', ['o1', 'limit', 'maker', 'open', 'DEVA', 'DEVB', '{', 1, 1]],
  ])('refuses an order with %s', (_name, values) => {
    f = databaseAtVersion(5);
    expect(() => f.db.prepare(insert).run(...values)).toThrow(/CHECK constraint/);
  });
});
