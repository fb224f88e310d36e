// The network order book every node keeps: one OrderBook per market fed by the market's gossip
// topic (announce, keepalive, cancel, hold), by book snapshots pulled from peers, and by this
// node's own messages. Every message is size-checked, schema-checked and signature-checked by the
// pure validators before it touches a book; senders of invalid ones are scored down, and order
// announces are rate-limited per peer and capped per maker (docs/protocol.md §3–§7).
import { wireForm } from '../../src-shared/protocol/canonical.ts';
import {
  ORDER_PROTOCOLS,
  decodeOrderMessage,
  marketTopic,
  type HoldMessage,
  type OrderMessageType,
} from '../../src-shared/protocol/orders.ts';
import { KeyedRateLimiter } from '../../src-shared/protocol/rate-limit.ts';
import { OrderBook, type BookEntry } from '../../src-shared/orders/book.ts';
import { marketKey } from '../../src-shared/orders/order.ts';
import { DEFAULT_REPLAY_LIMITS, ReplayGuard, type SeenView } from '../../src-shared/orders/replay.ts';
import type { Market, Order } from '../../src-shared/orders/types.ts';
import {
  validateCancel,
  validateHold,
  validateKeepalive,
  validateOrderAnnounce,
  validateSnapshot,
  validateSnapshotRequest,
  type KnownServiceNode,
  type Refusal,
  type Validation,
  type ValidationContext,
} from '../../src-shared/orders/validate.ts';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/host.ts';
import { gossipType, type PeerScorer } from './net.ts';

export type RemovedReason = 'canceled' | 'expired' | 'offline' | 'held' | 'service-node-gone';

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
}

type BookMessage = 'order.announce' | 'order.keepalive' | 'order.cancel' | 'order.hold';
const BOOK_MESSAGES: readonly OrderMessageType[] = ['order.announce', 'order.keepalive', 'order.cancel', 'order.hold'];

