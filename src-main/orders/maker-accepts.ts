// A maker answering takers: the first valid accept of an open order gets the maker's ack (the
// same accept again gets it again; others are refused while it may still become a hold), an
// abandoned take gives the order back once its ack is too old for any service node to hold on,
// and the service node's hold starts the swap (swap id = hold id). A swap that cannot start
// gives the fill back to be reposted.
import { ApiError } from '../../src-shared/api/errors.ts';
import { signOrderMessage } from '../../src-shared/protocol/orders.ts';
import { DEFAULT_REPLAY_LIMITS } from '../../src-shared/orders/replay.ts';
import { transitionOrder } from '../../src-shared/orders/state.ts';
import type { Order } from '../../src-shared/orders/types.ts';
import { offenceFor, validateAccept, type Refusal } from '../../src-shared/orders/validate.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import { sleep } from '../kernel/time.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { SwapEngine } from '../swaps/index.ts';
import type { Vault } from '../vault/index.ts';
import { settle } from './fill-tracking.ts';
import { ownListing } from './maker-listing.ts';
import type { BookEvent, NetworkBook } from './network-book.ts';
import { vaultSigner, type SeqCounter } from './net.ts';
import type { AckRecord, OrderRecord, RecordStore } from './records.ts';

export interface AcceptsDeps {
  vault: Pick<Vault, 'status' | 'networkPublicKey' | 'signNetworkDigest'>;
  p2p: Pick<P2pHost, 'peerId'>;
  book: Pick<NetworkBook, 'find' | 'directContext'>;
  swaps?: Pick<SwapEngine, 'startSwap'>;
  records: RecordStore;
  seq: SeqCounter;
  log: Logger;
  now: () => number;
  holdTimeoutMs: number;
  /**
   * How long an ack may still turn into a hold (docs/orders.md §8): a service node takes an ack
   * up to maxAge + maxSkew after it was signed, and its hold needs holdTimeoutMs more to arrive.
   * Until then no second taker is acked, so no two takers pay for one fill.
   */
  ackLiveMs?: number;
  /**
   * How long the taker agrees to our swap after its take (orders.swapStartMs): a taker that cannot
   * be reached when its hold arrives (its relayed connection closed meanwhile) is tried again
   * within it, so the fee it paid is not for nothing.
   */
  swapStartMs?: number;
  /** Pause between those tries (tests shorten it). */
  startRetryMs?: readonly number[];
  /**
   * Frees the held order's backing coins in the wallet (the coin-lock reconcile): its swap funds
   * from them, and the engine counts only unlocked coins as spendable.
   */
  freeBacking?: () => Promise<void>;
  /** A fill that failed before coins were locked, to be offered again (Listing.release). */
  release: (recId: string, holdId: string) => void;
  /** Test hook: a SIGKILL at a named step (docs/orders.md §9). */
  crashAt?: (point: string) => void;
}

export interface Accepts {
  onAccept(req: unknown, peerId: string): Promise<unknown>;
  onHeld(e: Extract<BookEvent, { type: 'held' }>): void;
  /** After a restart: starts the swap of a stored hold that never got one (docs/orders.md §9). */
  startHeld(recId: string, holdId: string, wait: boolean): Promise<HeldStart>;
  /** After a restart: waits again for the holds of the accepts acked before it. */
  resumeAcks(): void;
  stop(): void;
}

function refusal(r: Refusal): ApiError {
  return new ApiError(offenceFor(r.reason) ? 'INVALID_PARAMS' : 'PEER_REFUSED', `refused (${r.reason}): ${r.message}`, {
    reason: r.reason,
  });
}

/** The fill a hold of our order starts, from the ack it answers. */
function heldFill(e: Extract<BookEvent, { type: 'held' }>, ack: AckRecord, at: number): OrderRecord['fills'][number] {
  return {
    orderId: e.order.id,
    acceptId: ack.acceptId,
    holdId: e.holdId,
    counterparty: ack.takerPeerId,
    baseAmount: e.hold.baseAmount,
    quoteAmount: e.hold.quoteAmount,
    feeTxid: ack.feeTxid,
    state: 'hold',
    makerPubkey: e.order.maker.pubkey,
    serviceNode: e.order.serviceNode.pubkey,
    price: e.order.price,
    makerSide: e.order.side,
    at,
  };
}

/** The deps and the timers of accepts waiting for their hold. */
type Ctx = AcceptsDeps & {
  holdTimers: Map<string, NodeJS.Timeout>;
  ackLiveMs: number;
  swapStartMs: number;
  startRetryMs: readonly number[];
  stopped: boolean;
};

const START_RETRY_MS = [1_000, 2_000, 4_000, 8_000, 15_000];

