// The taker's side of one fill: check the service node's fee and the wallet's balance, prepare
// the fee payment (signed, not sent), send the accept to the maker, and on the maker's ack pay
// the fee, agree to the maker's swap in advance (engine.allow) and ask the service node for the
// hold. From the hold on, the swap engine runs the trade; the fill follows it.
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { formatAmount } from '../../src-shared/money/index.ts';
import {
  ORDER_PROTOCOLS,
  decodeOrderMessage,
  signOrderMessage,
  signedMessageId,
} from '../../src-shared/protocol/orders.ts';
import type { Signer } from '../../src-shared/protocol/canonical.ts';
import type { Order } from '../../src-shared/orders/types.ts';
import { validateAck } from '../../src-shared/orders/validate.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import { peerFailure, type P2pHost } from '../p2p/index.ts';
import type { ServiceNodeRegistry } from '../servicenode/index.ts';
import type { SwapEngine } from '../swaps/index.ts';
import type { Vault } from '../vault/index.ts';
import type { WalletService } from '../wallets/index.ts';
import { defaultMaxFee, legsOf, type Legs } from './taker-legs.ts';
import { prepareFeeTx, releaseFeeTx, type PreparedFee } from './chain.ts';
import type { NetworkBook } from './network-book.ts';
import { requestWithRetry, vaultSigner, type SeqCounter } from './net.ts';
import { advanceFill, type FillRecord, type RecordStore, type StoredTake } from './records.ts';

export interface TakerDeps {
  coins: CoinTable;
  vault: Pick<Vault, 'status' | 'networkPublicKey' | 'signNetworkDigest'>;
  wallets: Pick<WalletService, 'rpc' | 'newAddress' | 'balanceUnits'>;
  p2p: Pick<P2pHost, 'peerId' | 'request'>;
  book: Pick<NetworkBook, 'directContext' | 'ingest'>;
  registry: Pick<ServiceNodeRegistry, 'get'>;
  swaps?: Pick<SwapEngine, 'allow'>;
  records: RecordStore;
  seq: SeqCounter;
  log: Logger;
  now: () => number;
  /** Most fee this node pays per fill, by fee coin (base units); a coin not listed: defaultMaxFee. */
  maxTakerFee: (ticker: string) => bigint | null;
  /** How long the agreement to the maker's swap stays open (orders.swapStartMs). */
  allowTtlMs?: number;
  /** Test hook: a SIGKILL at a named step (docs/orders.md §9). */
  crashAt?: (point: string) => void;
}

export interface Taker {
  /** The fee the order's service node asks of a taker, or null when it is not known. */
  feeFor(order: Order): { ticker: string; amount: bigint; address: string } | null;
  /** Takes `baseAmount` of `order` for the taker record `recId`; resolves to the hold id, or null when the take failed (the fill says why). */
  takeFill(recId: string, order: Order, baseAmount: bigint): Promise<string | null>;
  /**
   * After a restart: sends the stored take of an accepting fill again. 'held' (the fill is held),
   * 'pending' (the service node could not be reached: ask again later) or 'ended' (refused: the
   * fill is canceled, saying whether the fee went out).
   */
  retake(recId: string, acceptId: string): Promise<'held' | 'pending' | 'ended'>;
  /** Ends an accepting fill whose take never left: its fee's coins are unlocked. */
  release(recId: string, acceptId: string, reason: string): Promise<void>;
  /** Ends an accepting fill the service node never answered: says whether the fee went out. */
  giveUp(recId: string, acceptId: string, why: string): Promise<void>;
}

export { defaultMaxFee, legsOf, DEFAULT_MAX_FEE_PER_MILLE } from './taker-legs.ts';

type Fee = { ticker: string; amount: bigint; address: string };

/** An accept on its way: the fill it made, and the fee payment that must be released if it fails. */
interface SentAccept {
  accept: Record<string, unknown>;
  acceptId: string;
  feeWallet: ReturnType<WalletService['rpc']>;
  prepared: PreparedFee;
  release: () => Promise<void>;
}

function feeFor(d: TakerDeps, order: Order): Fee | null {
  const sn = d.registry.get(order.serviceNode.pubkey);
  return sn?.announce
    ? { ticker: sn.announce.fee.ticker, amount: sn.announce.fee.amount, address: sn.announce.fee.address }
    : null;
}

