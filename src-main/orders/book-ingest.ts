// One book message applied to the network book after its validator passed it: an announce lists
// the order (a maker key may have at most so many listed), a keepalive refreshes its orders (and
// asks the origin for a snapshot when it names orders we miss), a cancel removes and tombstones
// one, a hold shrinks or removes one. Gossip is typed, size-checked and rate-limited first, and
// checked inside gossipsub's validation (checkGossip), so what the book refuses is not forwarded;
// an announce is listed when gossipsub delivers it (docs/orders.md "Benchmarks").
import { wireForm } from '../../src-shared/protocol/canonical.ts';
import type { OrderMessageType } from '../../src-shared/protocol/orders.ts';
import type { KeyedRateLimiter } from '../../src-shared/protocol/rate-limit.ts';
import type { Order } from '../../src-shared/orders/types.ts';
import {
  offenceFor,
  validateCancel,
  validateHold,
  validateKeepalive,
  validateOrderAnnounce,
  type Refusal,
  type RefusalReason,
  type Validation,
  type ValidationContext,
} from '../../src-shared/orders/validate.ts';
import type { GossipMessage, GossipVerdict } from '../p2p/index.ts';
import { coinRivals, emit, findEntry, forget, gossipContext, listOrder, type BookState } from './book-state.ts';
import { gossipType } from './net.ts';
import type { BookMessage, NetworkBookDeps } from './network-book.ts';

export const BOOK_MESSAGES: readonly OrderMessageType[] = [
  'order.announce',
  'order.keepalive',
  'order.cancel',
  'order.hold',
];

/** What ingesting needs beyond the book's state. */
export interface IngestCtx {
  st: BookState;
  d: NetworkBookDeps;
  maxPerMaker: number;
  announceLimit: KeyedRateLimiter;
  /** When each peer was last asked for a snapshot because of a keepalive. */
  lastHint: Map<string, number>;
  syncFrom: (peerId: string) => Promise<void>;
  /** Announces checkGossip passed, by their bytes, until their delivery lists them. */
  checked: WeakMap<Uint8Array, Order>;
}

const refuse = (reason: Refusal['reason'], message: string): Refusal => ({ ok: false, reason, message });
/** At most one snapshot per peer in this long for keepalives naming orders we miss. */
const HINT_EVERY_MS = 5000;

function keepalive(c: IngestCtx, wire: unknown, from: string | null, ctx: ValidationContext): Validation<unknown> {
  const makerOf = (id: string) => findEntry(c.st, id)?.order.maker.pubkey;
  const v = validateKeepalive(wire, { ...ctx, makerOf });
  if (!v.ok) return v;
  c.st.guard.commit(v.replay);
  for (const id of v.value.orderIds) c.st.where.get(id)?.touch(id, ctx.now);
  // Orders we do not list: we missed their announce (or dropped them as offline). The
  // origin is the maker's node, which lists its own orders: ask it, now and then.
  if (
    v.value.unknownOrderIds.length > 0 &&
    from !== null &&
    from !== c.d.p2p.peerId &&
    ctx.now - (c.lastHint.get(from) ?? 0) > HINT_EVERY_MS
  ) {
    c.lastHint.set(from, ctx.now);
    void c.syncFrom(from);
  }
  return v;
}

function hold(c: IngestCtx, wire: unknown, ctx: ValidationContext): Validation<unknown> {
  const v = validateHold(wire, { ...ctx, listed: (id) => findEntry(c.st, id) });
  if (!v.ok) return v;
  c.st.guard.commit(v.replay);
  const { hold, holdId } = v.value;
  const book = c.st.where.get(hold.orderId)!;
  const order = book.get(hold.orderId)!.order;
  const after = book.shrink(hold.orderId, hold.remainingBase);
  if (after) c.st.holds.set(hold.orderId, wireForm(hold) as Record<string, unknown>);
  emit(c.st, c.d.log, { type: 'held', order, hold, holdId, remainingBase: hold.remainingBase });
  if (!after) forget(c.st, c.d.log, order, 'held', true);
  return v;
}

/** An announce checked as far as it can be without listing: valid, and the book would take it now. */
function checkAnnounce(c: IngestCtx, wire: unknown, ctx: ValidationContext): Validation<Order> {
  const v = validateOrderAnnounce(wire, ctx);
  if (!v.ok) return v;
  return roomFor(c, v.value) ?? v;
}

