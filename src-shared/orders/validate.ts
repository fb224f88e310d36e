// Meaning checks for the order messages (protocol/orders.ts decodes their shape): signatures,
// who may send what, amounts and prices, freshness and replays. Each validator is pure, never
// throws, and answers with the value to use or one distinct reason; the caller commits `replay`
// records to its ReplayGuard only for messages it acts on, and scores peers by `offenceFor`.
import { priceOf } from '../money/price.ts';
import { digestHex, secp256k1Verifier, verifyBody, type Verifier } from '../protocol/canonical.ts';
import {
  decodeOrderMessage,
  unsigned,
  type AcceptMessage,
  type AckMessage,
  type Decoded,
  type HoldMessage,
  type OrderMessage,
  type OrderMessageType,
} from '../protocol/orders.ts';
import { decodeAddress } from './address.ts';
import {
  checkOrderTerms,
  fillQuote,
  isValidFill,
  makerReceivesTicker,
  makerSellsTicker,
  marketKey,
  registryCoins,
  makerSigProblem,
  verifyServiceNodeSig,
  type CoinLookup,
} from './order.ts';
import {
  DEFAULT_REPLAY_LIMITS,
  checkFreshness,
  type ReplayLimits,
  type ReplayRecord,
  type SeenView,
} from './replay.ts';
import type { Market, MakerSignedOrder, Order } from './types.ts';

export const REFUSAL_REASONS = [
  'malformed',
  'oversize',
  'forged-maker-sig',
  'forged-service-node-sig',
  'forged-taker-sig',
  'forged-collateral-sig',
  'unknown-service-node',
  'wrong-service-node',
  'expired',
  'stale',
  'future',
  'replayed',
  'duplicate',
  'price-inconsistent',
  'amount-invalid',
  'dust',
  'unknown-market',
  'unknown-order',
  'not-maker',
  'collateral-invalid',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];
export type Refusal = { ok: false; reason: RefusalReason; message: string };
export type Validation<T> = { ok: true; value: T; replay: readonly ReplayRecord[] } | Refusal;

/**
 * How a refusal counts against the peer that sent it (the p2p host's offence kinds), or null when
 * an honest peer could have sent it: a relay of something we already have, clocks that differ,
 * or state we have not learnt yet.
 */
export function offenceFor(reason: RefusalReason): 'oversize' | 'malformed' | null {
  switch (reason) {
    case 'oversize':
      return 'oversize';
    case 'duplicate':
    case 'replayed':
    case 'expired':
    case 'stale':
    case 'future':
    case 'unknown-order':
    case 'unknown-service-node':
      return null;
    default:
      return 'malformed';
  }
}

export interface KnownServiceNode {
  /** Tickers the service node serves (from its latest announce, else its registration). */
  readonly coins: readonly string[];
}

export interface ValidationContext {
  readonly now: number;
  readonly seen: SeenView;
  readonly knownServiceNodes: ReadonlyMap<string, KnownServiceNode>;
  /** Markets this node trades, as marketKey() strings ("DEVA/DEVB"): the orientation is part of the market. */
  readonly markets: ReadonlySet<string>;
  readonly coins?: CoinLookup;
  readonly verifier?: Verifier;
  readonly limits?: ReplayLimits;
}

/** What this node knows about a listed order (an OrderBook entry fits). */
export interface ListedOrder {
  readonly order: Order;
  readonly remainingBase: bigint;
}
export type OrderLookup = (orderId: string) => ListedOrder | undefined;

function no(reason: RefusalReason, message: string): Refusal {
  return { ok: false, reason, message };
}
function yes<T>(value: T, replay: readonly ReplayRecord[] = []): Validation<T> {
  return { ok: true, value, replay };
}
function decoded<K extends OrderMessageType>(input: unknown, type: K): Decoded<OrderMessage<K>> {
  return decodeOrderMessage(input, type);
}

const limitsOf = (ctx: ValidationContext): ReplayLimits => ctx.limits ?? DEFAULT_REPLAY_LIMITS;
const verifierOf = (ctx: ValidationContext): Verifier => ctx.verifier ?? secp256k1Verifier;

// ---- orders ----------------------------------------------------------------------------------

