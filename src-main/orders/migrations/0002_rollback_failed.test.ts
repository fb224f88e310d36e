import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { m0001Orders } from './0001_orders.ts';
import { m0002RollbackFailed } from './0002_rollback_failed.ts';

const insert =
  'INSERT INTO my_orders (id, kind, role, state, base, quote, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
let db: Database.Database;
afterEach(() => db.close());

describe('orders migration 0002 (rollbackFailed)', () => {
  it('keeps every order and accepts rollbackFailed, which 0001 refused', () => {
    db = new Database(':memory:');
    m0001Orders.up(db);
    db.prepare(insert).run('o1', 'limit', 'maker', 'committed', 'DEVA', 'DEVB', '{"a":1}', 1, 2);
    expect(() => db.prepare(insert).run('o2', 'limit', 'maker', 'rollbackFailed', 'DEVA', 'DEVB', '{}', 1, 1)).toThrow(
      /CHECK constraint/,
    );
    m0002RollbackFailed.up(db);
    expect(db.prepare('SELECT id, state, data FROM my_orders').all()).toEqual([
      { id: 'o1', state: 'committed', data: '{"a":1}' },
    ]);
    db.prepare(insert).run('o2', 'limit', 'maker', 'rollbackFailed', 'DEVA', 'DEVB', '{}', 1, 1);
    expect(() => db.prepare(insert).run('o3', 'limit', 'maker', 'lost', 'DEVA', 'DEVB', '{}', 1, 1)).toThrow(
      /CHECK constraint/,
    );
    // A rollbackFailed order is finished: not in the live index's rows.
    const live = db
      .prepare(
        "SELECT id FROM my_orders INDEXED BY my_orders_live WHERE state NOT IN ('finished', 'canceled', 'expired', 'invalid', 'rolledback', 'rollbackFailed')",
      )
      .all();
    expect(live).toEqual([{ id: 'o1' }]);
  });
});
