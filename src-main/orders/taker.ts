// The taker's side of one fill: prepare the service node's fee payment (signed, not sent), send
// the accept to the maker, and on the maker's ack pay the fee, agree to the maker's swap in
// advance (engine.allow) and ask the service node for the hold. From the hold on, the swap engine
// runs the trade; the fill follows it.
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { formatAmount } from '../../src-shared/money/index.ts';
import {
  ORDER_PROTOCOLS,
  decodeOrderMessage,
  signOrderMessage,
  signedMessageId,
} from '../../src-shared/protocol/orders.ts';
import { fillQuote, makerReceivesTicker, makerSellsTicker } from '../../src-shared/orders/order.ts';
import type { Order } from '../../src-shared/orders/types.ts';
import { validateAck } from '../../src-shared/orders/validate.ts';
import type { Logger } from '../kernel/log.ts';
import type { WalletService } from '../wallets/wallet-service.ts';
import type { P2pHost } from '../p2p/host.ts';
import type { SwapEngine } from '../swaps/engine.ts';
import type { Vault } from '../vault/index.ts';
import type { ServiceNodeRegistry } from '../servicenode/registry.ts';
import { prepareFeeTx, releaseFeeTx, sendFeeTx, type PreparedFee } from './chain.ts';
import type { NetworkBook } from './network-book.ts';
import { requestWithRetry, vaultSigner, type SeqCounter } from './net.ts';
import { advanceFill, type FillRecord, type RecordStore } from './records.ts';

