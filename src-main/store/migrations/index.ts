// Every schema migration, in order. Append only: a released migration is never edited,
// renumbered or removed; a change to the schema is a new file here.

import type { Migration } from '../migrate.ts';
import { m0001Settings } from './0001_settings.ts';
import { m0002WalletConnections } from './0002_wallet_connections.ts';
import { m0003Swaps } from './0003_swaps.ts';
import { m0004PeersBanned } from './0004_peers_banned.ts';
import { m0005Orders } from './0005_orders.ts';
import { m0006Trades } from './0006_trades.ts';
import { m0007ServiceNodes } from './0007_service_nodes.ts';

export const MIGRATIONS: readonly Migration[] = [
  m0001Settings,
  m0002WalletConnections,
  m0003Swaps,
  m0004PeersBanned,
  m0005Orders,
  m0006Trades,
  m0007ServiceNodes,
];
