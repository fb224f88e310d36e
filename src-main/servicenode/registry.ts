// Every node's list of service nodes: registrations (checked against the collateral on chain
// where this node has that chain, "no-chain" where it has not), heartbeats that keep a service
// node listed, and the list new peers pull. A service node that falls silent, or whose collateral
// is found spent, drops out; orders it signed are then refused (docs/protocol.md §4 sn.*). Its
// parts: registry-ingest.ts (taking one in) and registry-sync.ts (gossip, sn.list, the stored list).
import type { ServiceNodeAnnounce, ServiceNodeRegistration } from '../../src-shared/protocol/orders.ts';
import { ORDER_PROTOCOLS, SERVICE_NODE_TOPIC } from '../../src-shared/protocol/orders.ts';
import { ReplayGuard } from '../../src-shared/orders/replay.ts';
import type { CollateralOutput, CollateralPolicy } from '../../src-shared/orders/servicenode.ts';
import type { KnownServiceNode, Validation } from '../../src-shared/orders/validate.ts';
import type { Logger } from '../kernel/log.ts';
import { createSerialQueue } from '../kernel/serial.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { PeerScorer } from '../orders/index.ts';
import {
  entryOfKey,
  isLive,
  liveKnown,
  onAnnounce,
  onRegistration,
  refresh,
  type RegistryCtx,
} from './registry-ingest.ts';
import { followPeers, loadStored, onGossip, serveList, syncFrom } from './registry-sync.ts';
import type { CollateralVerification, ServiceNodeRepo } from './repo.ts';

export interface ServiceNodeEntry {
  readonly registration: ServiceNodeRegistration;
  /** The registration as received: what is relayed to others (signatures cover it). */
  readonly registrationWire: Record<string, unknown>;
  readonly announce: ServiceNodeAnnounce | null;
  readonly announceWire: Record<string, unknown> | null;
  readonly verified: CollateralVerification;
  /** The collateral's value as this node's daemon saw it; null without that chain. */
  readonly collateralAmount: bigint | null;
  /** Last registration or heartbeat, ms. */
  readonly lastSeen: number;
  readonly checkedAt: number;
}

/** The collateral output as this node's daemon sees it; 'no-chain' when this node has no wallet on that chain. */
export type CollateralLookup = (ticker: string, outpoint: string) => Promise<CollateralOutput | null | 'no-chain'>;

export interface ServiceNodeRegistryDeps {
  p2p: Pick<P2pHost, 'peerId' | 'subscribe' | 'handleRequest' | 'request' | 'peers' | 'onPeersChanged'>;
  log: Logger;
  now: () => number;
  policy: CollateralPolicy;
  collateral: CollateralLookup;
  scorer: PeerScorer;
  /** A service node silent this long is dropped. */
  silentAfterMs: number;
  /** How often a listed service node's collateral is looked up again (on its heartbeats). */
  recheckMs?: number;
  repo?: ServiceNodeRepo;
}

export interface ServiceNodeRegistry {
  start(): Promise<void>;
  stop(): void;
  /** Listed service nodes by key, for the order validators. */
  known(): ReadonlyMap<string, KnownServiceNode>;
  /** A listed service node (not silent, collateral not failed). */
  get(pubkey: string): ServiceNodeEntry | undefined;
  /** Every service node heard from lately, whatever its collateral check (the API shows it). */
  all(): ServiceNodeEntry[];
  /** Listed service nodes with a heartbeat that serve both coins, freshest first. */
  serving(base: string, quote: string): ServiceNodeEntry[];
  ingestRegistration(wire: unknown, from: string | null): Promise<Validation<ServiceNodeRegistration>>;
  ingestAnnounce(wire: unknown, from: string | null): Promise<Validation<ServiceNodeAnnounce>>;
  /** Asks a peer for its list. */
  syncFrom(peerId: string): Promise<void>;
  /** Called whenever the set of listed service nodes (or what they serve) changes. */
  onChange(cb: () => void): () => void;
}

export function createServiceNodeRegistry(d: ServiceNodeRegistryDeps): ServiceNodeRegistry {
  const c: RegistryCtx = {
    d,
    st: {
      byOutpoint: new Map(),
      seen: new ReplayGuard(),
      listeners: new Set(),
      queue: createSerialQueue(),
      recheckMs: d.recheckMs ?? Math.max(1000, Math.floor(d.silentAfterMs / 3)),
      knownKey: '',
    },
  };
  const { st } = c;
  const unsubs: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  return {
    async start() {
      loadStored(c);
      unsubs.push(d.p2p.subscribe(SERVICE_NODE_TOPIC, (m) => onGossip(c, m.from, m.data)));
      await d.p2p.handleRequest(ORDER_PROTOCOLS.serviceNodes, async (req) => serveList(c, req));
      unsubs.push(followPeers(c));
      // Silence is noticed on a timer: a dead service node sends nothing that would tell us.
      timer = setInterval(() => refresh(c), Math.max(100, Math.min(5000, Math.floor(d.silentAfterMs / 4))));
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      for (const u of unsubs.splice(0)) u();
    },
    // Judged at read time, so it agrees with all() and get() between the timer's ticks (a
    // silent service node's orders were still accepted there). Reading never calls listeners:
    // they hear of changes from ingest and the timer.
    known: () => liveKnown(c, d.now()),
    get(pubkey) {
      const e = entryOfKey(c, pubkey)?.[1];
      return e && isLive(c, e, d.now()) ? e : undefined;
    },
    all: () => [...st.byOutpoint.values()].filter((e) => d.now() - e.lastSeen < d.silentAfterMs),
    serving(base, quote) {
      const now = d.now();
      return [...st.byOutpoint.values()]
        .filter(
          (e) =>
            isLive(c, e, now) &&
            e.announce !== null &&
            e.announce.coins.includes(base) &&
            e.announce.coins.includes(quote),
        )
        .sort((a, b) => b.lastSeen - a.lastSeen);
    },
    ingestRegistration: (wire, from) => st.queue.run(() => onRegistration(c, wire, from)),
    ingestAnnounce: (wire, from) => st.queue.run(() => onAnnounce(c, wire, from)),
    syncFrom: (peerId) => syncFrom(c, peerId),
    onChange(cb) {
      st.listeners.add(cb);
      return () => st.listeners.delete(cb);
    },
  };
}