export interface NetworkBook {
  start(): Promise<void>;
  stop(): void;
  markets(): readonly Market[];
  book(market: Market): OrderBook | undefined;
  find(orderId: string): BookEntry | undefined;
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

const SNAPSHOT_PAGE = 100;
const MAX_SNAPSHOT_PAGES = 200;

export function createNetworkBook(d: NetworkBookDeps): NetworkBook {
  const books = new Map<string, OrderBook>();
  for (const m of d.markets) books.set(marketKey(m), new OrderBook(m, { offlineAfterMs: d.offlineAfterMs }));
  const marketSet = new Set(books.keys());
  const where = new Map<string, OrderBook>();
  const holds = new Map<string, Record<string, unknown>>();
  const perMaker = new Map<string, number>();
  const guard = new ReplayGuard();
  const listeners = new Set<(e: BookEvent) => void>();
  const announceLimit = new KeyedRateLimiter(d.announcesPerPeer ?? { capacity: 100, refillPerSec: 10 });
  const maxPerMaker = d.maxOrdersPerMaker ?? 1000;
  const synced = new Set<string>();
  const lastHint = new Map<string, number>();
  const unsubs: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  let resync: NodeJS.Timeout | undefined;

  const seen: SeenView = {
    lastSeq: (s) => guard.lastSeq(s),
    orderStatus: (id) => (where.has(id) ? 'live' : guard.orderStatus(id) === 'dead' ? 'dead' : undefined),
  };
  const context = (): ValidationContext => ({
    now: d.now(),
    seen,
    knownServiceNodes: d.serviceNodes(),
    markets: marketSet,
  });
  const unsequenced: SeenView = { lastSeq: () => undefined, orderStatus: seen.orderStatus };
  const directContext = (): ValidationContext => ({ ...context(), seen: unsequenced });
  const find = (id: string): BookEntry | undefined => where.get(id)?.get(id);
  const makerOf = (id: string): string | undefined => find(id)?.order.maker.pubkey;

  function emit(e: BookEvent): void {
    for (const cb of [...listeners]) {
      try {
        cb(e);
      } catch (err) {
        d.log.warn('book listener failed', { error: (err as Error).stack ?? String(err) });
      }
    }
  }

  function forget(order: Order, reason: RemovedReason, tombstone: boolean): void {
    where.delete(order.id);
    holds.delete(order.id);
    const n = (perMaker.get(order.maker.pubkey) ?? 1) - 1;
    if (n <= 0) perMaker.delete(order.maker.pubkey);
    else perMaker.set(order.maker.pubkey, n);
    if (tombstone) guard.markDead(order.id, order.expiresAt);
    emit({ type: 'removed', order, reason });
  }

  function list(order: Order, remainingBase: bigint, hold: Record<string, unknown> | null): boolean {
    const book = books.get(marketKey(order.market));
    if (!book) return false;
    if (!book.add(order, d.now(), remainingBase)) return false;
    where.set(order.id, book);
    perMaker.set(order.maker.pubkey, (perMaker.get(order.maker.pubkey) ?? 0) + 1);
    if (hold) holds.set(order.id, hold);
    emit({ type: 'listed', order, remainingBase });
    return true;
  }

  const refuse = (reason: Refusal['reason'], message: string): Refusal => ({ ok: false, reason, message });

  function ingest(type: BookMessage, wire: unknown, from: string | null): Validation<unknown> {
    const ctx = context();
    switch (type) {
      case 'order.announce': {
        const v = validateOrderAnnounce(wire, ctx);
        if (!v.ok) return v;
        if ((perMaker.get(v.value.maker.pubkey) ?? 0) >= maxPerMaker)
          return refuse('duplicate', 'this maker has too many orders listed');
        list(v.value, v.value.baseAmount, null);
        return v;
      }
      case 'order.keepalive': {
        const v = validateKeepalive(wire, { ...ctx, makerOf });
        if (!v.ok) return v;
        guard.commit(v.replay);
        for (const id of v.value.orderIds) where.get(id)?.touch(id, ctx.now);
        // Orders we do not list: we missed their announce (or dropped them as offline). The
        // origin is the maker's node, which lists its own orders: ask it, now and then.
        if (
          v.value.unknownOrderIds.length > 0 &&
          from !== null &&
          from !== d.p2p.peerId &&
          ctx.now - (lastHint.get(from) ?? 0) > 5000
        ) {
          lastHint.set(from, ctx.now);
          void syncFrom(from);
        }
        return v;
      }
      case 'order.cancel': {
        const v = validateCancel(wire, { ...ctx, makerOf });
        if (!v.ok) return v;
        guard.commit(v.replay);
        const removed = where.get(v.value.orderId)?.remove(v.value.orderId);
        if (removed) forget(removed.order, 'canceled', true);
        return v;
      }
      case 'order.hold': {
        const v = validateHold(wire, { ...ctx, listed: find });
        if (!v.ok) return v;
        guard.commit(v.replay);
        const { hold, holdId } = v.value;
        const book = where.get(hold.orderId)!;
        const order = book.get(hold.orderId)!.order;
        const after = book.shrink(hold.orderId, hold.remainingBase);
        if (after) holds.set(hold.orderId, wireForm(hold) as Record<string, unknown>);
        emit({ type: 'held', order, hold, holdId, remainingBase: hold.remainingBase });
        if (!after) forget(order, 'held', true);
        return v;
      }
    }
  }

  function onGossip(from: string, data: Uint8Array): void {
    const t = gossipType(data, BOOK_MESSAGES);
    if (!t.ok) {
      d.scorer.refused(from, t.reason, 'book gossip');
      return;
    }
    if (t.type === 'order.announce' && !announceLimit.take(from, d.now())) {
      d.scorer.flooding(from, 'order announces');
      return;
    }
    const v = ingest(t.type as BookMessage, data, from);
    if (!v.ok) d.scorer.refused(from, v.reason, `${t.type}: ${v.message}`);
  }

  function serveSnapshot(req: unknown, peerId: string): unknown {
    const r = validateSnapshotRequest(req, { markets: marketSet });
    if (!r.ok) {
      d.scorer.refused(peerId, r.reason, r.message);
      throw new ApiError(r.reason === 'unknown-market' ? 'NOT_FOUND' : 'INVALID_PARAMS', r.message);
    }
    const book = books.get(marketKey(r.value.market))!;
    const all = [...book.list('sell'), ...book.list('buy')];
    const at = r.value.after === null ? -1 : all.findIndex((e) => e.order.id === r.value.after);
    // A page boundary that left the book meanwhile: the asker starts over with a fresh snapshot.
    if (r.value.after !== null && at < 0)
      return { type: 'book.snapshot', market: r.value.market, entries: [], next: null };
    const start = at + 1;
    const page = all.slice(start, start + r.value.limit);
    const more = start + page.length < all.length;
    return {
      type: 'book.snapshot',
      market: r.value.market,
      entries: page.map((e) => ({ order: wireForm(e.order), hold: holds.get(e.order.id) ?? null })),
      next: more && page.length > 0 ? page[page.length - 1]!.order.id : null,
    };
  }

  async function syncFrom(peerId: string): Promise<void> {
    try {
      await d.beforeSync?.(peerId);
    } catch (err) {
      d.log.info('could not prepare a book sync', { peerId, error: (err as Error).message });
    }
    for (const book of books.values()) {
      let after: string | null = null;
      for (let page = 0; page < MAX_SNAPSHOT_PAGES; page++) {
        let answer: unknown;
        try {
          answer = await d.p2p.request(
            peerId,
            ORDER_PROTOCOLS.snapshot,
            { type: 'book.snapshot.request', market: book.market, after, limit: SNAPSHOT_PAGE },
            { timeoutMs: 10_000 },
          );
        } catch (err) {
          d.log.info('could not pull a book snapshot', {
            peerId,
            market: marketKey(book.market),
            error: (err as Error).message,
          });
          break;
        }
        const v = validateSnapshot(answer, book.market, context());
        if (!v.ok) {
          d.scorer.refused(peerId, v.reason, `book.snapshot: ${v.message}`);
          break;
        }
        for (const bad of v.value.refused)
          d.scorer.refused(peerId, bad.reason, `snapshot entry ${bad.index}: ${bad.message}`);
        const raw = decodeOrderMessage(answer, 'book.snapshot');
        for (const e of v.value.entries) {
          const hold = raw.ok
            ? raw.msg.entries.find((x) => (x.order as { id?: unknown } | null)?.id === e.order.id)?.hold
            : null;
          list(e.order, e.remainingBase, (hold ?? null) as Record<string, unknown> | null);
        }
        after = v.value.next;
        if (after === null) break;
      }
    }
  }

  function syncNewPeers(): void {
    for (const p of d.p2p.peers()) {
      if (synced.has(p.peerId)) continue;
      synced.add(p.peerId);
      void syncFrom(p.peerId);
    }
  }

  function sweep(): void {
    const now = d.now();
    const known = d.serviceNodes();
    for (const book of books.values()) {
      for (const dropped of book.expire(now)) {
        // expire() already took the entry out; we still need the order for the event.
        const order = orderCache.get(dropped.id);
        if (order) forget(order, dropped.reason, dropped.reason === 'expired');
        else where.delete(dropped.id);
      }
      for (const side of ['sell', 'buy'] as const) {
        for (const e of book.list(side)) {
          if (known.has(e.order.serviceNode.pubkey)) continue;
          book.remove(e.order.id);
          forget(e.order, 'service-node-gone', false);
        }
      }
    }
    guard.prune(now, DEFAULT_REPLAY_LIMITS);
    for (const id of orderCache.keys()) if (!where.has(id)) orderCache.delete(id);
  }

  // expire() reports ids only; remember listed orders so their events can carry them.
  const orderCache = new Map<string, Order>();
  listeners.add((e) => {
    if (e.type === 'listed') orderCache.set(e.order.id, e.order);
  });

  return {
    async start() {
      for (const m of books.values())
        unsubs.push(d.p2p.subscribe(marketTopic(m.market.base, m.market.quote), (msg) => onGossip(msg.from, msg.data)));
      await d.p2p.handleRequest(ORDER_PROTOCOLS.snapshot, async (req, ctx) => serveSnapshot(req, ctx.peerId));
      unsubs.push(
        d.p2p.onPeersChanged((peers) => {
          const ids = new Set(peers.map((p) => p.peerId));
          for (const id of synced) if (!ids.has(id)) synced.delete(id);
          syncNewPeers();
        }),
      );
      if (d.onServiceNodesChanged) {
        // A newly known service node makes orders it signed valid here: pull the books again.
        unsubs.push(
          d.onServiceNodesChanged(() => {
            clearTimeout(resync);
            resync = setTimeout(() => {
              for (const p of d.p2p.peers()) void syncFrom(p.peerId);
            }, 300);
            resync.unref();
          }),
        );
      }
      syncNewPeers();
      timer = setInterval(sweep, d.sweepMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      clearTimeout(resync);
      for (const u of unsubs.splice(0)) u();
    },
    markets: () => [...books.values()].map((b) => b.market),
    book: (m) => books.get(marketKey(m)),
    find,
    lastHold: (id) => holds.get(id) ?? null,
    context,
    directContext,
    ingest,
    syncFrom,
    onEvent(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    size: () => where.size,
  };
}
