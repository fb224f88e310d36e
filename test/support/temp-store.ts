// The node's SQLite store, every module's tables in it, in a fresh temp dir for each test of a
// file (repository unit tests), with a clock the test sets and a reopen from disk, so a round trip
// proves persistence rather than a cache. The store is closed and its dir removed after each test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { openTestStore } from '../../src-main/core/test-store.ts';

export interface TempStore {
  readonly db: Database;
  /** The store file, for a second connection. */
  readonly path: string;
  /** What repositories get as their clock: the time the test last set (1000 at first). */
  readonly now: () => number;
  clock: number;
  /** Closes the store and opens it again from the file. */
  reopen(): Database;
}

export function useTempStore(): TempStore {
  let dir: string | undefined;
  let db: Database | undefined;
  const live = () => {
    if (!db || !dir) throw new Error('the temp store exists only inside a test');
    return { db, path: join(dir, 'node.sqlite') };
  };
  const store: TempStore = {
    get db() {
      return live().db;
    },
    get path() {
      return live().path;
    },
    now: () => store.clock,
    clock: 1_000,
    reopen() {
      const { db: old, path } = live();
      old.close();
      db = openTestStore(path);
      return db;
    },
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hashlock-store-'));
    db = openTestStore(join(dir, 'node.sqlite'));
    store.clock = 1_000;
  });
  afterEach(() => {
    if (db?.open) db.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    db = dir = undefined;
  });
  return store;
}