function setFill(d: TakerDeps, recId: string, acceptId: string, change: (f: FillRecord) => void): void {
  d.records.update(recId, (r) => {
    const f = r.fills.find((x) => x.acceptId === acceptId);
    if (f) change(f);
  });
}

function fail(d: TakerDeps, recId: string, acceptId: string, reason: string): null {
  d.log.info('take failed', { recId, acceptId, reason });
  setFill(d, recId, acceptId, (f) => {
    f.state = 'canceled';
    f.reason = reason;
    delete f.take;
  });
  return null;
}

/** The fee within this node's limit and the wallet able to pay the trade and the fee, or why not. */
async function affordable(d: TakerDeps, order: Order, legs: Legs): Promise<Fee> {
  const fee = feeFor(d, order);
  if (!fee)
    throw new ApiError('PEER_UNREACHABLE', 'The service node of that order is not online, so it cannot be taken now.');
  const text = (amount: bigint, t: string) => formatAmount(amount, d.coins.decimals(t));
  const max = d.maxTakerFee(fee.ticker) ?? defaultMaxFee(legs, fee.ticker);
  if (max === null)
    throw new ApiError(
      'CONFLICT',
      `The service node asks its fee in ${fee.ticker}, which this trade does not move: set orders.maxTakerFee.${fee.ticker} to pay it.`,
    );
  if (fee.amount > max) {
    throw new ApiError(
      'CONFLICT',
      `The service node asks a fee of ${text(fee.amount, fee.ticker)} ${fee.ticker}, more than the ${text(max, fee.ticker)} this node is set to pay.`,
    );
  }
  const needed = legs.giveAmount + (fee.ticker === legs.gives ? fee.amount : 0n);
  const balance = await d.wallets.balanceUnits(legs.gives);
  if (balance.spendable < needed) {
    throw new ApiError(
      'INSUFFICIENT_FUNDS',
      `Taking this needs ${text(needed, legs.gives)} ${legs.gives} (with the fee); the wallet has ${text(balance.spendable, legs.gives)} free.`,
    );
  }
  return fee;
}

/** Prepares the fee payment, signs the accept and records the fill it starts (state accepting). */
async function prepareAccept(
  d: TakerDeps,
  signer: Signer,
  recId: string,
  order: Order,
  baseAmount: bigint,
  legs: Legs,
  fee: Fee,
): Promise<SentAccept> {
  const payout = (await d.wallets.newAddress(legs.gets, 'hashlock take payout')).address;
  const refund = (await d.wallets.newAddress(legs.gives, 'hashlock take refund')).address;
  const feeWallet = d.wallets.rpc(fee.ticker);
  const prepared = await prepareFeeTx(feeWallet, d.coins.get(fee.ticker), fee.address, fee.amount, order.id);
  const accept = signOrderMessage(
    {
      type: 'order.accept',
      orderId: order.id,
      taker: { peerId: d.p2p.peerId, pubkey: signer.publicKey, addresses: { payout, refund } },
      baseAmount,
      quoteAmount: legs.quoteAmount,
      feeTxid: prepared.txid,
      seq: d.seq.next(),
      ts: d.now(),
    },
    signer,
  );
  const acceptId = signedMessageId(accept as { type: 'order.accept' });
  d.records.update(recId, (r) => {
    r.fills.push({
      orderId: order.id,
      acceptId,
      holdId: null,
      counterparty: order.maker.peerId,
      baseAmount,
      quoteAmount: legs.quoteAmount,
      feeTxid: prepared.txid,
      state: 'accepting',
      makerPubkey: order.maker.pubkey,
      serviceNode: order.serviceNode.pubkey,
      price: order.price,
      makerSide: order.side,
      at: d.now(),
      take: { accept, feeTicker: fee.ticker, feeTx: prepared.hex, feeInputs: prepared.inputs },
    });
  });
  const release = () =>
    releaseFeeTx(feeWallet, prepared).catch((err: unknown) =>
      d.log.warn('could not unlock the fee coins', { error: String(err) }),
    );
  return { accept, acceptId, prepared, release, feeWallet };
}

