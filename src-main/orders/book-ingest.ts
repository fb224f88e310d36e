// One book message applied to the network book after its validator passed it: an announce lists
// the order (a maker key may have at most so many listed), a keepalive refreshes its orders (and
// asks the origin for a snapshot when it names orders we miss), a cancel removes and tombstones
// one, a hold shrinks or removes one. Gossip is typed, size-checked and rate-limited first.
import { wireForm } from '../../src-shared/protocol/canonical.ts';
import type { OrderMessageType } from '../../src-shared/protocol/orders.ts';
import type { KeyedRateLimiter } from '../../src-shared/protocol/rate-limit.ts';
import {
  validateCancel,
  validateHold,
  validateKeepalive,
  validateOrderAnnounce,
  type Refusal,
  type Validation,
  type ValidationContext,
} from '../../src-shared/orders/validate.ts';
import { emit, findEntry, forget, gossipContext, listOrder, type BookState } from './book-state.ts';
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

/** Validates and applies one book message; `from` is the gossip origin, null for this node's own. */
export function ingest(c: IngestCtx, type: BookMessage, wire: unknown, from: string | null): Validation<unknown> {
  const ctx = gossipContext(c.st, c.d);
  switch (type) {
    case 'order.announce': {
      const v = validateOrderAnnounce(wire, ctx);
      if (!v.ok) return v;
      if ((c.st.perMaker.get(v.value.maker.pubkey) ?? 0) >= c.maxPerMaker)
        return refuse('duplicate', 'this maker has too many orders listed');
      if (listOrder(c.st, c.d, v.value, v.value.baseAmount, null) === 'coin-in-use')
        return refuse('duplicate', 'a coin of this order backs an order signed earlier');
      return v;
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

/** A gossip payload from `from`: typed and size-checked, announces rate-limited, then ingested; refusals scored. */
export function onGossip(c: IngestCtx, from: string, data: Uint8Array): void {
  const t = gossipType(data, BOOK_MESSAGES);
  if (!t.ok) {
    c.d.scorer.refused(from, t.reason, 'book gossip');
    return;
  }
  if (t.type === 'order.announce' && !c.announceLimit.take(from, c.d.now())) {
    c.d.scorer.flooding(from, 'order announces');
    return;
  }
  const v = ingest(c, t.type as BookMessage, data, from);
  if (!v.ok) c.d.scorer.refused(from, v.reason, `${t.type}: ${v.message}`);
}
