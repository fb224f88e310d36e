// Keeping a maker's orders listed: keepalives every keepaliveMs, announcing live orders again
// after a restart (or when their service node is back), cancels, and what happens when an order
// leaves the book: expired, or moved to another service node when its own went away. A fill
// that failed before coins were locked is offered again (reposted) once.
import { ApiError } from '../../src-shared/api/errors.ts';
import { marketTopic, signOrderMessage } from '../../src-shared/protocol/orders.ts';
import { fillQuote } from '../../src-shared/orders/order.ts';
import { transitionOrder } from '../../src-shared/orders/state.ts';
import type { Order } from '../../src-shared/orders/types.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { ServiceNodeRegistry } from '../servicenode/index.ts';
import type { Vault } from '../vault/index.ts';
import type { LimitSpec } from './maker-post.ts';
import type { BookEvent, NetworkBook } from './network-book.ts';
import { publishMessage, publishUntilHeard, vaultSigner, type SeqCounter } from './net.ts';
import { LISTING_ALIVE, type OrderRecord, type RecordStore } from './records.ts';

export interface ListingDeps {
  vault: Pick<Vault, 'status' | 'networkPublicKey' | 'signNetworkDigest'>;
  p2p: Pick<P2pHost, 'publish'>;
  book: Pick<NetworkBook, 'find' | 'ingest'>;
  registry: Pick<ServiceNodeRegistry, 'serving'>;
  records: RecordStore;
  seq: SeqCounter;
  log: Logger;
  now: () => number;
  place: (spec: LimitSpec) => Promise<OrderRecord>;
  /** The maker is started (announces are tried again only while it is). */
  running: () => boolean;
}

export interface Listing {
  cancel(id: string): Promise<OrderRecord>;
  sendKeepalives(): void;
  reannounce(): void;
  /** A fill of one of our orders failed before coins were locked: offer its amount again. */
  release(recId: string, holdId: string): void;
  onRemoved(e: Extract<BookEvent, { type: 'removed' }>): void;
}

/** Orders per keepalive message. */
const KEEPALIVE_BATCH = 100;

/** This node's listed order behind a book entry (not a stop it holds back). */
export function ownListing(records: Pick<RecordStore, 'get'>, order: Order): OrderRecord | undefined {
  const rec = records.get(order.id);
  return rec && rec.role === 'maker' && rec.kind !== 'stop' ? rec : undefined;
}

/** Partial-fill terms for `amount` of an order: its minimum while smaller than the amount, else all of it. */
function partialFor(rec: OrderRecord, amount: bigint): { allowed: boolean; minBase: bigint } {
  const allowed = rec.partial.allowed && rec.partial.minBase < amount;
  return { allowed, minBase: allowed ? rec.partial.minBase : amount };
}

const move = (d: ListingDeps, id: string, event: Parameters<typeof transitionOrder>[1], reason?: string) =>
  d.records.update(id, (r) => {
    const t = transitionOrder(r.state, event);
    if (t.ok) r.state = t.state;
    if (reason) r.reason = reason;
  });

async function cancel(d: ListingDeps, id: string): Promise<OrderRecord> {
  const rec = d.records.get(id);
  if (!rec || rec.role !== 'maker' || rec.kind === 'stop')
    throw new ApiError('NOT_FOUND', `No order ${id} of this node to cancel.`);
  if (!LISTING_ALIVE.includes(rec.state))
    throw new ApiError('CONFLICT', `The order is ${rec.state}: only an order nobody holds yet can be canceled.`);
  const signer = vaultSigner(d.vault, 'order');
  const msg = signOrderMessage(
    { type: 'order.cancel', orderId: id, maker: signer.publicKey, seq: d.seq.next(), ts: d.now() },
    signer,
  );
  const v = d.book.ingest('order.cancel', msg, null);
  if (!v.ok && v.reason !== 'unknown-order')
    d.log.warn('our own cancel does not check', { orderId: id, reason: v.reason });
  await publishMessage(d.p2p, marketTopic(rec.base, rec.quote), msg as { type: 'order.cancel' }, d.log);
  return d.records.update(id, (r) => {
    const t = transitionOrder(r.state, { type: 'canceled' });
    if (t.ok) r.state = t.state;
    r.acks = [];
    r.reason = 'canceled by the user';
  })!;
}