/** Checks on a maker-signed order that every receiver and the signing service node make. */
function checkMakerOrder(o: MakerSignedOrder, ctx: ValidationContext): Refusal | null {
  if (!ctx.markets.has(marketKey(o.market)))
    return no('unknown-market', `this node does not trade ${marketKey(o.market)}`);
  const problem = checkOrderTerms(o, ctx.coins ?? registryCoins);
  if (problem) return no(problem.reason, problem.message);
  const derived = priceOf(o.baseAmount, o.quoteAmount);
  if (o.price.num !== derived.num || o.price.den !== derived.den)
    return no('price-inconsistent', 'the price is not the reduced ratio of the amounts');
  if (o.expiresAt <= ctx.now) return no('expired', 'the order has expired');
  if (o.createdAt > ctx.now + limitsOf(ctx).maxSkewMs) return no('future', 'the order is dated in the future');
  return null;
}

function checkFullOrder(o: Order, ctx: ValidationContext): Refusal | null {
  const bad = checkMakerOrder(o, ctx);
  if (bad) return bad;
  const { maxAgeMs, maxSkewMs } = limitsOf(ctx);
  const sn = o.serviceNode;
  if (sn.signedAt > ctx.now + maxSkewMs) return no('future', 'the service node signature is dated in the future');
  // A service node signs only fresh orders, so no maker can buy time priority by backdating.
  if (sn.signedAt < o.createdAt - maxSkewMs || sn.signedAt > o.createdAt + maxAgeMs) {
    return no('malformed', 'the service node signed the order too long after (or before) it was made');
  }
  const node = ctx.knownServiceNodes.get(sn.pubkey);
  if (!node) return no('unknown-service-node', 'the order is signed by a service node this node does not know');
  if (!node.coins.includes(o.market.base) || !node.coins.includes(o.market.quote)) {
    return no('unknown-service-node', `the signing service node does not serve ${marketKey(o.market)}`);
  }
  return null;
}

function checkSignatures(o: Order, ctx: ValidationContext): Refusal | null {
  const maker = makerSigProblem(o, verifierOf(ctx));
  if (maker === 'id') return no('forged-maker-sig', 'the order id does not match its terms');
  if (maker === 'sig') return no('forged-maker-sig', 'the maker signature does not verify');
  if (!verifyServiceNodeSig(o, verifierOf(ctx)))
    return no('forged-service-node-sig', 'the service node signature does not verify');
  return null;
}

/** The order with its price in reduced form, ready for a book. */
function normalized(o: Order): Order {
  return { ...o, price: priceOf(o.baseAmount, o.quoteAmount) };
}

/**
 * An order announce from the market topic. Refuses a tombstoned order as 'replayed' and an order
 * already listed as 'duplicate' (harmless: gossip delivers the same announce more than once).
 */
export function validateOrderAnnounce(input: unknown, ctx: ValidationContext): Validation<Order> {
  const d = decoded(input, 'order.announce');
  if (!d.ok) return d;
  return validateOrderValue(d.msg.order, ctx);
}

function validateOrderValue(order: Order, ctx: ValidationContext): Validation<Order> {
  const bad = checkFullOrder(order, ctx);
  if (bad) return bad;
  const status = ctx.seen.orderStatus(order.id);
  if (status === 'dead') return no('replayed', 'the order was canceled, filled or expired');
  if (status === 'live') return no('duplicate', 'the order is already listed');
  return checkSignatures(order, ctx) ?? yes(normalized(order));
}

/** Maker → service node: the order to check and countersign. Only fresh orders are signed. */
export function validateSignRequest(input: unknown, ctx: ValidationContext): Validation<MakerSignedOrder> {
  const d = decoded(input, 'order.sign.request');
  if (!d.ok) return d;
  const o = d.msg.order;
  const bad = checkMakerOrder(o, ctx);
  if (bad) return bad;
  if (o.createdAt < ctx.now - limitsOf(ctx).maxAgeMs)
    return no('stale', 'the order was made too long ago to be signed now');
  if (ctx.seen.orderStatus(o.id) === 'dead') return no('replayed', 'the order was canceled, filled or expired');
  if (makerSigProblem(o, verifierOf(ctx)) !== null)
    return no('forged-maker-sig', 'the maker signature does not verify');
  return yes({ ...o, price: priceOf(o.baseAmount, o.quoteAmount) });
}

