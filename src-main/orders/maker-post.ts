// Posting a maker's limit order: pick wallet coins not already backing another of its orders,
// take fresh payout and refund addresses, sign the order with the order key, prove the coins to
// the freshest service node serving the market and get its signature, then list the order in
// this node's book and announce it on the market's topic.
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { isCoded } from '../../src-shared/errors.ts';
import { formatAmount, parseAmount, priceOf } from '../../src-shared/money/index.ts';
import { smallestQuote, takerFeeProblem } from '../../src-shared/orders/minimum.ts';
import { wireForm } from '../../src-shared/protocol/canonical.ts';
import { ORDER_PROTOCOLS, marketTopic } from '../../src-shared/protocol/orders.ts';
import {
  createOrder,
  makerReceivesTicker,
  makerSellsTicker,
  marketKey,
  nonceFromBytes,
  type OrderTermsError,
} from '../../src-shared/orders/order.ts';
import { transitionOrder } from '../../src-shared/orders/state.ts';
import type { MakerSignedOrder, Order, OrderTerms, Side } from '../../src-shared/orders/types.ts';
import { validateSignResponse } from '../../src-shared/orders/validate.ts';
import type { Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { ServiceNodeEntry, ServiceNodeRegistry } from '../servicenode/index.ts';
import type { SwapEngine } from '../swaps/index.ts';
import type { Vault } from '../vault/index.ts';
import type { WalletService } from '../wallets/index.ts';
import { buildOwnershipProof, parseOutpoint } from './chain.ts';
import type { NetworkBook } from './network-book.ts';
import { publishMessage, requestWithRetry, vaultSigner } from './net.ts';
import type { OrderRecord, RecordStore } from './records.ts';

export interface LimitSpec {
  base: string;
  quote: string;
  side: Side;
  baseAmount: bigint;
  quoteAmount: bigint;
  partial: { allowed: boolean; minBase: bigint };
  repostOf?: string | null;
  parentStop?: string | null;
  /** Back the order with one coin of exactly what it offers, split off first if none is free (§10). */
  prepareCoins?: boolean;
}

export interface PostingDeps {
  coins: CoinTable;
  vault: Pick<Vault, 'status' | 'networkPublicKey' | 'signNetworkDigest'>;
  wallets: Pick<WalletService, 'rpc' | 'newAddress' | 'utxos' | 'feeEstimate'>;
  p2p: Pick<P2pHost, 'peerId' | 'publish' | 'request'>;
  book: Pick<NetworkBook, 'ingest'>;
  registry: Pick<ServiceNodeRegistry, 'serving'>;
  swaps?: Pick<SwapEngine, 'startSwap'>;
  records: RecordStore;
  log: Logger;
  now: () => number;
  orderLifetimeMs: number;
  /** Coins reserved by this node's other open orders (so one coin never backs two orders). */
  reservedOutpoints: () => ReadonlySet<string>;
  /** A free coin of exactly `amount`, split off the wallet's free coins when none is (CoinPrep.exactCoin). */
  prepare?: (ticker: string, amount: bigint) => Promise<{ coin: { outpoint: string; amount: bigint } | null }>;
}

type Coin = { txid: string; vout: number; amount: bigint };

/** At most this many coins back one order. */
const MAX_COINS = 50;

/**
 * Coins for `amount`, largest first, leaving out the reserved ones. `total` falls short of
 * `amount` when they do not add up (within the coin limit).
 */
export function pickCoins(
  utxos: readonly Coin[],
  amount: bigint,
  reserved: ReadonlySet<string>,
): { picked: Coin[]; total: bigint } {
  const free = utxos
    .filter((u) => !reserved.has(`${u.txid}:${u.vout}`))
    .sort((a, b) => (a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1));
  const picked: Coin[] = [];
  let total = 0n;
  for (const u of free) {
    if (total >= amount || picked.length >= MAX_COINS) break;
    picked.push({ txid: u.txid, vout: u.vout, amount: u.amount });
    total += u.amount;
  }
  return { picked, total };
}

/** The maker's record of an order the service node signed, before it is listed. */
function listingRecord(spec: LimitSpec, order: Order, wire: Record<string, unknown>, serviceNode: string): OrderRecord {
  return {
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
    order: wire,
    serviceNode,
    expiresAt: order.expiresAt,
    fills: [],
    acks: [],
    stop: null,
    parentStop: spec.parentStop ?? null,
    repostOf: spec.repostOf ?? null,
    createdAt: order.createdAt,
    updatedAt: order.createdAt,
  };
}

async function coinsFor(d: PostingDeps, ticker: string, amount: bigint): Promise<Coin[]> {
  const coin = d.coins.get(ticker);
  const reserved = d.reservedOutpoints();
  const utxos = (await d.wallets.utxos(ticker)).map((u) => ({
    txid: u.txid,
    vout: u.vout,
    amount: parseAmount(u.amount, coin.decimals),
  }));
  const { picked, total } = pickCoins(utxos, amount, reserved);
  if (total < amount) {
    throw new ApiError(
      'INSUFFICIENT_FUNDS',
      `The ${ticker} wallet has ${formatAmount(total, coin.decimals)} ${ticker} in coins not already backing an order; the order needs ${formatAmount(amount, coin.decimals)}.`,
    );
  }
  return picked;
}

/** One coin of exactly `amount` (docs/orders.md §10): a free one, or the output of a split sent now. */
async function preparedCoin(d: PostingDeps, ticker: string, amount: bigint): Promise<Coin[]> {
  const { coin } = await d.prepare!(ticker, amount);
  if (!coin) throw new ApiError('INTERNAL', `No ${ticker} coin of the order's size could be prepared.`);
  const { txid, vout } = parseOutpoint(coin.outpoint);
  return [{ txid, vout, amount: coin.amount }];
}

/** The order signed by its maker and checked by the service node, or why not. */
async function signedByServiceNode(
  d: PostingDeps,
  spec: LimitSpec,
  sn: ServiceNodeEntry,
  signer: ReturnType<typeof vaultSigner>,
): Promise<Order> {
  const market = { base: spec.base, quote: spec.quote };
  const sells = makerSellsTicker({ market, side: spec.side });
  const receives = makerReceivesTicker({ market, side: spec.side });
  const sellAmount = spec.side === 'sell' ? spec.baseAmount : spec.quoteAmount;
  const smallest = spec.partial.minBase;
  const feeProblem = takerFeeProblem(
    market,
    spec.side,
    smallest,
    smallestQuote(priceOf(spec.baseAmount, spec.quoteAmount), smallest),
    sn.announce?.fee ?? null,
  );
  if (feeProblem) throw new ApiError('INVALID_PARAMS', `The order is too small: ${feeProblem}.`);
  const coins =
    spec.prepareCoins && d.prepare ? await preparedCoin(d, sells, sellAmount) : await coinsFor(d, sells, sellAmount);
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
  let made: MakerSignedOrder;
  try {
    made = createOrder(terms, signer);
  } catch (err) {
    if (isCoded(err, 'ORDER_TERMS'))
      throw new ApiError(
        'INVALID_PARAMS',
        `The order breaks a rule (${(err as OrderTermsError).details.reason}): ${err.message}`,
      );
    throw err;
  }
  const feeRate = BigInt((await d.wallets.feeEstimate(sells, 6)).satPerVb);
  const tx = await buildOwnershipProof(d.wallets.rpc(sells), d.coins.get(sells), coins, made.id, refund, feeRate);
  const answer = await requestWithRetry(
    d.p2p,
    sn.registration.peerId,
    ORDER_PROTOCOLS.sign,
    { type: 'order.sign.request', order: wireForm(made), ownership: { tx } },
    { timeoutMs: 20_000, overRelay: true },
  );
  const signed = validateSignResponse(answer, made, sn.registration.pubkey, {});
  if (!signed.ok)
    throw new ApiError(
      'PEER_REFUSED',
      `The service node's answer does not check (${signed.reason}): ${signed.message}`,
    );
  return signed.value;
}

/** Lists the signed order in this node's book, announces it and opens it. */
async function list(
  d: PostingDeps,
  rec: OrderRecord,
  announce: { type: 'order.announce'; order: Record<string, unknown> },
) {
  d.records.put(rec);
  const listed = d.book.ingest('order.announce', announce, null);
  if (!listed.ok) {
    d.records.update(rec.id, (r) => {
      r.state = 'invalid';
      r.reason = `the signed order does not check here (${listed.reason}): ${listed.message}`;
    });
    throw new ApiError('INTERNAL', `The signed order does not check on this node: ${listed.message}`);
  }
  await publishMessage(d.p2p, marketTopic(rec.base, rec.quote), announce, d.log);
  return d.records.update(rec.id, (r) => {
    const t = transitionOrder(r.state, { type: 'service-node-signed' });
    if (t.ok) r.state = t.state;
  })!;
}

async function place(d: PostingDeps, spec: LimitSpec): Promise<OrderRecord> {
  if (!d.swaps) throw new ApiError('METHOD_NOT_FOUND', 'This node runs no swap engine, so it cannot make orders.');
  const signer = vaultSigner(d.vault, 'order');
  const sn = d.registry.serving(spec.base, spec.quote)[0];
  if (!sn)
    throw new ApiError(
      'PEER_UNREACHABLE',
      `No service node that serves ${spec.base}/${spec.quote} is online, so the order cannot be signed now.`,
    );
  const order = await signedByServiceNode(d, spec, sn, signer);
  const announce = { type: 'order.announce' as const, order: wireForm(order) as Record<string, unknown> };
  // The record is as old as the order: its createdAt is when the maker signed it.
  const opened = await list(d, listingRecord(spec, order, announce.order, sn.registration.pubkey), announce);
  d.log.info('order posted', {
    orderId: order.id,
    market: marketKey(order.market),
    side: spec.side,
    baseAmount: spec.baseAmount,
    serviceNode: sn.registration.pubkey,
  });
  return opened;
}

export function createPosting(d: PostingDeps): { place(spec: LimitSpec): Promise<OrderRecord> } {
  return { place: (spec) => place(d, spec) };
}
