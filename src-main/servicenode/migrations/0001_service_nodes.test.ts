import { afterEach, describe, expect, it } from 'vitest';
import { databaseAtVersion, type MigrationFixture } from '../../store/legacy-test-support.ts';

let f: MigrationFixture;
afterEach(() => f.close());

const insertHold =
  'INSERT INTO sn_holds (hold_id, order_id, fee_txid, hold, status, trade_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

describe('servicenode migration 0001 (a release-6 database brought forward)', () => {
  it('keeps version-6 trades and adds service nodes and holds', () => {
    f = databaseAtVersion(6);
    f.db
      .prepare(
        'INSERT INTO trades (trade_id, base, quote, finished_at, record, verified, mine, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run('t1', 'DEVA', 'DEVB', 100, '{}', 'no-chain', 0, 101);
    f.migrateTo(7);
    expect(f.version()).toBe(7);
    expect(f.db.prepare('SELECT trade_id, verified FROM trades').all()).toEqual([
      { trade_id: 't1', verified: 'no-chain' },
    ]);
    f.db
      .prepare(
        'INSERT INTO service_nodes (outpoint, pubkey, registration, announce, verified, last_seen) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run('aa:0', '02ab', '{}', null, 'yes', 5);
    f.db.prepare(insertHold).run('h1', 'o1', 'f1', '{}', 'held', null, 1, 1);
    expect(f.db.prepare('SELECT outpoint, announce FROM service_nodes').all()).toEqual([
      { outpoint: 'aa:0', announce: null },
    ]);
  });

  it('lets one fee transaction pay for one hold only', () => {
    f = databaseAtVersion(7);
    f.db.prepare(insertHold).run('h1', 'o1', 'f1', '{}', 'held', null, 1, 1);
    expect(() => f.db.prepare(insertHold).run('h2', 'o2', 'f1', '{}', 'held', null, 2, 2)).toThrow(/UNIQUE/);
  });

  it('refuses an unknown collateral check and an unknown hold status', () => {
    f = databaseAtVersion(7);
    expect(() =>
      f.db
        .prepare(
          'INSERT INTO service_nodes (outpoint, pubkey, registration, announce, verified, last_seen) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run('aa:0', '02ab', '{}', null, 'perhaps', 5),
    ).toThrow(/CHECK constraint/);
    expect(() => f.db.prepare(insertHold).run('h1', 'o1', 'f1', '{}', 'lost', null, 1, 1)).toThrow(/CHECK constraint/);
  });
});