/** Service node → maker: the countersignature for `order`, from the service node that was asked. */
export function validateSignResponse(
  input: unknown,
  order: MakerSignedOrder,
  serviceNodePubkey: string,
  ctx: Pick<ValidationContext, 'verifier'>,
): Validation<Order> {
  const d = decoded(input, 'order.sign.response');
  if (!d.ok) return d;
  if (d.msg.orderId !== order.id) return no('malformed', 'the response is for another order');
  if (d.msg.serviceNode.pubkey !== serviceNodePubkey)
    return no('wrong-service-node', 'the response is signed by another service node');
  const full: Order = { ...order, serviceNode: d.msg.serviceNode };
  if (!verifyServiceNodeSig(full, ctx.verifier ?? secp256k1Verifier))
    return no('forged-service-node-sig', 'the service node signature does not verify');
  return yes(full);
}

// ---- keepalive and cancel --------------------------------------------------------------------

function fresh(ctx: ValidationContext, r: ReplayRecord): Refusal | null {
  const p = checkFreshness(ctx.seen, r, ctx.now, limitsOf(ctx));
  return p ? no(p.reason, p.message) : null;
}

export interface Keepalive {
  readonly maker: string;
  /** Listed orders of this maker the keepalive refreshes. */
  readonly orderIds: readonly string[];
  /** Ids this node does not list (yet): a hint to ask for a snapshot. */
  readonly unknownOrderIds: readonly string[];
}

/** A maker's keepalive for its orders. Naming another maker's order refuses the whole message. */
export function validateKeepalive(
  input: unknown,
  ctx: ValidationContext & { readonly makerOf: (orderId: string) => string | undefined },
): Validation<Keepalive> {
  const d = decoded(input, 'order.keepalive');
  if (!d.ok) return d;
  const m = d.msg;
  const r = { sender: m.maker, seq: m.seq, ts: m.ts };
  const stale = fresh(ctx, r);
  if (stale) return stale;
  if (new Set(m.orderIds).size !== m.orderIds.length) return no('malformed', 'an order id is named twice');
  if (!verifyBody('order.keepalive', unsigned(d.raw, 'sig'), m.sig, m.maker, verifierOf(ctx)))
    return no('forged-maker-sig', 'the keepalive signature does not verify');
  const known: string[] = [];
  const unknown: string[] = [];
  for (const id of m.orderIds) {
    const maker = ctx.makerOf(id);
    if (maker === undefined) unknown.push(id);
    else if (maker !== m.maker) return no('not-maker', 'the keepalive names an order of another maker');
    else known.push(id);
  }
  return yes({ maker: m.maker, orderIds: known, unknownOrderIds: unknown }, [r]);
}

/** A maker's cancel. The caller removes the order and tombstones it (ReplayGuard.markDead). */
export function validateCancel(
  input: unknown,
  ctx: ValidationContext & { readonly makerOf: (orderId: string) => string | undefined },
): Validation<{ orderId: string; maker: string }> {
  const d = decoded(input, 'order.cancel');
  if (!d.ok) return d;
  const m = d.msg;
  const r = { sender: m.maker, seq: m.seq, ts: m.ts };
  const stale = fresh(ctx, r);
  if (stale) return stale;
  const maker = ctx.makerOf(m.orderId);
  if (maker === undefined) return no('unknown-order', 'no such order is listed');
  if (maker !== m.maker) return no('not-maker', 'only the maker can cancel an order');
  if (!verifyBody('order.cancel', unsigned(d.raw, 'sig'), m.sig, m.maker, verifierOf(ctx)))
    return no('forged-maker-sig', 'the cancel signature does not verify');
  return yes({ orderId: m.orderId, maker: m.maker }, [r]);
}

// ---- accept, ack, take, hold -----------------------------------------------------------------

export interface ValidAccept {
  readonly accept: AcceptMessage;
  /** Digest of the signed accept: what the maker's ack and the service node's hold refer to. */
  readonly acceptId: string;
}