export interface TakerDeps {
  coins: CoinTable;
  vault: Pick<Vault, 'status' | 'networkPublicKey' | 'signNetworkDigest'>;
  wallets: Pick<WalletService, 'rpc' | 'newAddress' | 'balanceUnits'>;
  p2p: Pick<P2pHost, 'peerId' | 'request'>;
  book: NetworkBook;
  registry: ServiceNodeRegistry;
  swaps?: Pick<SwapEngine, 'allow'>;
  store: RecordStore;
  seq: SeqCounter;
  log: Logger;
  now: () => number;
  /** Most fee this node pays per fill, by fee coin (base units); a coin not listed has no limit. */
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

export function createTaker(d: TakerDeps): Taker {
  const coinOf = (t: string) => d.coins.get(t);

  function feeFor(order: Order) {
    const sn = d.registry.get(order.serviceNode.pubkey);
    return sn?.announce
      ? { ticker: sn.announce.fee.ticker, amount: sn.announce.fee.amount, address: sn.announce.fee.address }
      : null;
  }

  function setFill(recId: string, acceptId: string, change: (f: FillRecord) => void): void {
    d.store.update(recId, (r) => {
      const f = r.fills.find((x) => x.acceptId === acceptId);
      if (f) change(f);
    });
  }

  function fail(recId: string, acceptId: string, reason: string): null {
    d.log.info('take failed', { recId, acceptId, reason });
    setFill(recId, acceptId, (f) => {
      f.state = 'canceled';
      f.reason = reason;
    });
    return null;
  }

  async function takeFill(recId: string, order: Order, baseAmount: bigint): Promise<string | null> {
    if (!d.swaps) throw new ApiError('METHOD_NOT_FOUND', 'This node runs no swap engine, so it cannot take orders.');
    const signer = vaultSigner(d.vault, 'order');
    const fee = feeFor(order);
    if (!fee)
      throw new ApiError(
        'PEER_UNREACHABLE',
        'The service node of that order is not online, so it cannot be taken now.',
      );
    const max = d.maxTakerFee(fee.ticker);
    if (max !== null && fee.amount > max) {
      throw new ApiError(
        'CONFLICT',
        `The service node asks a fee of ${formatAmount(fee.amount, coinOf(fee.ticker).decimals)} ${fee.ticker}, more than the ${formatAmount(max, coinOf(fee.ticker).decimals)} this node is set to pay.`,
      );
    }
    const quoteAmount = fillQuote(order.price, baseAmount, order.side);
    const gets = makerSellsTicker(order);
    const gives = makerReceivesTicker(order);
    const giveAmount = order.side === 'sell' ? quoteAmount : baseAmount;
    const getAmount = order.side === 'sell' ? baseAmount : quoteAmount;
    const needed = giveAmount + (fee.ticker === gives ? fee.amount : 0n);
    const balance = await d.wallets.balanceUnits(gives);
    if (balance.spendable < needed) {
      throw new ApiError(
        'INSUFFICIENT_FUNDS',
        `Taking this needs ${formatAmount(needed, coinOf(gives).decimals)} ${gives} (with the fee); the wallet has ${formatAmount(balance.spendable, coinOf(gives).decimals)} free.`,
      );
    }
    const payout = (await d.wallets.newAddress(gets, 'hashlock take payout')).address;
    const refund = (await d.wallets.newAddress(gives, 'hashlock take refund')).address;
    const feeWallet = d.wallets.rpc(fee.ticker);
    const prepared: PreparedFee = await prepareFeeTx(feeWallet, coinOf(fee.ticker), fee.address, fee.amount, order.id);
    const accept = signOrderMessage(
      {
        type: 'order.accept',
        orderId: order.id,
        taker: { peerId: d.p2p.peerId, pubkey: signer.publicKey, addresses: { payout, refund } },
        baseAmount,
        quoteAmount,
        feeTxid: prepared.txid,
        seq: d.seq.next(),
        ts: d.now(),
      },
      signer,
    );
    const acceptId = signedMessageId(accept as { type: 'order.accept' });
    d.store.update(recId, (r) => {
      r.fills.push({
        orderId: order.id,
        acceptId,
        holdId: null,
        counterparty: order.maker.peerId,
        baseAmount,
        quoteAmount,
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

    let ackWire: unknown;
    try {
      ackWire = await requestWithRetry(d.p2p, order.maker.peerId, ORDER_PROTOCOLS.accept, accept, {
        timeoutMs: 15_000,
      });
    } catch (err) {
      await release();
      return fail(recId, acceptId, `the maker did not take the accept: ${(err as Error).message}`);
    }
    const decodedAccept = decodeOrderMessage(accept, 'order.accept');
    if (!decodedAccept.ok) throw new ApiError('INTERNAL', 'our own accept does not decode');
    const ack = validateAck(
      ackWire,
      { accept: decodedAccept.msg, acceptId },
      order.maker.pubkey,
      d.book.directContext(),
    );
    if (!ack.ok) {
      await release();
      return fail(recId, acceptId, `the maker's ack does not check (${ack.reason}): ${ack.message}`);
    }
    try {
      await sendFeeTx(feeWallet, prepared);
    } catch (err) {
      await release();
      return fail(recId, acceptId, `the fee could not be paid: ${(err as Error).message}`);
    }
    // Agree before the hold: the maker starts its swap as soon as it sees the hold.
    d.swaps.allow({
      peerId: order.maker.peerId,
      sell: { ticker: gives, amount: giveAmount },
      buy: { ticker: gets, amount: getAmount },
      ttlMs: d.allowTtlMs ?? 10 * 60_000,
    });
    let holdWire: unknown;
    const sn = d.registry.get(order.serviceNode.pubkey);
    try {
      if (!sn) throw new Error('the service node went away');
      holdWire = await requestWithRetry(
        d.p2p,
        sn.registration.peerId,
        ORDER_PROTOCOLS.take,
        { type: 'order.take', accept, ack: ackWire },
        { timeoutMs: 30_000 },
      );
    } catch (err) {
      return fail(recId, acceptId, `the service node did not hold the order: ${(err as Error).message}`);
    }
    const hold = decodeOrderMessage(holdWire, 'order.hold');
    if (
      !hold.ok ||
      hold.msg.acceptId !== acceptId ||
      hold.msg.orderId !== order.id ||
      hold.msg.serviceNode !== order.serviceNode.pubkey
    ) {
      return fail(recId, acceptId, 'the service node answered with something that is not our hold');
    }
    // Gossip may have brought the same hold already; either way the book now obeys it.
    const applied = d.book.ingest('order.hold', holdWire, null);
    if (!applied.ok && applied.reason !== 'replayed' && applied.reason !== 'unknown-order') {
      return fail(recId, acceptId, `the hold does not check (${applied.reason}): ${applied.message}`);
    }
    const holdId = signedMessageId(holdWire as { type: 'order.hold' });
    setFill(recId, acceptId, (f) => {
      f.holdId = holdId;
      f.state = advanceFill(f.state, 'hold').state;
    });
    d.log.info('order taken', { orderId: order.id, holdId, baseAmount });
    return holdId;
  }

  return { feeFor, takeFill };
}
