import { afterEach, describe, expect, it } from 'vitest';
import { databaseAtVersion, type MigrationFixture } from '../../store/legacy-test-support.ts';

let f: MigrationFixture;
afterEach(() => f.close());

describe('p2p migration 0001 peers_banned (a release-3 database brought forward)', () => {
  it('keeps version-3 swaps and events (still append-only) and adds peers_banned', () => {
    f = databaseAtVersion(3);
    f.db
      .prepare('INSERT INTO swap_events (swap_id, seq, type, payload, created_at) VALUES (?, ?, ?, ?, ?)')
      .run('s1', 1, 'created', '{"amount":{"$bigint":"5"}}', 7);
    f.db
      .prepare(
        'INSERT INTO swaps (swap_id, role, state, terminal, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run('s1', 'maker', 'new', 0, '{}', 7, 7);
    f.migrateTo(4);
    expect(f.version()).toBe(4);
    expect(f.db.prepare('SELECT swap_id, seq, type, payload, created_at FROM swap_events').all()).toEqual([
      { swap_id: 's1', seq: 1, type: 'created', payload: '{"amount":{"$bigint":"5"}}', created_at: 7 },
    ]);
    expect(f.db.prepare('SELECT swap_id, state FROM swaps').all()).toEqual([{ swap_id: 's1', state: 'new' }]);
    expect(() => f.db.prepare('DELETE FROM swap_events').run()).toThrow(/append-only/);
    f.db
      .prepare('INSERT INTO peers_banned (peer_id, reason, until) VALUES (?, ?, ?)')
      .run('12D3KooW', 'bad signature', 1000);
    expect(f.db.prepare('SELECT peer_id, reason, until FROM peers_banned').all()).toEqual([
      { peer_id: '12D3KooW', reason: 'bad signature', until: 1000 },
    ]);
  });
});
