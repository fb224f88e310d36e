// The network order book every node keeps: one OrderBook per market fed by the market's gossip
// topic (announce, keepalive, cancel, hold), by book snapshots pulled from peers, and by this
// node's own messages. Every message is size-checked, schema-checked and signature-checked by the
// pure validators before it touches a book; senders of invalid ones are scored down, and order
// announces are rate-limited per peer and capped per maker (docs/protocol.md §3–§7). Its parts:
// book-state.ts (what it holds), book-ingest.ts (one message applied), book-sync.ts (snapshots).
import { ORDER_PROTOCOLS, marketTopic, type HoldMessage } from '../../src-shared/protocol/orders.ts';
import { KeyedRateLimiter } from '../../src-shared/protocol/rate-limit.ts';
import type { Verifier } from '../../src-shared/protocol/canonical.ts';
import type { BookEntry, OrderBook } from '../../src-shared/orders/book.ts';
import { marketKey } from '../../src-shared/orders/order.ts';
import type { Market, Order } from '../../src-shared/orders/types.ts';
import type { KnownServiceNode, Validation, ValidationContext } from '../../src-shared/orders/validate.ts';
import type { Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/index.ts';
import { checkGossip, ingest, onGossip, type IngestCtx } from './book-ingest.ts';
import { createBookState, directContext, findEntry, gossipContext, sweep } from './book-state.ts';
import { serveSnapshot, syncFrom } from './book-sync.ts';
import type { PeerScorer } from './net.ts';

export type RemovedReason = 'canceled' | 'expired' | 'offline' | 'held' | 'service-node-gone' | 'coin-in-use';

export type BookEvent =
  | { readonly type: 'listed'; readonly order: Order; readonly remainingBase: bigint }
  | {
      readonly type: 'held';
      readonly order: Order;
      readonly hold: HoldMessage;
      readonly holdId: string;
      readonly remainingBase: bigint;
    }
  | { readonly type: 'removed'; readonly order: Order; readonly reason: RemovedReason };

export interface NetworkBookOptions {
  markets: readonly Market[];
  offlineAfterMs: number;
  sweepMs: number;
  /** Announces per origin peer: burst and sustained rate. */
  announcesPerPeer?: { capacity: number; refillPerSec: number };
  /** Most orders one maker key may have listed at once. */
  maxOrdersPerMaker?: number;
}

export interface NetworkBookDeps extends NetworkBookOptions {
  p2p: Pick<P2pHost, 'peerId' | 'subscribe' | 'handleRequest' | 'request' | 'peers' | 'onPeersChanged'>;
  log: Logger;
  now: () => number;
  scorer: PeerScorer;
  /** Service nodes this node lists (the registry), read at every validation. */
  serviceNodes: () => ReadonlyMap<string, KnownServiceNode>;
  /** Registers a callback for changes of the service-node list; returns an unsubscribe. */
  onServiceNodesChanged?: (cb: () => void) => () => void;
  /** Runs before a book is pulled from a peer (e.g. its service-node list first). */
  beforeSync?: (peerId: string) => Promise<void>;
  /** Signature checks: main's native verifier (orderVerifier()); noble when absent. */
  verifier?: Verifier;
}

export type BookMessage = 'order.announce' | 'order.keepalive' | 'order.cancel' | 'order.hold';

export interface NetworkBook {
  start(): Promise<void>;
  stop(): void;
  markets(): readonly Market[];
  book(market: Market): OrderBook | undefined;
  find(orderId: string): BookEntry | undefined;
  /** The listed order an outpoint ("txid:vout") backs, if any. */
  backing(outpoint: string): string | undefined;
  /** The latest hold of a partly held order, as received (for snapshots). */
  lastHold(orderId: string): Record<string, unknown> | null;
  context(): ValidationContext;
  /**
   * The context for point-to-point messages (an accept, its ack, both inside a take): the time
   * window and the tombstones, but not the sender's gossip sequence. They travel on their own
   * streams, so a keepalive the maker signs after its ack often arrives first; each is bound to
   * one accept (and a take to one fee payment) instead, and a repeat gets the same answer.
   */
  directContext(): ValidationContext;
  /** Validates and applies one book message; `from` is the gossip origin, null for this node's own. */
  ingest(type: BookMessage, wire: unknown, from: string | null): Validation<unknown>;
  /** Pulls every market's book from a peer. */
  syncFrom(peerId: string): Promise<void>;
  onEvent(cb: (e: BookEvent) => void): () => void;
  size(): number;
}

/** Pulls every peer's book when it connects (once per connection), and all books again when the service-node list changes. */
function followPeers(c: IngestCtx, synced: Set<string>): Array<() => void> {
  const { d } = c;
  const syncNewPeers = () => {
    for (const p of d.p2p.peers()) {
      if (synced.has(p.peerId)) continue;
      synced.add(p.peerId);
      void c.syncFrom(p.peerId);
    }
  };
  const unsubs = [
    d.p2p.onPeersChanged((peers) => {
      const ids = new Set(peers.map((p) => p.peerId));
      for (const id of synced) if (!ids.has(id)) synced.delete(id);
      syncNewPeers();
    }),
  ];
  if (d.onServiceNodesChanged) {
    // A newly known service node makes orders it signed valid here: pull the books again.
    let resync: NodeJS.Timeout | undefined;
    unsubs.push(
      d.onServiceNodesChanged(() => {
        clearTimeout(resync);
        resync = setTimeout(() => {
          for (const p of d.p2p.peers()) void c.syncFrom(p.peerId);
        }, 300);
        resync.unref();
      }),
      () => clearTimeout(resync),
    );
  }
  syncNewPeers();
  return unsubs;
}

export function createNetworkBook(d: NetworkBookDeps): NetworkBook {
  const st = createBookState(d);
  const c: IngestCtx = {
    st,
    d,
    maxPerMaker: d.maxOrdersPerMaker ?? 1000,
    announceLimit: new KeyedRateLimiter(d.announcesPerPeer ?? { capacity: 100, refillPerSec: 10 }),
    lastHint: new Map(),
    syncFrom: (peerId) => syncFrom(st, d, peerId),
    checked: new WeakMap(),
  };
  const unsubs: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  return {
    async start() {
      for (const m of st.books.values())
        unsubs.push(
          d.p2p.subscribe(marketTopic(m.market.base, m.market.quote), (msg) => onGossip(c, msg), {
            check: (msg) => checkGossip(c, msg),
          }),
        );
      await d.p2p.handleRequest(ORDER_PROTOCOLS.snapshot, async (req, ctx) => serveSnapshot(st, d, req, ctx.peerId));
      unsubs.push(...followPeers(c, new Set()));
      timer = setInterval(() => sweep(st, d), d.sweepMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      for (const u of unsubs.splice(0)) u();
    },
    markets: () => [...st.books.values()].map((b) => b.market),
    book: (m) => st.books.get(marketKey(m)),
    find: (id) => findEntry(st, id),
    backing: (outpoint) => st.coins.get(outpoint),
    lastHold: (id) => st.holds.get(id) ?? null,
    context: () => gossipContext(st, d),
    directContext: () => directContext(st, d),
    ingest: (type, wire, from) => ingest(c, type, wire, from),
    syncFrom: c.syncFrom,
    onEvent(cb) {
      st.listeners.add(cb);
      return () => st.listeners.delete(cb);
    },
    size: () => st.where.size,
  };
}