/** Why the book would not take a valid order now (cheap: no signature), or null. */
function roomFor(c: IngestCtx, order: Order): Refusal | null {
  if ((c.st.perMaker.get(order.maker.pubkey) ?? 0) >= c.maxPerMaker)
    return refuse('duplicate', 'this maker has too many orders listed');
  if (coinRivals(c.st, order) === 'later')
    return refuse('duplicate', 'a coin of this order backs an order signed earlier');
  return null;
}

/** Lists an order checkAnnounce passed, unless the book changed meanwhile (listed, tombstoned, full). */
function listChecked(c: IngestCtx, order: Order): Validation<Order> | Refusal {
  const status = c.st.seen.orderStatus(order.id);
  if (status === 'dead') return refuse('replayed', 'the order was canceled, filled or expired');
  if (status === 'live') return refuse('duplicate', 'the order is already listed');
  const bad = roomFor(c, order);
  if (bad) return bad;
  if (listOrder(c.st, c.d, order, order.baseAmount, null) === 'coin-in-use')
    return refuse('duplicate', 'a coin of this order backs an order signed earlier');
  return { ok: true, value: order, replay: [] };
}

/** Validates and applies one book message; `from` is the gossip origin, null for this node's own. */
export function ingest(c: IngestCtx, type: BookMessage, wire: unknown, from: string | null): Validation<unknown> {
  const ctx = gossipContext(c.st, c.d);
  switch (type) {
    case 'order.announce': {
      const v = validateOrderAnnounce(wire, ctx);
      return v.ok ? listChecked(c, v.value) : v;
    }
    case 'order.keepalive':
      return keepalive(c, wire, from, ctx);
    case 'order.cancel': {
      const makerOf = (id: string) => findEntry(c.st, id)?.order.maker.pubkey;
      const v = validateCancel(wire, { ...ctx, makerOf });
      if (!v.ok) return v;
      c.st.guard.commit(v.replay);
      const removed = c.st.where.get(v.value.orderId)?.remove(v.value.orderId);
      if (removed) forget(c.st, c.d.log, removed.order, 'canceled', true);
      return v;
    }
    case 'order.hold':
      return hold(c, wire, ctx);
  }
}

/**
 * Honest refusals that depend on what this node knows (a neighbour may list the order, know the
 * service node): such a message goes on as before. Other honest ones (dead, stale, future or
 * replayed messages) are dropped; offences are rejected.
 */
const FORWARDED: ReadonlySet<RefusalReason> = new Set(['duplicate', 'unknown-service-node', 'unknown-order']);

export function gossipVerdict(reason: RefusalReason): GossipVerdict {
  if (offenceFor(reason) !== null) return 'reject';
  return FORWARDED.has(reason) ? 'accept' : 'ignore';
}

/**
 * A gossip payload, inside gossipsub's validation (before it is delivered or forwarded): typed
 * and size-checked, announces rate-limited per origin, then validated (signatures included);
 * refusals are scored. A keepalive, cancel or hold is applied here; a valid announce is kept for
 * onGossip, which lists it when gossipsub delivers it.
 */
export function checkGossip(c: IngestCtx, m: GossipMessage): GossipVerdict {
  const { from, data } = m;
  const t = gossipType(data, BOOK_MESSAGES);
  if (!t.ok) {
    c.d.scorer.refused(from, t.reason, 'book gossip');
    return 'reject';
  }
  if (t.type === 'order.announce' && !c.announceLimit.take(from, c.d.now())) {
    c.d.scorer.flooding(from, 'order announces');
    return 'ignore';
  }
  const v =
    t.type === 'order.announce'
      ? checkAnnounce(c, data, gossipContext(c.st, c.d))
      : ingest(c, t.type as BookMessage, data, from);
  if (!v.ok) {
    c.d.scorer.refused(from, v.reason, `${t.type}: ${v.message}`);
    return gossipVerdict(v.reason);
  }
  if (t.type === 'order.announce') c.checked.set(data, v.value as Order);
  return 'accept';
}

/**
 * A gossip message checkGossip accepted: an announce is listed at once, on delivery (gossipsub
 * delivers, then forwards, in one turn; the listing costs the forward ~20 µs). Listing it after
 * the forward made every node's listing wait for its own forward, and the bench's median ~10 ms
 * more behind raw gossipsub (docs/orders.md "Benchmarks").
 */
export function onGossip(c: IngestCtx, m: GossipMessage): void {
  const order = c.checked.get(m.data);
  if (order === undefined) return;
  c.checked.delete(m.data);
  const v = listChecked(c, order);
  if (!v.ok && v.reason !== 'duplicate') c.d.log.info('checked order not listed', { id: order.id, reason: v.reason });
}