/** The maker's ack of our accept, checked, or the reason the take fails (the fee coins released: nothing was paid). */
async function askMaker(d: TakerDeps, order: Order, sent: SentAccept): Promise<{ ack: unknown } | { failed: string }> {
  let ackWire: unknown;
  try {
    ackWire = await requestWithRetry(d.p2p, order.maker.peerId, ORDER_PROTOCOLS.accept, sent.accept, {
      timeoutMs: 15_000,
      overRelay: true,
    });
  } catch (err) {
    await sent.release();
    return { failed: `the maker did not take the accept: ${errorText(err)}` };
  }
  const decodedAccept = decodeOrderMessage(sent.accept, 'order.accept');
  if (!decodedAccept.ok) throw new ApiError('INTERNAL', 'our own accept does not decode');
  const context = d.book.directContext();
  const ack = validateAck(ackWire, { accept: decodedAccept.msg, acceptId: sent.acceptId }, order.maker.pubkey, context);
  if (!ack.ok) {
    await sent.release();
    return { failed: `the maker's ack does not check (${ack.reason}): ${ack.message}` };
  }
  return { ack: ackWire };
}

/** A take to send: the accept the maker acked, its ack and the signed fee, to the order's service node. */
interface TakeSpec {
  orderId: string;
  serviceNode: string;
  acceptId: string;
  accept: Record<string, unknown>;
  ack: unknown;
  feeTx: string;
}

type HoldAnswer = { holdId: string } | { failed: string; transient: boolean };

const RETRYABLE = new Set(['unreachable', 'reset', 'timeout']);

/** Asks the order's service node for the hold and checks it is ours; the hold's id, or why not. */
async function askHold(d: TakerDeps, t: TakeSpec): Promise<HoldAnswer> {
  let holdWire: unknown;
  const sn = d.registry.get(t.serviceNode);
  if (!sn) return { failed: 'the service node of the order is not online', transient: true };
  try {
    // The signed fee rides in the take: the service node broadcasts it as it gives the hold.
    const take = { type: 'order.take', accept: t.accept, ack: t.ack, feeTx: t.feeTx };
    holdWire = await requestWithRetry(d.p2p, sn.registration.peerId, ORDER_PROTOCOLS.take, take, {
      timeoutMs: 30_000,
      overRelay: true,
    });
  } catch (err) {
    const transient = RETRYABLE.has(peerFailure(err)?.reason ?? '');
    return { failed: `the service node did not hold the order: ${errorText(err)}`, transient };
  }
  const hold = decodeOrderMessage(holdWire, 'order.hold');
  if (
    !hold.ok ||
    hold.msg.acceptId !== t.acceptId ||
    hold.msg.orderId !== t.orderId ||
    hold.msg.serviceNode !== t.serviceNode
  ) {
    return { failed: 'the service node answered with something that is not our hold', transient: false };
  }
  // Gossip may have brought the same hold already; either way the book now obeys it.
  const applied = d.book.ingest('order.hold', holdWire, null);
  if (!applied.ok && applied.reason !== 'replayed' && applied.reason !== 'unknown-order')
    return { failed: `the hold does not check (${applied.reason}): ${applied.message}`, transient: false };
  return { holdId: signedMessageId(holdWire as { type: 'order.hold' }) };
}

/**
 * After a take that got no hold: whether the fee went out. The service node sends it only with a
 * hold, so normally it did not, and its coins are given back; if it did (the hold may still come
 * by gossip), the coins stay spent and the user is told.
 */
async function feeOutcome(d: TakerDeps, feeWallet: SentAccept['feeWallet'], prepared: PreparedFee): Promise<string> {
  const known = await feeWallet.call('getrawtransaction', [prepared.txid], { wallet: false, retry: false }).then(
    () => true,
    () => false,
  );
  if (known) return `the fee transaction ${prepared.txid} was sent`;
  await releaseFeeTx(feeWallet, prepared).catch((err: unknown) =>
    d.log.warn('could not unlock the fee coins', { error: String(err) }),
  );
  return 'no fee was paid';
}

