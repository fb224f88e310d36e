// What a service node answers makers and takers: it countersigns an order after checking the
// maker's coins on chain (order.sign), and holds an order for the taker the maker acked once the
// taker's fee transaction is on chain (order.take), one take at a time, so the first that passes
// wins what is left. Its holds are what every book obeys (docs/protocol.md §4, §8).
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { smallestQuote, takerFeeProblem } from '../../src-shared/orders/minimum.ts';
import { isValidFill, makerSellsTicker, signOrderAsServiceNode } from '../../src-shared/orders/order.ts';
import { offenceFor, validateSignRequest, validateTake, type Refusal } from '../../src-shared/orders/validate.ts';
import type { Signer } from '../../src-shared/protocol/canonical.ts';
import {
  decodeOrderMessage,
  marketTopic,
  signOrderMessage,
  signedMessageId,
} from '../../src-shared/protocol/orders.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { Order } from '../../src-shared/orders/types.ts';
import { z } from 'zod';
import { createSerialQueue, type SerialQueue } from '../kernel/serial.ts';
import { sleep } from '../kernel/time.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { WalletService } from '../wallets/index.ts';
import {
  checkFeeTx,
  checkFeeTxBytes,
  checkOwnershipProof,
  feeInputsConfirmed,
  parseOutpoint,
} from '../orders/index.ts';
import type { NetworkBook } from '../orders/index.ts';
import { publishMessage, type SeqCounter } from '../orders/index.ts';
import type { ServiceNodeRepo } from './repo.ts';

export interface HoldsDeps {
  wallets: Pick<WalletService, 'rpc'>;
  p2p: Pick<P2pHost, 'publish'>;
  book: NetworkBook;
  repo: ServiceNodeRepo;
  log: Logger;
  now: () => number;
  seq: SeqCounter;
  coinOf: (ticker: string) => CoinParams;
  /** Coins it can check on chain now. */
  served: () => string[];
  /** Its registered key, or null while it is not registered. */
  signer: () => Signer | null;
  fee: { coin: CoinParams; amount: bigint; address: () => string | null };
  /** How long a take waits for the fee transaction to show up on the service node's daemon. */
  feeWaitMs: number;
}

export interface Holds {
  onSign(req: unknown, peerId: string): Promise<unknown>;
  onTake(req: unknown, peerId: string): Promise<unknown>;
}

/**
 * The hold this service node already gave for a take, when the same taker sends the same take
 * again (its answer was lost on the way, or came too late), else null. Holds are public, so the
 * accept's id, which covers the taker's peer id and the fee transaction, is enough to match.
 */
export function earlierHold(
  req: unknown,
  peerId: string,
  repo: Pick<ServiceNodeRepo, 'holdByFee'>,
): Record<string, unknown> | null {
  const take = decodeOrderMessage(req, 'order.take');
  if (!take.ok) return null;
  const accept = decodeOrderMessage(take.msg.accept, 'order.accept');
  if (!accept.ok || accept.msg.taker.peerId !== peerId) return null;
  const earlier = repo.holdByFee<Record<string, unknown>>(accept.msg.feeTxid);
  return earlier && earlier.hold.acceptId === signedMessageId(accept.raw as { type: 'order.accept' })
    ? earlier.hold
    : null;
}

/** A refusal as a reqres error: malformed requests cost the sender points in the host. */
function refusal(r: Refusal): ApiError {
  return new ApiError(offenceFor(r.reason) ? 'INVALID_PARAMS' : 'PEER_REFUSED', `refused (${r.reason}): ${r.message}`, {
    reason: r.reason,
  });
}

type TakeAccept = Extract<ReturnType<typeof validateTake>, { ok: true }>['value']['accept'];

/** The deps, the queue that lets one take at a time through, and the coins of orders signed lately. */
type Ctx = HoldsDeps & { takes: SerialQueue; signedCoins: Map<string, { orderId: string; at: number }> };

/** A signed order reaches the book a moment later: until then its coins are remembered here. */
const SIGNED_COIN_MEMORY_MS = 120_000;

/**
 * The order another outpoint of `o` already backs: one listed in our book, or one we signed in
 * the last two minutes that has not been canceled or dropped since (docs/orders.md §4).
 */
function coinInUse(d: Ctx, o: { id: string; makerUtxos: readonly string[] }): string | null {
  const now = d.now();
  for (const [u, s] of d.signedCoins) if (now - s.at > SIGNED_COIN_MEMORY_MS) d.signedCoins.delete(u);
  for (const u of o.makerUtxos) {
    const listed = d.book.backing(u);
    if (listed !== undefined && listed !== o.id) return u;
    const signed = d.signedCoins.get(u);
    if (signed && signed.orderId !== o.id && d.book.context().seen.orderStatus(signed.orderId) !== 'dead') return u;
  }
  return null;
}

const needSigner = (d: Ctx): Signer => {
  const s = d.signer();
  if (!s) throw new ApiError('PEER_REFUSED', 'the service node is not running yet');
  return s;
};

