// For migration tests: a real SQLite file in a fresh temp dir, built up to a chosen schema version
// with the same migrations the app runs, then migrated forward one step.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openStore } from '../db.ts';
import { migrate, schemaVersion } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';

export interface MigrationFixture {
  db: Database;
  /** Runs migrations up to and including `version`. */
  migrateTo(version: number): void;
  version(): number;
  close(): void;
}

export function databaseAtVersion(version: number): MigrationFixture {
  const dir = mkdtempSync(join(tmpdir(), 'hashlock-migration-'));
  const db = openStore(join(dir, 'node.sqlite'), { migrations: MIGRATIONS.slice(0, version) });
  return {
    db,
    migrateTo: (target) => void migrate(db, MIGRATIONS, { target }),
    version: () => schemaVersion(db),
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