function sendKeepalives(d: ListingDeps): void {
  if (d.vault.status() !== 'unlocked') return;
  const signer = vaultSigner(d.vault, 'order');
  const byMarket = new Map<string, string[]>();
  for (const rec of d.records.all()) {
    if (rec.role !== 'maker' || rec.kind === 'stop' || !LISTING_ALIVE.includes(rec.state) || !d.book.find(rec.id))
      continue;
    const key = `${rec.base}/${rec.quote}`;
    byMarket.set(key, [...(byMarket.get(key) ?? []), rec.id]);
  }
  for (const [key, ids] of byMarket) {
    const [base, quote] = key.split('/') as [string, string];
    for (let i = 0; i < ids.length; i += KEEPALIVE_BATCH) {
      const orderIds = ids.slice(i, i + KEEPALIVE_BATCH);
      const msg = signOrderMessage(
        { type: 'order.keepalive', maker: signer.publicKey, orderIds, seq: d.seq.next(), ts: d.now() },
        signer,
      );
      d.book.ingest('order.keepalive', msg, null);
      void publishMessage(d.p2p, marketTopic(base, quote), msg as { type: 'order.keepalive' }, d.log);
    }
  }
}

function reannounce(d: ListingDeps): void {
  for (const rec of d.records.all()) {
    if (rec.role !== 'maker' || rec.kind === 'stop' || !rec.order) continue;
    if (!LISTING_ALIVE.includes(rec.state) || d.book.find(rec.id)) continue;
    if ((rec.expiresAt ?? 0) <= d.now()) {
      move(d, rec.id, { type: 'expired' });
      continue;
    }
    const announce = { type: 'order.announce' as const, order: rec.order };
    const v = d.book.ingest('order.announce', announce, null);
    if (!v.ok) continue; // its service node is not known yet: tried again when the list changes
    // Right after a start the node may know no peer on the topic yet: a publish then reaches nobody
    // and the order would come back only with the next keepalive's snapshot pull (30 s).
    const live = () => {
      const now = d.records.get(rec.id);
      return d.running() && now !== undefined && LISTING_ALIVE.includes(now.state);
    };
    const started = d.now();
    // Logged once it is settled: heard by a peer on the topic or not, and after how long.
    void publishUntilHeard(d.p2p, marketTopic(rec.base, rec.quote), announce, d.log, live).then(
      (heard) => d.log.info('order announced again', { orderId: rec.id, heard, ms: d.now() - started }),
      () => undefined,
    );
  }
}

function release(d: ListingDeps, recId: string, holdId: string): void {
  const rec = d.records.get(recId);
  const fill = rec?.fills.find((f) => f.holdId === holdId);
  if (!rec || !fill || fill.reposted || rec.role !== 'maker') return;
  d.records.update(recId, (r) => {
    const f = r.fills.find((x) => x.holdId === holdId);
    if (f) f.reposted = true;
  });
  if (rec.reason === 'canceled by the user') return;
  const quoteAmount = rec.price ? fillQuote(rec.price, fill.baseAmount, rec.side) : fill.quoteAmount;
  void d
    .place({
      base: rec.base,
      quote: rec.quote,
      side: rec.side,
      baseAmount: fill.baseAmount,
      quoteAmount,
      partial: partialFor(rec, fill.baseAmount),
      repostOf: rec.id,
    })
    .then(
      (r) =>
        d.log.info('reposted what a failed take gave back', {
          from: recId,
          orderId: r.id,
          baseAmount: fill.baseAmount,
        }),
      (err: unknown) =>
        d.log.warn('could not repost what a failed take gave back', { from: recId, error: errorText(err) }),
    );
}

function onRemoved(d: ListingDeps, e: Extract<BookEvent, { type: 'removed' }>): void {
  const rec = ownListing(d.records, e.order);
  if (!rec || !LISTING_ALIVE.includes(rec.state)) return;
  if (e.reason === 'expired') {
    move(d, rec.id, { type: 'expired' });
    return;
  }
  if (e.reason === 'coin-in-use') {
    move(d, rec.id, { type: 'invalidated' }, 'a coin of this order backs another order signed earlier');
    return;
  }
  if (e.reason !== 'service-node-gone') return;
  move(d, rec.id, { type: 'invalidated' }, 'its service node went away');
  // Another service node may serve the market: offer what was left there.
  if (rec.remainingBase > 0n && d.registry.serving(rec.base, rec.quote).length > 0 && rec.price) {
    void d
      .place({
        base: rec.base,
        quote: rec.quote,
        side: rec.side,
        baseAmount: rec.remainingBase,
        quoteAmount: fillQuote(rec.price, rec.remainingBase, rec.side),
        partial: partialFor(rec, rec.remainingBase),
        repostOf: rec.id,
      })
      .catch((err: unknown) =>
        d.log.warn('could not move an order to another service node', { orderId: rec.id, error: errorText(err) }),
      );
  }
}

export function createListing(d: ListingDeps): Listing {
  return {
    cancel: (id) => cancel(d, id),
    sendKeepalives: () => sendKeepalives(d),
    reannounce: () => reannounce(d),
    release: (recId, holdId) => release(d, recId, holdId),
    onRemoved: (e) => onRemoved(d, e),
  };
}
