// Bytes the store spends per domain. Which table belongs to which domain is learnt by replaying
// every domain's migrations on an empty in-memory database (the migrations are the only place
// that says so); pages per table and index come from SQLite's dbstat table.
import BetterSqlite3 from 'better-sqlite3';
import type { DomainSchema, StoreDatabase } from '../store/index.ts';

/** Table (and index) name -> domain, from the domains' own migrations. */
export function tableOwners(schemas: readonly DomainSchema[]): Map<string, string> {
  const db = new BetterSqlite3(':memory:');
  const owners = new Map<string, string>();
  const names = () =>
    db.prepare("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  try {
    for (const s of schemas) {
      for (const m of s.migrations) {
        try {
          m.up(db);
        } catch {
          break; // a migration that needs data this empty database lacks: what it made so far still counts
        }
      }
      for (const n of names()) if (!owners.has(n)) owners.set(n, s.domain);
    }
  } finally {
    db.close();
  }
  return owners;
}

export interface StoreSizes {
  totalBytes: number;
  byDomain: Record<string, number>;
}

/** Bytes per domain now; tables no domain owns (SQLite's own, schema_migrations) count as `store`. */
export function measureStore(db: StoreDatabase, owners: ReadonlyMap<string, string>): StoreSizes {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const byDomain: Record<string, number> = {};
  let rows: Array<{ name: string; bytes: number }> = [];
  try {
    rows = db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as typeof rows;
  } catch {
    rows = []; // a SQLite built without dbstat: only the total is known
  }
  const tableOf = new Map(
    (
      db.prepare("SELECT name, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')").all() as Array<{
        name: string;
        tbl_name: string;
      }>
    ).map((r) => [r.name, r.tbl_name]),
  );
  for (const r of rows) {
    const domain = owners.get(r.name) ?? owners.get(tableOf.get(r.name) ?? '') ?? 'store';
    byDomain[domain] = (byDomain[domain] ?? 0) + r.bytes;
  }
  return { totalBytes: pageSize * pageCount, byDomain };
}
