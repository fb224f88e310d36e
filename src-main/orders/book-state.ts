// What a node's network book holds: one OrderBook per market, where each listed order is, the
// latest hold of partly held orders (for snapshots), how many orders each maker key has listed,
// the replay memory, and the listeners told of every change. Listing, forgetting and sweeping
// keep these in step.
import { OrderBook, type BookEntry } from '../../src-shared/orders/book.ts';
import { marketKey } from '../../src-shared/orders/order.ts';
import { DEFAULT_REPLAY_LIMITS, ReplayGuard, type SeenView } from '../../src-shared/orders/replay.ts';
import type { Market, Order } from '../../src-shared/orders/types.ts';
import type { KnownServiceNode, ValidationContext } from '../../src-shared/orders/validate.ts';
import type { Verifier } from '../../src-shared/protocol/canonical.ts';
import type { Logger } from '../kernel/log.ts';
import type { BookEvent, RemovedReason } from './network-book.ts';

export interface BookState {
  readonly books: Map<string, OrderBook>;
  readonly marketSet: ReadonlySet<string>;
  /** The book each listed order is in. */
  readonly where: Map<string, OrderBook>;
  readonly holds: Map<string, Record<string, unknown>>;
  readonly perMaker: Map<string, number>;
  /** The listed order each backing outpoint ("txid:vout") belongs to: a coin backs one order. */
  readonly coins: Map<string, string>;
  readonly guard: ReplayGuard;
  readonly listeners: Set<(e: BookEvent) => void>;
  /** expire() reports ids only; listed orders are remembered so their events can carry them. */
  readonly orderCache: Map<string, Order>;
  readonly seen: SeenView;
}

export interface BookStateDeps {
  markets: readonly Market[];
  offlineAfterMs: number;
  log: Logger;
  now: () => number;
  serviceNodes: () => ReadonlyMap<string, KnownServiceNode>;
  /** Signature checks (main's native one); the validators' noble default when absent. */
  verifier?: Verifier;
}

export function createBookState(d: BookStateDeps): BookState {
  const books = new Map<string, OrderBook>();
  for (const m of d.markets) books.set(marketKey(m), new OrderBook(m, { offlineAfterMs: d.offlineAfterMs }));
  const where = new Map<string, OrderBook>();
  const guard = new ReplayGuard();
  const orderCache = new Map<string, Order>();
  const listeners = new Set<(e: BookEvent) => void>([
    (e) => {
      if (e.type === 'listed') orderCache.set(e.order.id, e.order);
    },
  ]);
  return {
    books,
    marketSet: new Set(books.keys()),
    where,
    holds: new Map(),
    perMaker: new Map(),
    coins: new Map(),
    guard,
    listeners,
    orderCache,
    seen: {
      lastSeq: (s) => guard.lastSeq(s),
      orderStatus: (id) => (where.has(id) ? 'live' : guard.orderStatus(id) === 'dead' ? 'dead' : undefined),
    },
  };
}

export const findEntry = (st: BookState, id: string): BookEntry | undefined => st.where.get(id)?.get(id);

/** The context gossip is validated in: the time, each sender's sequence, the listed service nodes, the markets. */
export function gossipContext(
  st: BookState,
  d: Pick<BookStateDeps, 'now' | 'serviceNodes' | 'verifier'>,
): ValidationContext {
  const ctx = { now: d.now(), seen: st.seen, knownServiceNodes: d.serviceNodes(), markets: st.marketSet };
  return d.verifier ? { ...ctx, verifier: d.verifier } : ctx;
}

/** The context for point-to-point messages: as gossip's, without the senders' sequence. */
export function directContext(
  st: BookState,
  d: Pick<BookStateDeps, 'now' | 'serviceNodes' | 'verifier'>,
): ValidationContext {
  const unsequenced: SeenView = { lastSeq: () => undefined, orderStatus: st.seen.orderStatus };
  return { ...gossipContext(st, d), seen: unsequenced };
}

export function emit(st: BookState, log: Logger, e: BookEvent): void {
  for (const cb of [...st.listeners]) {
    try {
      cb(e);
    } catch (err) {
      log.warn('book listener failed', { error: (err as Error).stack ?? String(err) });
    }
  }
}

