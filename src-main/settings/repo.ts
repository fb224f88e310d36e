// Node settings: one JSON value per key. Values are not validated here; the owner of a key
// parses what it reads (e.g. with its zod schema).

import type { Database } from 'better-sqlite3';
import { fromJson, toJson } from '../store/json.ts';

export interface SettingsRepo {
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  all(): Record<string, unknown>;
}

export function createSettingsRepo(db: Database): SettingsRepo {
  const select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const upsert = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');
  const selectAll = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings ORDER BY key');

  return {
    get<T = unknown>(key: string): T | undefined {
      const row = select.get(key);
      return row ? fromJson<T>(row.value) : undefined;
    },
    set(key, value) {
      upsert.run(key, toJson(value));
    },
    delete(key) {
      remove.run(key);
    },
    all() {
      // fromEntries defines own properties, so a key like "__proto__" cannot touch the prototype.
      return Object.fromEntries(selectAll.all().map((r) => [r.key, fromJson(r.value)]));
    },
  };
}