/** Until when the maker still tries to start a held fill's swap: inside the taker's agreement, with room to spare. */
export const startDeadline = (holdAt: number, swapStartMs: number): number =>
  holdAt + Math.max(swapStartMs / 2, swapStartMs - 60_000);

/** The ack's life by default: the longest a service node accepts it, then the hold's way back. */
export const ackLifeOf = (holdTimeoutMs: number): number =>
  DEFAULT_REPLAY_LIMITS.maxAgeMs + DEFAULT_REPLAY_LIMITS.maxSkewMs + holdTimeoutMs;

/** The order goes back to the next taker when no hold came for this accept in time. */
function awaitHold(d: Ctx, recId: string, acceptId: string, waitMs = d.ackLiveMs): void {
  const t = setTimeout(() => {
    d.holdTimers.delete(acceptId);
    d.records.update(recId, (r) => {
      if (r.state !== 'accepting' || r.acks.some((a) => a.acceptId !== acceptId && d.now() - a.at < d.ackLiveMs))
        return;
      const back = transitionOrder(r.state, { type: 'accept-failed' });
      if (back.ok) r.state = back.state;
    });
  }, waitMs);
  t.unref();
  d.holdTimers.set(acceptId, t);
}

async function onAccept(d: Ctx, req: unknown, peerId: string): Promise<unknown> {
  const v = validateAccept(req, { ...d.book.directContext(), listed: d.book.find });
  if (!v.ok) throw refusal(v);
  const { accept, acceptId } = v.value;
  const rec = ownListing(d.records, d.book.find(accept.orderId)!.order);
  if (!rec) throw new ApiError('NOT_FOUND', 'refused: this node did not make that order');
  if (accept.taker.peerId !== peerId)
    throw new ApiError('PEER_REFUSED', "refused: an accept must come from the taker's own node");
  if (d.vault.status() !== 'unlocked') throw new ApiError('PEER_REFUSED', "refused: the maker's node is locked");
  const now = d.now();
  const signer = vaultSigner(d.vault, 'order');
  const { orderId } = accept;
  const ackOf = () =>
    signOrderMessage(
      { type: 'order.ack', acceptId, orderId, maker: signer.publicKey, seq: d.seq.next(), ts: d.now() },
      signer,
    );
  // The same accept again (our answer was lost on the way): the same decision.
  if (rec.acks.some((a) => a.acceptId === acceptId)) return ackOf();
  // The maker takes the first valid accept: while its ack may still become a hold, others are
  // refused (the first taker may be retrying its take or waiting for its fee to be seen).
  const waiting = rec.acks.some((a) => now - a.at < d.ackLiveMs);
  if (waiting || !['open', 'accepting'].includes(rec.state))
    throw new ApiError('PEER_REFUSED', 'refused: the order is being taken by someone else');
  const ack = ackOf();
  const { baseAmount, quoteAmount, feeTxid } = accept;
  d.records.update(rec.id, (r) => {
    const recent = r.acks.filter((a) => now - a.at < 2 * d.ackLiveMs);
    r.acks = [...recent, { acceptId, takerPeerId: peerId, baseAmount, quoteAmount, feeTxid, at: now }];
    const t = transitionOrder(r.state, { type: 'accept-sent' });
    if (t.ok) r.state = t.state;
  });
  awaitHold(d, rec.id, acceptId);
  d.log.info('accept taken', { orderId, acceptId, taker: peerId, baseAmount });
  return ack;
}

/** How starting a held fill's swap went: 'pending' when the taker was not reachable and `wait` was asked. */
export type HeldStart = 'started' | 'pending' | 'ended';

/** What starting a held fill's swap needs of its order. */
type HeldTerms = Pick<Order, 'id' | 'side'> & { market: Pick<Order['market'], 'base' | 'quote'> };

