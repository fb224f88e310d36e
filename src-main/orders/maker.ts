// The maker's side of the order network: post a limit order (pick coins, prove them to a service
// node, get its signature, announce), keep it alive, take the first valid accept, start the swap
// when the service node's hold arrives, cancel, and repost what a failed take gave back.
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { formatAmount, parseAmount } from '../../src-shared/money/index.ts';
import { wireForm } from '../../src-shared/protocol/canonical.ts';
import { ORDER_PROTOCOLS, marketTopic, signOrderMessage } from '../../src-shared/protocol/orders.ts';
import {
  createOrder,
  fillQuote,
  makerReceivesTicker,
  makerSellsTicker,
  marketKey,
  nonceFromBytes,
  OrderError,
} from '../../src-shared/orders/order.ts';
import { transitionOrder } from '../../src-shared/orders/state.ts';
import type { Order, OrderTerms, Side } from '../../src-shared/orders/types.ts';
import { offenceFor, validateAccept, validateSignResponse, type Refusal } from '../../src-shared/orders/validate.ts';
import type { Logger } from '../kernel/log.ts';
import type { WalletService } from '../wallets/wallet-service.ts';
import type { P2pHost } from '../p2p/host.ts';
import type { SwapEngine } from '../swaps/engine.ts';
import type { Vault } from '../vault/index.ts';
import { buildOwnershipProof } from './chain.ts';
import type { BookEvent, NetworkBook } from './network-book.ts';
import { publishMessage, requestWithRetry, vaultSigner, type SeqCounter } from './net.ts';
import { LISTING_ALIVE, type OrderRecord, type RecordStore } from './records.ts';
import type { ServiceNodeRegistry } from '../servicenode/registry.ts';

export interface MakerDeps {
  coins: CoinTable;
  vault: Pick<Vault, 'status' | 'networkPublicKey' | 'signNetworkDigest'>;
  wallets: Pick<WalletService, 'rpc' | 'newAddress' | 'utxos' | 'feeEstimate' | 'balanceUnits'>;
  p2p: Pick<P2pHost, 'peerId' | 'publish' | 'handleRequest' | 'request'>;
  book: NetworkBook;
  registry: ServiceNodeRegistry;
  swaps?: Pick<SwapEngine, 'startSwap'>;
  store: RecordStore;
  seq: SeqCounter;
  log: Logger;
  now: () => number;
  keepaliveMs: number;
  orderLifetimeMs: number;
  holdTimeoutMs: number;
  /** Coins reserved by this node's other open orders (so one coin never backs two orders). */
  reservedOutpoints: () => ReadonlySet<string>;
}

export interface LimitSpec {
  base: string;
  quote: string;
  side: Side;
  baseAmount: bigint;
  quoteAmount: bigint;
  partial: { allowed: boolean; minBase: bigint };
  repostOf?: string | null;
  parentStop?: string | null;
}

export interface Maker {
  start(): Promise<void>;
  stop(): void;
  place(spec: LimitSpec): Promise<OrderRecord>;
  cancel(id: string): Promise<OrderRecord>;
  /** Announces this node's live orders again (after a restart, or when their service node came back). */
  reannounce(): void;
  /** A fill of one of our orders failed before coins were locked: offer its amount again. */
  release(recId: string, holdId: string): void;
}

function refusal(r: Refusal): ApiError {
  return new ApiError(offenceFor(r.reason) ? 'INVALID_PARAMS' : 'PEER_REFUSED', `refused (${r.reason}): ${r.message}`, {
    reason: r.reason,
  });
}