/** order.sign: the maker's order countersigned once its coins check on chain. */
async function onSign(d: Ctx, req: unknown, peerId: string): Promise<unknown> {
  const s = needSigner(d);
  const v = validateSignRequest(req, d.book.context());
  if (!v.ok) throw refusal(v);
  const o = v.value;
  if (o.maker.peerId !== peerId)
    throw new ApiError('PEER_REFUSED', "refused: an order is signed for the maker's own node only");
  const coins = d.served();
  if (!coins.includes(o.market.base) || !coins.includes(o.market.quote))
    throw new ApiError('PEER_REFUSED', `refused: this service node does not serve ${o.market.base}/${o.market.quote}`);
  const proof = decodeOrderMessage(req, 'order.sign.request');
  if (!proof.ok) throw refusal(proof);
  const smallest = smallestQuote(o.price, o.partial.minBase);
  const feeProblem = takerFeeProblem(o.market, o.side, o.partial.minBase, smallest, {
    ticker: d.fee.coin.ticker,
    amount: d.fee.amount,
  });
  if (feeProblem) throw new ApiError('PEER_REFUSED', `refused (dust): ${feeProblem}`);
  const reused = coinInUse(d, o);
  if (reused)
    throw new ApiError('PEER_REFUSED', `refused (coin-in-use): the coin ${reused} already backs another order`);
  const sells = makerSellsTicker(o);
  const needed = o.side === 'sell' ? o.baseAmount : o.quoteAmount;
  const tx = proof.msg.ownership.tx;
  const check = await checkOwnershipProof(d.wallets.rpc(sells), d.coinOf(sells), tx, o.id, o.makerUtxos, needed);
  if (!check.ok) {
    d.log.info('order refused', { orderId: o.id, maker: peerId, reason: check.message });
    throw new ApiError('PEER_REFUSED', `refused: ${check.message}`);
  }
  // Checked again after the chain check: another sign request for the same coin may have won meanwhile.
  const raced = coinInUse(d, o);
  if (raced) throw new ApiError('PEER_REFUSED', `refused (coin-in-use): the coin ${raced} already backs another order`);
  for (const u of o.makerUtxos) d.signedCoins.set(u, { orderId: o.id, at: d.now() });
  const signed = signOrderAsServiceNode(o, s, d.now());
  d.log.info('order signed', { orderId: o.id, market: `${o.market.base}/${o.market.quote}`, side: o.side });
  return { type: 'order.sign.response', orderId: o.id, serviceNode: signed.serviceNode };
}

/** The taker's fee transaction pays us for this order; it may take a moment to reach our daemon. */
async function feeOnChain(d: Ctx, txid: string, orderId: string): Promise<void> {
  const deadline = d.now() + d.feeWaitMs;
  const wallet = () => d.wallets.rpc(d.fee.coin.ticker);
  for (;;) {
    const r = await checkFeeTx(
      wallet(),
      d.fee.coin,
      txid,
      { address: d.fee.address()!, amount: d.fee.amount },
      orderId,
    );
    if (r.ok) return;
    // The taker just sent it: give it a moment to reach our daemon.
    if (r.message !== 'the fee transaction is not on the chain' || d.now() > deadline)
      throw new ApiError('PEER_REFUSED', `refused: ${r.message}`);
    await sleep(200);
  }
}

/**
 * A fee transaction the taker sent with its take, not yet broadcast: it is the accept's, pays our
 * fee for this order, cannot be replaced, spends confirmed coins, and the daemon would take it.
 */
async function feeCarried(d: Ctx, hex: string, txid: string, orderId: string): Promise<void> {
  const bytes = checkFeeTxBytes(d.fee.coin, hex, { address: d.fee.address()!, amount: d.fee.amount }, orderId);
  if (!bytes.ok) throw new ApiError('PEER_REFUSED', `refused: ${bytes.message}`);
  if (bytes.tx!.getId() !== txid)
    throw new ApiError('PEER_REFUSED', 'refused: the fee transaction is not the one the accept names');
  const node = d.wallets.rpc(d.fee.coin.ticker);
  const inputs = await feeInputsConfirmed(node, bytes.tx!);
  if (!inputs.ok) throw new ApiError('PEER_REFUSED', `refused: ${inputs.message}`);
  const verdict = await node.callAs(MempoolAccept, 'testmempoolaccept', [[hex]], { wallet: false });
  if (verdict[0]?.allowed !== true)
    throw new ApiError(
      'PEER_REFUSED',
      `refused: the fee transaction would not relay (${verdict[0]?.['reject-reason'] ?? 'refused'})`,
    );
}

