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
import { fillQuote, makerReceivesTicker, makerSellsTicker } from '../../src-shared/orders/order.ts';
import type { Order } from '../../src-shared/orders/types.ts';
import { validateAck } from '../../src-shared/orders/validate.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { ServiceNodeRegistry } from '../servicenode/index.ts';
import type { SwapEngine } from '../swaps/index.ts';
import type { Vault } from '../vault/index.ts';
import type { WalletService } from '../wallets/index.ts';
import { prepareFeeTx, releaseFeeTx, type PreparedFee } from './chain.ts';
import type { NetworkBook } from './network-book.ts';
import { requestWithRetry, vaultSigner, type SeqCounter } from './net.ts';
import { advanceFill, type FillRecord, type RecordStore } from './records.ts';

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
  /** How long the agreement to the maker's swap stays open. */
  allowTtlMs?: number;
}

export interface Taker {
  /** The fee the order's service node asks of a taker, or null when it is not known. */
  feeFor(order: Order): { ticker: string; amount: bigint; address: string } | null;
  /** Takes `baseAmount` of `order` for the taker record `recId`; resolves to the hold id, or null when the take failed (the fill says why). */
  takeFill(recId: string, order: Order, baseAmount: bigint): Promise<string | null>;
}

type Fee = { ticker: string; amount: bigint; address: string };

/** What the taker gives and gets for `baseAmount` of an order. */
interface Legs {
  quoteAmount: bigint;
  gives: string;
  giveAmount: bigint;
  gets: string;
  getAmount: bigint;
}

/** An accept on its way: the fill it made, and the fee payment that must be released if it fails. */
interface SentAccept {
  accept: Record<string, unknown>;
  acceptId: string;
  feeWallet: ReturnType<WalletService['rpc']>;
  prepared: PreparedFee;
  release: () => Promise<void>;
}

export function legsOf(order: Order, baseAmount: bigint): Legs {
  const quoteAmount = fillQuote(order.price, baseAmount, order.side);
  return {
    quoteAmount,
    gives: makerReceivesTicker(order),
    giveAmount: order.side === 'sell' ? quoteAmount : baseAmount,
    gets: makerSellsTicker(order),
    getAmount: order.side === 'sell' ? baseAmount : quoteAmount,
  };
}

/** Share of a fill a taker fee may take when no cap is configured for its coin: 1 %. */
export const DEFAULT_MAX_FEE_PER_MILLE = 10n;

/**
 * The cap on a taker fee in `ticker` when none is configured (docs/orders.md §7): 1 % of what the
 * fill moves in that coin; null when the fill does not move that coin (then only a configured cap
 * lets the fee be paid), so a bot or a market order never pays whatever a service node asks.
 */
export function defaultMaxFee(
  legs: Pick<Legs, 'gives' | 'giveAmount' | 'gets' | 'getAmount'>,
  ticker: string,
): bigint | null {
  const moved = ticker === legs.gives ? legs.giveAmount : ticker === legs.gets ? legs.getAmount : null;
  return moved === null ? null : (moved * DEFAULT_MAX_FEE_PER_MILLE) / 1000n;
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

/** Asks the order's service node for the hold and checks it is ours; the hold's wire form, or why not. */
async function askHold(
  d: TakerDeps,
  order: Order,
  sent: SentAccept,
  ackWire: unknown,
): Promise<{ holdId: string } | { failed: string }> {
  let holdWire: unknown;
  const sn = d.registry.get(order.serviceNode.pubkey);
  try {
    if (!sn) throw new Error('the service node went away');
    // The signed fee rides in the take: the service node broadcasts it as it gives the hold.
    const take = { type: 'order.take', accept: sent.accept, ack: ackWire, feeTx: sent.prepared.hex };
    holdWire = await requestWithRetry(d.p2p, sn.registration.peerId, ORDER_PROTOCOLS.take, take, {
      timeoutMs: 30_000,
      overRelay: true,
    });
  } catch (err) {
    return { failed: `the service node did not hold the order: ${errorText(err)}` };
  }
  const hold = decodeOrderMessage(holdWire, 'order.hold');
  if (
    !hold.ok ||
    hold.msg.acceptId !== sent.acceptId ||
    hold.msg.orderId !== order.id ||
    hold.msg.serviceNode !== order.serviceNode.pubkey
  ) {
    return { failed: 'the service node answered with something that is not our hold' };
  }
  // Gossip may have brought the same hold already; either way the book now obeys it.
  const applied = d.book.ingest('order.hold', holdWire, null);
  if (!applied.ok && applied.reason !== 'replayed' && applied.reason !== 'unknown-order')
    return { failed: `the hold does not check (${applied.reason}): ${applied.message}` };
  return { holdId: signedMessageId(holdWire as { type: 'order.hold' }) };
}

/**
 * After a take that got no hold: whether the fee went out. The service node sends it only with a
 * hold, so normally it did not, and its coins are given back; if it did (the hold may still come
 * by gossip), the coins stay spent and the user is told.
 */
async function feeOutcome(d: TakerDeps, sent: SentAccept): Promise<string> {
  const known = await sent.feeWallet
    .call('getrawtransaction', [sent.prepared.txid], { wallet: false, retry: false })
    .then(
      () => true,
      () => false,
    );
  if (known) return `the fee transaction ${sent.prepared.txid} was sent`;
  await sent.release();
  return 'no fee was paid';
}

async function takeFill(d: TakerDeps, recId: string, order: Order, baseAmount: bigint): Promise<string | null> {
  const swaps = d.swaps;
  if (!swaps) throw new ApiError('METHOD_NOT_FOUND', 'This node runs no swap engine, so it cannot take orders.');
  const signer = vaultSigner(d.vault, 'order');
  const legs = legsOf(order, baseAmount);
  const fee = await affordable(d, order, legs);
  const sent = await prepareAccept(d, signer, recId, order, baseAmount, legs, fee);
  const answered = await askMaker(d, order, sent);
  if ('failed' in answered) return fail(d, recId, sent.acceptId, answered.failed);
  // Agree before the hold: the maker starts its swap as soon as it sees the hold.
  swaps.allow({
    peerId: order.maker.peerId,
    sell: { ticker: legs.gives, amount: legs.giveAmount },
    buy: { ticker: legs.gets, amount: legs.getAmount },
    ttlMs: d.allowTtlMs ?? 10 * 60_000,
  });
  const held = await askHold(d, order, sent, answered.ack);
  if ('failed' in held) return fail(d, recId, sent.acceptId, `${held.failed}; ${await feeOutcome(d, sent)}`);
  setFill(d, recId, sent.acceptId, (f) => {
    f.holdId = held.holdId;
    f.state = advanceFill(f.state, 'hold').state;
  });
  d.log.info('order taken', { orderId: order.id, holdId: held.holdId, baseAmount });
  return held.holdId;
}

export function createTaker(d: TakerDeps): Taker {
  return {
    feeFor: (order) => feeFor(d, order),
    takeFill: (recId, order, baseAmount) => takeFill(d, recId, order, baseAmount),
  };
}