export function createMaker(d: MakerDeps): Maker {
  const unsubs: Array<() => void> = [];
  const holdTimers = new Map<string, NodeJS.Timeout>();
  let timer: NodeJS.Timeout | undefined;

  const coinOf = (t: string) => d.coins.get(t);
  const mine = (order: Order): OrderRecord | undefined => {
    const rec = d.store.get(order.id);
    return rec && rec.role === 'maker' && rec.kind !== 'stop' ? rec : undefined;
  };

  /** Wallet coins for `amount`, largest first, none already backing another of our orders. */
  async function pickCoins(
    ticker: string,
    amount: bigint,
  ): Promise<Array<{ txid: string; vout: number; amount: bigint }>> {
    const coin = coinOf(ticker);
    const reserved = d.reservedOutpoints();
    const utxos = (await d.wallets.utxos(ticker))
      .map((u) => ({ txid: u.txid, vout: u.vout, amount: parseAmount(u.amount, coin.decimals) }))
      .filter((u) => !reserved.has(`${u.txid}:${u.vout}`))
      .sort((a, b) => (a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1));
    const picked: Array<{ txid: string; vout: number; amount: bigint }> = [];
    let total = 0n;
    for (const u of utxos) {
      if (total >= amount || picked.length >= 50) break;
      picked.push({ txid: u.txid, vout: u.vout, amount: u.amount });
      total += u.amount;
    }
    if (total < amount) {
      throw new ApiError(
        'INSUFFICIENT_FUNDS',
        `The ${ticker} wallet has ${formatAmount(total, coin.decimals)} ${ticker} in coins not already backing an order; the order needs ${formatAmount(amount, coin.decimals)}.`,
      );
    }
    return picked;
  }

  async function place(spec: LimitSpec): Promise<OrderRecord> {
    if (!d.swaps) throw new ApiError('METHOD_NOT_FOUND', 'This node runs no swap engine, so it cannot make orders.');
    const signer = vaultSigner(d.vault, 'order');
    const market = { base: spec.base, quote: spec.quote };
    const terms0 = { market, side: spec.side };
    const sells = makerSellsTicker(terms0);
    const receives = makerReceivesTicker(terms0);
    const sn = d.registry.serving(spec.base, spec.quote)[0];
    if (!sn)
      throw new ApiError(
        'PEER_UNREACHABLE',
        `No service node that serves ${spec.base}/${spec.quote} is online, so the order cannot be signed now.`,
      );
    const sellAmount = spec.side === 'sell' ? spec.baseAmount : spec.quoteAmount;
    const coins = await pickCoins(sells, sellAmount);
    const refund = (await d.wallets.newAddress(sells, 'hashlock order refund')).address;
    const payout = (await d.wallets.newAddress(receives, 'hashlock order payout')).address;
    const now = d.now();
    const terms: OrderTerms = {
      market,
      side: spec.side,
      baseAmount: spec.baseAmount,
      quoteAmount: spec.quoteAmount,
      partial: spec.partial,
      maker: { peerId: d.p2p.peerId, pubkey: signer.publicKey, addresses: { payout, refund } },
      makerUtxos: coins.map((c) => `${c.txid}:${c.vout}`),
      createdAt: now,
      expiresAt: now + d.orderLifetimeMs,
      nonce: nonceFromBytes(randomBytes(16)),
    };
    let made;
    try {
      made = createOrder(terms, signer);
    } catch (err) {
      if (err instanceof OrderError)
        throw new ApiError('INVALID_PARAMS', `The order breaks a rule (${err.reason}): ${err.message}`);
      throw err;
    }
    const feeRate = BigInt((await d.wallets.feeEstimate(sells, 6)).satPerVb);
    const tx = await buildOwnershipProof(d.wallets.rpc(sells), coinOf(sells), coins, made.id, refund, feeRate);
    const answer = await requestWithRetry(
      d.p2p,
      sn.registration.peerId,
      ORDER_PROTOCOLS.sign,
      { type: 'order.sign.request', order: wireForm(made), ownership: { tx } },
      { timeoutMs: 20_000 },
    );
    const signed = validateSignResponse(answer, made, sn.registration.pubkey, {});
    if (!signed.ok)
      throw new ApiError(
        'PEER_REFUSED',
        `The service node's answer does not check (${signed.reason}): ${signed.message}`,
      );
    const order = signed.value;
    const announce = { type: 'order.announce' as const, order: wireForm(order) as Record<string, unknown> };
    const rec: OrderRecord = {
      id: order.id,
      kind: 'limit',
      role: 'maker',
      state: 'new',
      base: spec.base,
      quote: spec.quote,
      side: spec.side,
      baseAmount: spec.baseAmount,
      quoteAmount: spec.quoteAmount,
      price: order.price,
      partial: spec.partial,
      remainingBase: spec.baseAmount,
      order: announce.order,
      serviceNode: sn.registration.pubkey,
      expiresAt: order.expiresAt,
      fills: [],
      acks: [],
      stop: null,
      parentStop: spec.parentStop ?? null,
      repostOf: spec.repostOf ?? null,
      createdAt: now,
      updatedAt: now,
    };
    d.store.put(rec);
    const listed = d.book.ingest('order.announce', announce, null);
    if (!listed.ok) {
      d.store.update(rec.id, (r) => {
        r.state = 'invalid';
        r.reason = `the signed order does not check here (${listed.reason}): ${listed.message}`;
      });
      throw new ApiError('INTERNAL', `The signed order does not check on this node: ${listed.message}`);
    }
    await publishMessage(d.p2p, marketTopic(spec.base, spec.quote), announce, d.log);
    const opened = d.store.update(rec.id, (r) => {
      const t = transitionOrder(r.state, { type: 'service-node-signed' });
      if (t.ok) r.state = t.state;
    })!;
    d.log.info('order posted', {
      orderId: order.id,
      market: marketKey(market),
      side: spec.side,
      baseAmount: spec.baseAmount,
      serviceNode: sn.registration.pubkey,
    });
    return opened;
  }

  async function cancel(id: string): Promise<OrderRecord> {
    const rec = d.store.get(id);
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
    return d.store.update(id, (r) => {
      const t = transitionOrder(r.state, { type: 'canceled' });
      if (t.ok) r.state = t.state;
      r.acks = [];
      r.reason = 'canceled by the user';
    })!;
  }

  function sendKeepalives(): void {
    if (d.vault.status() !== 'unlocked') return;
    const signer = vaultSigner(d.vault, 'order');
    const byMarket = new Map<string, string[]>();
    for (const rec of d.store.all()) {
      if (rec.role !== 'maker' || rec.kind === 'stop' || !LISTING_ALIVE.includes(rec.state) || !d.book.find(rec.id))
        continue;
      const key = `${rec.base}/${rec.quote}`;
      byMarket.set(key, [...(byMarket.get(key) ?? []), rec.id]);
    }
    for (const [key, ids] of byMarket) {
      const [base, quote] = key.split('/') as [string, string];
      for (let i = 0; i < ids.length; i += 100) {
        const msg = signOrderMessage(
          {
            type: 'order.keepalive',
            maker: signer.publicKey,
            orderIds: ids.slice(i, i + 100),
            seq: d.seq.next(),
            ts: d.now(),
          },
          signer,
        );
        d.book.ingest('order.keepalive', msg, null);
        void publishMessage(d.p2p, marketTopic(base, quote), msg as { type: 'order.keepalive' }, d.log);
      }
    }
  }

  function reannounce(): void {
    for (const rec of d.store.all()) {
      if (
        rec.role !== 'maker' ||
        rec.kind === 'stop' ||
        !rec.order ||
        !LISTING_ALIVE.includes(rec.state) ||
        d.book.find(rec.id)
      )
        continue;
      if ((rec.expiresAt ?? 0) <= d.now()) {
        d.store.update(rec.id, (r) => {
          const t = transitionOrder(r.state, { type: 'expired' });
          if (t.ok) r.state = t.state;
        });
        continue;
      }
      const announce = { type: 'order.announce' as const, order: rec.order };
      const v = d.book.ingest('order.announce', announce, null);
      if (!v.ok) continue; // its service node is not known yet: tried again when the list changes
      void publishMessage(d.p2p, marketTopic(rec.base, rec.quote), announce, d.log);
      d.log.info('order announced again', { orderId: rec.id });
    }
  }

  async function onAccept(req: unknown, peerId: string): Promise<unknown> {
    const v = validateAccept(req, { ...d.book.directContext(), listed: d.book.find });
    if (!v.ok) throw refusal(v);
    const { accept, acceptId } = v.value;
    const entry = d.book.find(accept.orderId)!;
    const rec = mine(entry.order);
    if (!rec) throw new ApiError('NOT_FOUND', 'refused: this node did not make that order');
    if (accept.taker.peerId !== peerId)
      throw new ApiError('PEER_REFUSED', "refused: an accept must come from the taker's own node");
    if (d.vault.status() !== 'unlocked') throw new ApiError('PEER_REFUSED', "refused: the maker's node is locked");
    const now = d.now();
    const signer = vaultSigner(d.vault, 'order');
    const ackOf = () =>
      signOrderMessage(
        {
          type: 'order.ack',
          acceptId,
          orderId: accept.orderId,
          maker: signer.publicKey,
          seq: d.seq.next(),
          ts: d.now(),
        },
        signer,
      );
    // The same accept again (our answer was lost on the way): the same decision.
    if (rec.acks.some((a) => a.acceptId === acceptId)) return ackOf();
    // The maker takes the first valid accept: while one waits for its hold, others are refused.
    const waiting = rec.acks.some((a) => now - a.at < d.holdTimeoutMs);
    if (waiting || !['open', 'accepting'].includes(rec.state))
      throw new ApiError('PEER_REFUSED', 'refused: the order is being taken by someone else');
    const ack = ackOf();
    d.store.update(rec.id, (r) => {
      r.acks = [
        ...r.acks.filter((a) => now - a.at < 10 * d.holdTimeoutMs),
        {
          acceptId,
          takerPeerId: peerId,
          baseAmount: accept.baseAmount,
          quoteAmount: accept.quoteAmount,
          feeTxid: accept.feeTxid,
          at: now,
        },
      ];
      const t = transitionOrder(r.state, { type: 'accept-sent' });
      if (t.ok) r.state = t.state;
    });
    // An abandoned take (no hold in time) gives the order back to the next taker.
    const t = setTimeout(() => {
      holdTimers.delete(acceptId);
      d.store.update(rec.id, (r) => {
        if (r.state !== 'accepting' || r.acks.some((a) => a.acceptId !== acceptId && d.now() - a.at < d.holdTimeoutMs))
          return;
        const back = transitionOrder(r.state, { type: 'accept-failed' });
        if (back.ok) r.state = back.state;
      });
    }, d.holdTimeoutMs);
    t.unref();
    holdTimers.set(acceptId, t);
    d.log.info('accept taken', { orderId: accept.orderId, acceptId, taker: peerId, baseAmount: accept.baseAmount });
    return ack;
  }

  function onHeld(e: Extract<BookEvent, { type: 'held' }>): void {
    const rec = mine(e.order);
    if (!rec) return;
    const ack = rec.acks.find((a) => a.acceptId === e.hold.acceptId);
    clearTimeout(holdTimers.get(e.hold.acceptId));
    holdTimers.delete(e.hold.acceptId);
    d.store.update(rec.id, (r) => {
      r.remainingBase = e.remainingBase;
      r.acks = r.acks.filter((a) => a.acceptId !== e.hold.acceptId);
      if (ack) {
        r.fills.push({
          orderId: r.id,
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
          at: d.now(),
        });
      }
      const t = transitionOrder(r.state, { type: 'held', remainingBase: e.remainingBase });
      if (t.ok) r.state = t.state;
    });
    if (!ack) {
      d.log.warn('a hold of our order for an accept we never acked', { orderId: rec.id, acceptId: e.hold.acceptId });
      return;
    }
    void startSwap(rec.id, e.holdId, ack, e.order);
  }

  async function startSwap(recId: string, holdId: string, ack: { takerPeerId: string }, order: Order): Promise<void> {
    const fill = d.store.get(recId)?.fills.find((f) => f.holdId === holdId);
    if (!fill || !d.swaps) return;
    const sell =
      order.side === 'sell'
        ? { ticker: order.market.base, amount: fill.baseAmount }
        : { ticker: order.market.quote, amount: fill.quoteAmount };
    const buy =
      order.side === 'sell'
        ? { ticker: order.market.quote, amount: fill.quoteAmount }
        : { ticker: order.market.base, amount: fill.baseAmount };
    try {
      await d.swaps.startSwap({ peerId: ack.takerPeerId, sell, buy, swapId: holdId, orderId: order.id });
      d.log.info('swap started for a held order', { orderId: order.id, swapId: holdId });
    } catch (err) {
      d.log.warn('could not start the swap of a held order', {
        orderId: order.id,
        swapId: holdId,
        error: (err as Error).message,
      });
      d.store.update(recId, (r) => {
        const f = r.fills.find((x) => x.holdId === holdId);
        if (!f) return;
        f.state = 'canceled';
        f.reason = `the swap could not start: ${(err as Error).message}`;
      });
      release(recId, holdId);
    }
  }

  function release(recId: string, holdId: string): void {
    const rec = d.store.get(recId);
    const fill = rec?.fills.find((f) => f.holdId === holdId);
    if (!rec || !fill || fill.reposted || rec.role !== 'maker') return;
    d.store.update(recId, (r) => {
      const f = r.fills.find((x) => x.holdId === holdId);
      if (f) f.reposted = true;
    });
    if (rec.reason === 'canceled by the user') return;
    const minBase =
      rec.partial.allowed && rec.partial.minBase < fill.baseAmount ? rec.partial.minBase : fill.baseAmount;
    const quoteAmount = rec.price ? fillQuote(rec.price, fill.baseAmount, rec.side) : fill.quoteAmount;
    void place({
      base: rec.base,
      quote: rec.quote,
      side: rec.side,
      baseAmount: fill.baseAmount,
      quoteAmount,
      partial: { allowed: minBase < fill.baseAmount, minBase },
      repostOf: rec.id,
    }).then(
      (r) =>
        d.log.info('reposted what a failed take gave back', {
          from: recId,
          orderId: r.id,
          baseAmount: fill.baseAmount,
        }),
      (err: unknown) =>
        d.log.warn('could not repost what a failed take gave back', { from: recId, error: (err as Error).message }),
    );
  }

  function onRemoved(e: Extract<BookEvent, { type: 'removed' }>): void {
    const rec = mine(e.order);
    if (!rec || !LISTING_ALIVE.includes(rec.state)) return;
    if (e.reason === 'expired') {
      d.store.update(rec.id, (r) => {
        const t = transitionOrder(r.state, { type: 'expired' });
        if (t.ok) r.state = t.state;
      });
    } else if (e.reason === 'service-node-gone') {
      d.store.update(rec.id, (r) => {
        const t = transitionOrder(r.state, { type: 'invalidated' });
        if (t.ok) r.state = t.state;
        r.reason = 'its service node went away';
      });
      // Another service node may serve the market: offer what was left there.
      if (rec.remainingBase > 0n && d.registry.serving(rec.base, rec.quote).length > 0 && rec.price) {
        void place({
          base: rec.base,
          quote: rec.quote,
          side: rec.side,
          baseAmount: rec.remainingBase,
          quoteAmount: fillQuote(rec.price, rec.remainingBase, rec.side),
          partial: {
            allowed: rec.partial.allowed && rec.partial.minBase < rec.remainingBase,
            minBase:
              rec.partial.allowed && rec.partial.minBase < rec.remainingBase ? rec.partial.minBase : rec.remainingBase,
          },
          repostOf: rec.id,
        }).catch((err: unknown) =>
          d.log.warn('could not move an order to another service node', {
            orderId: rec.id,
            error: (err as Error).message,
          }),
        );
      }
    }
  }

  return {
    async start() {
      await d.p2p.handleRequest(ORDER_PROTOCOLS.accept, (req, ctx) => onAccept(req, ctx.peerId));
      unsubs.push(
        d.book.onEvent((e) => {
          if (e.type === 'held') onHeld(e);
          else if (e.type === 'removed') onRemoved(e);
        }),
      );
      timer = setInterval(sendKeepalives, d.keepaliveMs);
      timer.unref();
      reannounce();
    },
    stop() {
      clearInterval(timer);
      for (const t of holdTimers.values()) clearTimeout(t);
      for (const u of unsubs.splice(0)) u();
    },
    place,
    cancel,
    reannounce,
    release,
  };
}