/** The taker's fee goes out as the hold is given, and only then: a refused take costs the taker nothing. */
async function broadcastFee(d: Ctx, hex: string): Promise<void> {
  try {
    await d.wallets.rpc(d.fee.coin.ticker).call('sendrawtransaction', [hex], { wallet: false });
  } catch (err) {
    // Already sent (by the taker, or by an earlier try of this take): it is paid.
    if (/already in (block chain|the mempool)|txn-already-known|txn-already-in-mempool/i.test(errorText(err))) return;
    throw new ApiError('PEER_REFUSED', `refused: the fee transaction could not be sent (${errorText(err)})`);
  }
}

/** The maker's coins must still be there when a taker's fee is about to be spent on the order. */
async function makerCoinsUnspent(d: Ctx, o: Order): Promise<void> {
  const node = d.wallets.rpc(makerSellsTicker(o));
  for (const u of o.makerUtxos) {
    const { txid, vout } = parseOutpoint(u);
    const out = await node.callAs(AnyTxOut, 'gettxout', [txid, vout, true], { wallet: false });
    if (!out) throw new ApiError('PEER_REFUSED', `refused: the maker's coin ${u} is spent`);
  }
}

const AnyTxOut = z.object({}).loose().nullable();
const MempoolAccept = z
  .array(z.object({ allowed: z.boolean().optional(), 'reject-reason': z.string().optional() }).loose())
  .length(1);

/** Inside the one-at-a-time section: the hold of what is left, signed, stored, applied and published. */
async function hold(
  d: Ctx,
  req: unknown,
  peerId: string,
  s: Signer,
  accept: TakeAccept,
  acceptId: string,
  feeTx: string | null,
): Promise<unknown> {
  // The same take may have come again while this one waited for the fee: one hold for both.
  const held = earlierHold(req, peerId, d.repo);
  if (held) return held;
  const entry = d.book.find(accept.orderId);
  if (!entry) throw new ApiError('PEER_REFUSED', 'refused: the order is no longer listed');
  if (!isValidFill(entry.order.partial, entry.remainingBase, accept.baseAmount))
    throw new ApiError('PEER_REFUSED', 'refused: the order no longer has that much left');
  await makerCoinsUnspent(d, entry.order);
  if (feeTx !== null) await broadcastFee(d, feeTx);
  const remainingBase = entry.remainingBase - accept.baseAmount;
  const hold = signOrderMessage(
    {
      type: 'order.hold',
      orderId: accept.orderId,
      acceptId,
      taker: accept.taker.pubkey,
      baseAmount: accept.baseAmount,
      quoteAmount: accept.quoteAmount,
      remainingBase,
      serviceNode: s.publicKey,
      seq: d.seq.next(),
      ts: d.now(),
    },
    s,
  );
  const holdId = signedMessageId(hold as { type: 'order.hold' });
  if (!d.repo.addHold({ holdId, orderId: accept.orderId, feeTxid: accept.feeTxid, hold }))
    throw new ApiError('PEER_REFUSED', 'refused: that fee transaction already paid for another trade');
  const applied = d.book.ingest('order.hold', hold, null);
  if (!applied.ok)
    d.log.warn('our own hold does not apply to our book', {
      holdId,
      reason: applied.reason,
      message: applied.message,
    });
  const topic = marketTopic(entry.order.market.base, entry.order.market.quote);
  await publishMessage(d.p2p, topic, hold as { type: 'order.hold' }, d.log);
  d.log.info('order held', {
    orderId: accept.orderId,
    holdId,
    baseAmount: accept.baseAmount,
    remainingBase,
    taker: peerId,
  });
  return hold;
}

/** order.take: the taker the maker acked, its fee paid, gets the hold of what it takes. */
async function onTake(d: Ctx, req: unknown, peerId: string): Promise<unknown> {
  const s = needSigner(d);
  // Before the listing is checked: our own hold may have taken the order off the book.
  const again = earlierHold(req, peerId, d.repo);
  if (again) return again;
  const v = validateTake(req, { ...d.book.directContext(), listed: d.book.find, servicePubkey: s.publicKey });
  if (!v.ok) throw refusal(v);
  const { accept, acceptId } = v.value;
  if (accept.taker.peerId !== peerId) throw new ApiError('PEER_REFUSED', 'refused: the taker must send its own take');
  if (d.repo.feeUsed(accept.feeTxid))
    throw new ApiError('PEER_REFUSED', 'refused: that fee transaction already paid for another trade');
  const feeTx = decodeOrderMessage(req, 'order.take');
  const carried = feeTx.ok ? (feeTx.msg.feeTx ?? null) : null;
  if (carried !== null) await feeCarried(d, carried, accept.feeTxid, accept.orderId);
  else await feeOnChain(d, accept.feeTxid, accept.orderId);
  // One take at a time: the first that passes wins what is left of the order.
  return d.takes.run(() => hold(d, req, peerId, s, accept, acceptId, carried));
}

export function createHolds(deps: HoldsDeps): Holds {
  const d: Ctx = { ...deps, takes: createSerialQueue(), signedCoins: new Map() };
  return { onSign: (req, peerId) => onSign(d, req, peerId), onTake: (req, peerId) => onTake(d, req, peerId) };
}
