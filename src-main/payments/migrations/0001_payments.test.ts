import { afterEach, describe, expect, it } from 'vitest';
import type { StoreDatabase } from '../../store/index.ts';
import { paymentsStore } from '../testkit.ts';

let db: StoreDatabase | undefined;
afterEach(() => db?.close());

describe('payments migration 0001', () => {
  it('creates the book, requests and contacts next to every other domain', () => {
    db = paymentsStore();
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'payment%'")
      .all()
      .map((r) => r.name)
      .sort();
    expect(tables).toEqual(['payment_contacts', 'payment_requests', 'payments']);
  });

  it('refuses an unknown phase, a reused request address and state that is not JSON', () => {
    db = paymentsStore();
    const insert = db.prepare(
      'INSERT INTO payments (key, phase, ticker, did, state, entry, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const key = 'a'.repeat(64);
    expect(() => insert.run(key, 'lost', 'DEVA', null, '{}', '{}', 1, 1)).toThrow(/CHECK/);
    expect(() => insert.run(key, 'sent', 'DEVA', null, 'nope', '{}', 1, 1)).toThrow(/CHECK/);
    const req = db.prepare(
      "INSERT INTO payment_requests (id, ticker, address, uri, identity, terms, seen, created_at, updated_at) VALUES (?, 'DEVA', 'rltc1q', 'deva:x', NULL, '{}', '[]', 1, 1)",
    );
    req.run('1'.repeat(32));
    expect(() => req.run('2'.repeat(32))).toThrow(/UNIQUE/);
  });
});