async function startSwap(
  d: Ctx,
  recId: string,
  holdId: string,
  ack: { takerPeerId: string },
  order: HeldTerms,
  wait = false,
): Promise<HeldStart> {
  const fill = d.records.get(recId)?.fills.find((f) => f.holdId === holdId);
  if (!fill || !d.swaps) return 'ended';
  const base = { ticker: order.market.base, amount: fill.baseAmount };
  const quote = { ticker: order.market.quote, amount: fill.quoteAmount };
  d.crashAt?.('orders.maker.before-swap');
  await d
    .freeBacking?.()
    .catch((err: unknown) => d.log.warn('could not free the backing coins before the swap', { error: errorText(err) }));
  const [sell, buy] = order.side === 'sell' ? [base, quote] : [quote, base];
  try {
    await d.swaps.startSwap({ peerId: ack.takerPeerId, sell, buy, swapId: holdId, orderId: order.id });
    d.log.info('swap started for a held order', { orderId: order.id, swapId: holdId });
    return 'started';
  } catch (err) {
    // After a restart the taker may not be connected yet: it is asked again while it agrees.
    if (wait && err instanceof ApiError && err.code === 'PEER_UNREACHABLE') return 'pending';
    d.log.warn('could not start the swap of a held order', {
      orderId: order.id,
      swapId: holdId,
      error: errorText(err),
    });
    d.records.update(recId, (r) => {
      const f = r.fills.find((x) => x.holdId === holdId);
      if (!f) return;
      f.state = 'canceled';
      f.reason = `the swap could not start: ${errorText(err)}`;
      settle(r); // no swap will move the order on: it follows its fills now
    });
    d.release(recId, holdId);
    return 'ended';
  }
}

/**
 * Starts a held fill's swap, trying again while the taker is unreachable and its agreement lasts;
 * after that the fill ends (startSwap). A stopping node leaves it to recovery (docs/orders.md §9).
 */
async function startWhileAgreed(
  d: Ctx,
  recId: string,
  holdId: string,
  ack: { takerPeerId: string },
  order: HeldTerms,
): Promise<HeldStart> {
  for (let i = 0; ; i++) {
    if (d.stopped) return 'pending';
    const fill = d.records.get(recId)?.fills.find((f) => f.holdId === holdId);
    const wait = fill !== undefined && d.now() < startDeadline(fill.at, d.swapStartMs);
    const r = await startSwap(d, recId, holdId, ack, order, wait);
    if (r !== 'pending') return r;
    d.log.info('the taker of a held order is not reachable yet: trying again', { orderId: order.id, swapId: holdId });
    await sleep(d.startRetryMs[Math.min(i, d.startRetryMs.length - 1)]!);
  }
}

function onHeld(d: Ctx, e: Extract<BookEvent, { type: 'held' }>): void {
  const rec = ownListing(d.records, e.order);
  if (!rec) return;
  const ack = rec.acks.find((a) => a.acceptId === e.hold.acceptId);
  // A hold for an accept we never acked, or a second hold of one already held (a hostile service
  // node): it names no taker we agreed to, so it starts nothing and changes nothing.
  if (!ack) {
    d.log.warn('a hold of our order for an accept we never acked (or held already)', {
      orderId: rec.id,
      acceptId: e.hold.acceptId,
      holdId: e.holdId,
    });
    return;
  }
  clearTimeout(d.holdTimers.get(e.hold.acceptId));
  d.holdTimers.delete(e.hold.acceptId);
  d.records.update(rec.id, (r) => {
    r.remainingBase = e.remainingBase;
    r.acks = r.acks.filter((a) => a.acceptId !== e.hold.acceptId);
    r.fills.push(heldFill(e, ack, d.now()));
    const t = transitionOrder(r.state, { type: 'held', remainingBase: e.remainingBase });
    if (t.ok) r.state = t.state;
  });
  d.crashAt?.('orders.maker.after-hold');
  void startWhileAgreed(d, rec.id, e.holdId, ack, e.order);
}

export function createAccepts(deps: AcceptsDeps): Accepts {
  const d: Ctx = {
    ...deps,
    holdTimers: new Map(),
    ackLiveMs: deps.ackLiveMs ?? ackLifeOf(deps.holdTimeoutMs),
    swapStartMs: deps.swapStartMs ?? 600_000,
    startRetryMs: deps.startRetryMs ?? START_RETRY_MS,
    stopped: false,
  };
  return {
    onAccept: (req, peerId) => onAccept(d, req, peerId),
    onHeld: (e) => onHeld(d, e),
    startHeld(recId, holdId, wait) {
      const rec = d.records.get(recId);
      const fill = rec?.fills.find((f) => f.holdId === holdId);
      if (!rec || !fill) return Promise.resolve('ended');
      const terms = { id: fill.orderId, side: fill.makerSide, market: { base: rec.base, quote: rec.quote } };
      return startSwap(d, recId, holdId, { takerPeerId: fill.counterparty }, terms, wait);
    },
    resumeAcks() {
      for (const rec of d.records.all()) {
        if (rec.role !== 'maker' || rec.state !== 'accepting') continue;
        if (rec.acks.length === 0) awaitHold(d, rec.id, '', 0);
        for (const a of rec.acks) awaitHold(d, rec.id, a.acceptId, Math.max(0, a.at + d.ackLiveMs - d.now()));
      }
    },
    stop() {
      d.stopped = true;
      for (const t of d.holdTimers.values()) clearTimeout(t);
    },
  };
}