function checkAccept(
  d: Decoded<AcceptMessage>,
  ctx: ValidationContext & { readonly listed: OrderLookup },
): Validation<ValidAccept> {
  if (!d.ok) return d;
  const m = d.msg;
  const r = { sender: m.taker.pubkey, seq: m.seq, ts: m.ts };
  const stale = fresh(ctx, r);
  if (stale) return stale;
  const entry = ctx.listed(m.orderId);
  if (!entry) return no('unknown-order', 'no such order is listed');
  const o = entry.order;
  if (!isValidFill(o.partial, entry.remainingBase, m.baseAmount))
    return no('amount-invalid', 'the amount is not a valid fill of the order');
  if (m.quoteAmount !== fillQuote(o.price, m.baseAmount, o.side))
    return no('price-inconsistent', 'the quote amount does not match the order price');
  const coins = ctx.coins ?? registryCoins;
  const takerGets = coins(makerSellsTicker(o));
  const takerGives = coins(makerReceivesTicker(o));
  if (!takerGets || !decodeAddress(m.taker.addresses.payout, takerGets))
    return no('malformed', `the payout address is not a ${makerSellsTicker(o)} address`);
  if (!takerGives || !decodeAddress(m.taker.addresses.refund, takerGives))
    return no('malformed', `the refund address is not a ${makerReceivesTicker(o)} address`);
  if (!verifyBody('order.accept', unsigned(d.raw, 'sig'), m.sig, m.taker.pubkey, verifierOf(ctx)))
    return no('forged-taker-sig', 'the accept signature does not verify');
  return yes({ accept: m, acceptId: digestHex('order.accept', unsigned(d.raw, 'sig')) }, [r]);
}

/** Taker → maker (and inside order.take, → service node): a request to trade `baseAmount` of a listed order. */
export function validateAccept(
  input: unknown,
  ctx: ValidationContext & { readonly listed: OrderLookup },
): Validation<ValidAccept> {
  return checkAccept(decoded(input, 'order.accept'), ctx);
}

function checkAck(
  d: Decoded<AckMessage>,
  accept: ValidAccept,
  makerPubkey: string,
  ctx: ValidationContext,
): Validation<AckMessage> {
  if (!d.ok) return d;
  const m = d.msg;
  const r = { sender: m.maker, seq: m.seq, ts: m.ts };
  const stale = fresh(ctx, r);
  if (stale) return stale;
  if (m.acceptId !== accept.acceptId || m.orderId !== accept.accept.orderId)
    return no('malformed', 'the ack is for another accept');
  if (m.maker !== makerPubkey) return no('not-maker', "the ack is not from the order's maker");
  if (!verifyBody('order.ack', unsigned(d.raw, 'sig'), m.sig, m.maker, verifierOf(ctx)))
    return no('forged-maker-sig', 'the ack signature does not verify');
  return yes(m, [r]);
}

/** Maker → taker: the maker takes this accept (the first valid one it got). */
export function validateAck(
  input: unknown,
  accept: ValidAccept,
  makerPubkey: string,
  ctx: ValidationContext,
): Validation<AckMessage> {
  return checkAck(decoded(input, 'order.ack'), accept, makerPubkey, ctx);
}

/**
 * Taker → the order's service node: the accept with the maker's ack. The service node then checks
 * the fee transaction (feeTxid, on chain) and holds the order for this taker.
 */
export function validateTake(
  input: unknown,
  ctx: ValidationContext & { readonly listed: OrderLookup; readonly servicePubkey: string },
): Validation<ValidAccept & { ack: AckMessage }> {
  const d = decoded(input, 'order.take');
  if (!d.ok) return d;
  const accept = checkAccept(decoded(d.msg.accept, 'order.accept'), ctx);
  if (!accept.ok) return accept;
  const entry = ctx.listed(accept.value.accept.orderId)!;
  if (entry.order.serviceNode.pubkey !== ctx.servicePubkey)
    return no('wrong-service-node', 'the order is signed by another service node');
  const ack = checkAck(decoded(d.msg.ack, 'order.ack'), accept.value, entry.order.maker.pubkey, ctx);
  if (!ack.ok) return ack;
  return yes({ ...accept.value, ack: ack.value }, [...accept.replay, ...ack.replay]);
}

export interface ValidHold {
  readonly hold: HoldMessage;
  /** Digest of the signed hold; the swap id of the trade it starts. */
  readonly holdId: string;
}

function checkHoldFor(d: Decoded<HoldMessage>, entry: ListedOrder, verifier: Verifier): Validation<ValidHold> {
  if (!d.ok) return d;
  const m = d.msg;
  const o = entry.order;
  if (m.orderId !== o.id) return no('malformed', 'the hold is for another order');
  if (m.serviceNode !== o.serviceNode.pubkey)
    return no('wrong-service-node', 'only the service node that signed the order can hold it');
  if (m.remainingBase + m.baseAmount > entry.remainingBase)
    return no('amount-invalid', 'the hold takes more than the order has left');
  if (!isValidFill(o.partial, m.remainingBase + m.baseAmount, m.baseAmount))
    return no('amount-invalid', 'the held amount is not a valid fill of the order');
  if (m.quoteAmount !== fillQuote(o.price, m.baseAmount, o.side))
    return no('price-inconsistent', 'the held quote amount does not match the order price');
  if (!verifyBody('order.hold', unsigned(d.raw, 'sig'), m.sig, m.serviceNode, verifier))
    return no('forged-service-node-sig', 'the hold signature does not verify');
  return yes({ hold: m, holdId: digestHex('order.hold', unsigned(d.raw, 'sig')) });
}