/** Takes an order out of the indexes (its book already dropped it); tombstoned orders cannot come back. */
export function forget(st: BookState, log: Logger, order: Order, reason: RemovedReason, tombstone: boolean): void {
  st.where.delete(order.id);
  for (const u of order.makerUtxos) if (st.coins.get(u) === order.id) st.coins.delete(u);
  st.holds.delete(order.id);
  const n = (st.perMaker.get(order.maker.pubkey) ?? 1) - 1;
  if (n <= 0) st.perMaker.delete(order.maker.pubkey);
  else st.perMaker.set(order.maker.pubkey, n);
  if (tombstone) st.guard.markDead(order.id, order.expiresAt);
  emit(st, log, { type: 'removed', order, reason });
}

/** Which of two orders backed by one coin stays: the one its service node signed first, then the smaller id. */
const signedEarlier = (a: Order, b: Order): boolean =>
  a.serviceNode.signedAt !== b.serviceNode.signedAt ? a.serviceNode.signedAt < b.serviceNode.signedAt : a.id < b.id;

/**
 * The listed orders sharing a backing coin with `order`, or 'later' when one of them was signed
 * first: a coin backs one order, so every book keeps the earliest whatever the arrival order.
 */
export function coinRivals(st: BookState, order: Order): Order[] | 'later' {
  const rivals = new Map<string, Order>();
  for (const u of order.makerUtxos) {
    const id = st.coins.get(u);
    const rival = id !== undefined && id !== order.id ? findEntry(st, id)?.order : undefined;
    if (!rival) continue;
    if (signedEarlier(rival, order)) return 'later';
    rivals.set(rival.id, rival);
  }
  return [...rivals.values()];
}

export type ListOutcome = 'listed' | 'refused' | 'coin-in-use';

/** Lists a validated order with `remainingBase` left (and the hold that left it so), unless its book refuses it or a coin of it backs an earlier order. */
export function listOrder(
  st: BookState,
  d: Pick<BookStateDeps, 'log' | 'now'>,
  order: Order,
  remainingBase: bigint,
  hold: Record<string, unknown> | null,
): ListOutcome {
  const book = st.books.get(marketKey(order.market));
  if (!book) return 'refused';
  const rivals = coinRivals(st, order);
  if (rivals === 'later') return 'coin-in-use';
  if (!book.add(order, d.now(), remainingBase)) return 'refused';
  for (const r of rivals) {
    st.where.get(r.id)?.remove(r.id);
    forget(st, d.log, r, 'coin-in-use', true);
  }
  for (const u of order.makerUtxos) st.coins.set(u, order.id);
  st.where.set(order.id, book);
  st.perMaker.set(order.maker.pubkey, (st.perMaker.get(order.maker.pubkey) ?? 0) + 1);
  if (hold) st.holds.set(order.id, hold);
  emit(st, d.log, { type: 'listed', order, remainingBase });
  return 'listed';
}

/** Drops expired and silent orders, and those whose service node left the list; prunes the replay memory. */
export function sweep(st: BookState, d: Pick<BookStateDeps, 'log' | 'now' | 'serviceNodes'>): void {
  const now = d.now();
  const known = d.serviceNodes();
  for (const book of st.books.values()) {
    for (const dropped of book.expire(now)) {
      // expire() already took the entry out; we still need the order for the event.
      const order = st.orderCache.get(dropped.id);
      if (order) forget(st, d.log, order, dropped.reason, dropped.reason === 'expired');
      else {
        st.where.delete(dropped.id);
        for (const [u, id] of st.coins) if (id === dropped.id) st.coins.delete(u);
      }
    }
    for (const side of ['sell', 'buy'] as const) {
      for (const e of book.list(side)) {
        if (known.has(e.order.serviceNode.pubkey)) continue;
        book.remove(e.order.id);
        forget(st, d.log, e.order, 'service-node-gone', false);
      }
    }
  }
  st.guard.prune(now, DEFAULT_REPLAY_LIMITS);
  for (const id of st.orderCache.keys()) if (!st.where.has(id)) st.orderCache.delete(id);
}
