// For migration tests: a real SQLite file in a fresh temp dir, built with the domains' schemas in
// the order the node first grew them (one global sequence, before each domain had its own), then
// migrated one domain further. `version()` counts how many of those first steps are applied, so a
// test reads as "a database of release N, brought forward".

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { m0001Trades } from '../history/migrations/0001_trades.ts';
import { m0001Orders } from '../orders/migrations/0001_orders.ts';
import { m0001PeersBanned } from '../p2p/migrations/0001_peers_banned.ts';
import { m0001ServiceNodes } from '../servicenode/migrations/0001_service_nodes.ts';
import { m0001Settings } from '../settings/migrations/0001_settings.ts';
import { m0001Swaps } from '../swaps/migrations/0001_swaps.ts';
import { m0001WalletConnections } from '../wallets/migrations/0001_wallet_connections.ts';
import { openStore } from './db.ts';
import { migrate, schemaVersions, type DomainSchema } from './migrate.ts';

/** The first migration of each domain, in the order releases added them. */
export const LEGACY_SCHEMAS: readonly DomainSchema[] = [
  { domain: 'settings', migrations: [m0001Settings] },
  { domain: 'wallets', migrations: [m0001WalletConnections] },
  { domain: 'swaps', migrations: [m0001Swaps] },
  { domain: 'p2p', migrations: [m0001PeersBanned] },
  { domain: 'orders', migrations: [m0001Orders] },
  { domain: 'history', migrations: [m0001Trades] },
  { domain: 'servicenode', migrations: [m0001ServiceNodes] },
];

export interface MigrationFixture {
  db: Database;
  /** Applies the first `version` domains' migrations. */
  migrateTo(version: number): void;
  version(): number;
  close(): void;
}

export function databaseAtVersion(version: number): MigrationFixture {
  const dir = mkdtempSync(join(tmpdir(), 'hashlock-migration-'));
  const db = openStore(join(dir, 'node.sqlite'), { schemas: LEGACY_SCHEMAS.slice(0, version) });
  return {
    db,
    migrateTo: (target) => void migrate(db, LEGACY_SCHEMAS.slice(0, target)),
    version: () => Object.keys(schemaVersions(db)).length,
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