/**
 * The service node's hold of a listed order, from the market topic: the book shrinks the order to
 * `remainingBase` (removes it at zero). The service node's remainder is authoritative, so a node
 * that missed an earlier hold catches up.
 */
export function validateHold(
  input: unknown,
  ctx: ValidationContext & { readonly listed: OrderLookup },
): Validation<ValidHold> {
  const d = decoded(input, 'order.hold');
  if (!d.ok) return d;
  const r = { sender: d.msg.serviceNode, seq: d.msg.seq, ts: d.msg.ts };
  const stale = fresh(ctx, r);
  if (stale) return stale;
  const entry = ctx.listed(d.msg.orderId);
  if (!entry) return no('unknown-order', 'no such order is listed');
  const v = checkHoldFor(d, entry, verifierOf(ctx));
  return v.ok ? yes(v.value, [r]) : v;
}

// ---- book snapshots --------------------------------------------------------------------------

export function validateSnapshotRequest(
  input: unknown,
  ctx: Pick<ValidationContext, 'markets'>,
): Validation<{ market: Market; after: string | null; limit: number }> {
  const d = decoded(input, 'book.snapshot.request');
  if (!d.ok) return d;
  if (!ctx.markets.has(marketKey(d.msg.market)))
    return no('unknown-market', `this node does not trade ${marketKey(d.msg.market)}`);
  return yes({ market: d.msg.market, after: d.msg.after, limit: d.msg.limit });
}

export interface SnapshotPage {
  /** New orders to list, with what is left of each. */
  readonly entries: ReadonlyArray<{ order: Order; remainingBase: bigint }>;
  /** Orders this node already lists. */
  readonly known: readonly string[];
  /** Entries refused, by position, each with its reason. */
  readonly refused: ReadonlyArray<{ index: number; reason: RefusalReason; message: string }>;
  readonly next: string | null;
}

/**
 * One page of another node's book. Each entry is checked like an announce; a partly held order
 * comes with its latest hold, whose signature (not its age) is checked, since holds in a snapshot
 * are old by nature. One bad entry does not void the page; the caller scores the peer by `refused`.
 */
export function validateSnapshot(input: unknown, market: Market, ctx: ValidationContext): Validation<SnapshotPage> {
  const d = decoded(input, 'book.snapshot');
  if (!d.ok) return d;
  if (marketKey(d.msg.market) !== marketKey(market)) return no('malformed', 'the snapshot is of another market');
  const entries: Array<{ order: Order; remainingBase: bigint }> = [];
  const known: string[] = [];
  const refused: Array<{ index: number; reason: RefusalReason; message: string }> = [];
  d.msg.entries.forEach((raw, index) => {
    const announce = decoded({ type: 'order.announce', order: raw.order }, 'order.announce');
    const v = announce.ok ? validateOrderValue(announce.msg.order, ctx) : announce;
    if (!v.ok) {
      if (v.reason === 'duplicate' && announce.ok) known.push(announce.msg.order.id);
      else refused.push({ index, reason: v.reason, message: v.message });
      return;
    }
    if (marketKey(v.value.market) !== marketKey(market)) {
      refused.push({ index, reason: 'malformed', message: 'the order is of another market' });
      return;
    }
    let remainingBase = v.value.baseAmount;
    if (raw.hold !== null) {
      const h = checkHoldFor(decoded(raw.hold, 'order.hold'), { order: v.value, remainingBase }, verifierOf(ctx));
      if (!h.ok) {
        refused.push({ index, reason: h.reason, message: h.message });
        return;
      }
      remainingBase = h.value.hold.remainingBase;
      if (remainingBase === 0n) {
        refused.push({ index, reason: 'amount-invalid', message: 'a fully held order is not listed' });
        return;
      }
    }
    entries.push({ order: v.value, remainingBase });
  });
  return yes({ entries, known, refused, next: d.msg.next });
}
