import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore } from '../core/test-store.ts';
import { schemasOf } from '../core/modules.ts';
import type { StoreDatabase } from '../store/index.ts';
import { measureStore, tableOwners } from './store-size.ts';

let db: StoreDatabase | undefined;
afterEach(() => db?.close());

describe('store size per domain', () => {
  it('learns which domain owns each table from the domains own migrations', () => {
    const owners = tableOwners(schemasOf());
    expect(owners.get('settings')).toBe('settings');
    expect(owners.get('metrics_samples')).toBe('metrics');
    expect(owners.get('api_tokens')).toBe('tokens');
    expect(owners.get('peers_banned')).toBe('p2p');
  });

  it('counts the pages of a table and its indexes for its domain, and grows with its rows', () => {
    db = openTestStore();
    const owners = tableOwners(schemasOf());
    const before = measureStore(db, owners);
    const insert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`k${i}`, JSON.stringify('x'.repeat(200)));
    })();
    const after = measureStore(db, owners);
    expect(after.byDomain.settings! - before.byDomain.settings!).toBeGreaterThan(2000 * 200);
    expect(after.byDomain.p2p).toBe(before.byDomain.p2p);
    expect(after.totalBytes).toBeGreaterThan(before.totalBytes);
  });
});
