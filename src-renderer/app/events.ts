// Every feature's handling of pushed events, in the order the dispatcher (api/events.ts) calls
// them. A feature that keeps node data in the cache adds its handlers here, one line.
import type { FeatureEventsFactory } from '../api/events.ts';
import { communitiesEvents } from '../communities/index.ts';
import { historyEvents } from '../history/index.ts';
import { identityEvents } from '../identity/index.ts';
import { ordersEvents } from '../orders/index.ts';
import { p2pEvents } from '../p2p/index.ts';
import { registryEvents } from '../registry/index.ts';
import { paymentsEvents } from '../payments/index.ts';
import { settingsEvents } from '../settings/index.ts';
import { swapsEvents } from '../swaps/index.ts';
import { vaultEvents } from '../vault/index.ts';
import { walletsEvents } from '../wallets/index.ts';

export const FEATURE_EVENTS: readonly FeatureEventsFactory[] = [
  vaultEvents,
  walletsEvents,
  p2pEvents,
  swapsEvents,
  ordersEvents,
  historyEvents,
  settingsEvents,
  identityEvents,
  registryEvents,
  communitiesEvents,
  paymentsEvents,
];