async function takeFill(d: TakerDeps, recId: string, order: Order, baseAmount: bigint): Promise<string | null> {
  const swaps = d.swaps;
  if (!swaps) throw new ApiError('METHOD_NOT_FOUND', 'This node runs no swap engine, so it cannot take orders.');
  const signer = vaultSigner(d.vault, 'order');
  const legs = legsOf(order, baseAmount);
  const fee = await affordable(d, order, legs);
  const sent = await prepareAccept(d, signer, recId, order, baseAmount, legs, fee);
  d.crashAt?.('orders.taker.after-accepting');
  const answered = await askMaker(d, order, sent);
  if ('failed' in answered) return fail(d, recId, sent.acceptId, answered.failed);
  // Agree before the hold: the maker starts its swap as soon as it sees the hold.
  swaps.allow({
    peerId: order.maker.peerId,
    sell: { ticker: legs.gives, amount: legs.giveAmount },
    buy: { ticker: legs.gets, amount: legs.getAmount },
    ttlMs: d.allowTtlMs ?? 10 * 60_000,
  });
  // From here a restart sends the same take again (docs/orders.md §9).
  setFill(d, recId, sent.acceptId, (f) => {
    if (f.take) f.take.ack = answered.ack;
  });
  const held = await askHold(d, {
    orderId: order.id,
    serviceNode: order.serviceNode.pubkey,
    acceptId: sent.acceptId,
    accept: sent.accept,
    ack: answered.ack,
    feeTx: sent.prepared.hex,
  });
  if ('failed' in held)
    return fail(d, recId, sent.acceptId, `${held.failed}; ${await feeOutcome(d, sent.feeWallet, sent.prepared)}`);
  d.crashAt?.('orders.taker.after-fee');
  storeHold(d, recId, sent.acceptId, held.holdId);
  d.crashAt?.('orders.taker.after-hold');
  d.log.info('order taken', { orderId: order.id, holdId: held.holdId, baseAmount });
  return held.holdId;
}

function storeHold(d: TakerDeps, recId: string, acceptId: string, holdId: string): void {
  setFill(d, recId, acceptId, (f) => {
    f.holdId = holdId;
    f.state = advanceFill(f.state, 'hold').state;
    delete f.take;
  });
}

/** A stored fill and its take, when it is still accepting. */
function storedTake(d: TakerDeps, recId: string, acceptId: string): { f: FillRecord; take: StoredTake } | null {
  const f = d.records.get(recId)?.fills.find((x) => x.acceptId === acceptId);
  return f?.state === 'accepting' && f.take ? { f, take: f.take } : null;
}

const preparedOf = (f: FillRecord, take: StoredTake): PreparedFee => ({
  txid: f.feeTxid,
  hex: take.feeTx,
  inputs: [...take.feeInputs],
});

async function retake(d: TakerDeps, recId: string, acceptId: string): Promise<'held' | 'pending' | 'ended'> {
  const s = storedTake(d, recId, acceptId);
  if (!s || s.take.ack === undefined) return 'ended';
  const { f, take } = s;
  const spec = { orderId: f.orderId, serviceNode: f.serviceNode, acceptId, accept: take.accept, ack: take.ack };
  const held = await askHold(d, { ...spec, feeTx: take.feeTx });
  if ('failed' in held) {
    if (held.transient) return 'pending';
    await giveUp(d, recId, acceptId, held.failed);
    return 'ended';
  }
  storeHold(d, recId, acceptId, held.holdId);
  d.log.info('order taken after a restart', { orderId: f.orderId, holdId: held.holdId });
  return 'held';
}

async function giveUp(d: TakerDeps, recId: string, acceptId: string, why: string): Promise<void> {
  const s = storedTake(d, recId, acceptId);
  if (!s) return;
  const outcome = await feeOutcome(d, d.wallets.rpc(s.take.feeTicker), preparedOf(s.f, s.take));
  fail(d, recId, acceptId, `${why}; ${outcome === 'no fee was paid' ? outcome : `fee paid, no swap: ${outcome}`}`);
}

async function release(d: TakerDeps, recId: string, acceptId: string, reason: string): Promise<void> {
  const s = storedTake(d, recId, acceptId);
  if (!s) return;
  await releaseFeeTx(d.wallets.rpc(s.take.feeTicker), preparedOf(s.f, s.take)).catch((err: unknown) =>
    d.log.warn('could not unlock the fee coins', { error: String(err) }),
  );
  fail(d, recId, acceptId, reason);
}

export function createTaker(d: TakerDeps): Taker {
  return {
    feeFor: (order) => feeFor(d, order),
    takeFill: (recId, order, baseAmount) => takeFill(d, recId, order, baseAmount),
    retake: (recId, acceptId) => retake(d, recId, acceptId),
    release: (recId, acceptId, reason) => release(d, recId, acceptId, reason),
    giveUp: (recId, acceptId, why) => giveUp(d, recId, acceptId, why),
  };
}
