// The order service behind the dx-named API: limit orders (maker), takes and market orders
// (taker, sweeping the best orders within the user's price cap), stop orders held here until the
// last trade price crosses their trigger, cancels, previews with fees, views of the network book
// and of this node's own orders. Fills follow their swaps; a taker's finished swap becomes a
// trade record signed by both parties. Coins backing open orders count as locked.
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { Params, Result } from '../../src-shared/api/contract.ts';
import type { SwapSummary } from '../../src-shared/api/schemas.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import type { TradeRecord, TradeRecordFields } from '../../src-shared/history/record.ts';
import {
  AmountError,
  comparePrice,
  formatAmount,
  parseAmount,
  parsePrice,
  quoteFor,
  type Price,
} from '../../src-shared/money/index.ts';
import { averagePrice } from '../../src-shared/orders/book.ts';
import { fillQuote, isValidFill, marketKey } from '../../src-shared/orders/order.ts';
import { isTerminal } from '../../src-shared/orders/state.ts';
import type { Market, Order, Side } from '../../src-shared/orders/types.ts';
import type { Logger } from '../kernel/log.ts';
import type { EventBus } from '../api/events.ts';
import type { WalletService } from '../wallets/wallet-service.ts';
import type { NetworkName } from '../core/config.ts';
import type { P2pHost } from '../p2p/host.ts';
import type { OrderRepo } from './repo.ts';
import type { SwapEngine } from '../swaps/engine.ts';
import type { Vault } from '../vault/index.ts';
import type { TradeHistory } from '../history/service.ts';
import type { ServiceNodeRegistry } from '../servicenode/registry.ts';
import { createMaker } from './maker.ts';
import type { NetworkBook } from './network-book.ts';
import { SeqCounter, vaultSigner } from './net.ts';
import {
  LISTING_ALIVE,
  advanceFill,
  createRecordStore,
  fillsState,
  heldFills,
  type FillRecord,
  type OrderRecord,
} from './records.ts';
import { createStopOrders } from './stops.ts';
import { createTaker } from './taker.ts';
import {
  bookView,
  feePreview,
  networkOrderView,
  priceText,
  swapPhaseToOrderState,
  type Decimals,
  type FeePreviewT,
  type OrderViewT,
} from './views.ts';

type MakeParams = Params<'makeOrder'> & { kind: 'limit' | 'market' | 'stop' };
type MakeResult = Result<'makeOrder'>;
type Preview = MakeResult['preview'];

export interface OrderServiceDeps {
  network: NetworkName;
  markets: readonly Market[];
  coins: readonly CoinParams[];
  /** The user's risk setting (least confirmations per coin) as it is now, for the lock preview. */
  confirmations: (ticker: string) => number;
  keepaliveMs: number;
  orderLifetimeMs: number;
  holdTimeoutMs: number;
  /** Most taker fee per fill, by fee coin, as decimal strings. */
  maxTakerFee: Readonly<Record<string, string>>;
  vault: Pick<Vault, 'status' | 'networkPublicKey' | 'signNetworkDigest'>;
  wallets: Pick<WalletService, 'rpc' | 'newAddress' | 'isConfigured' | 'balanceUnits' | 'feeEstimate' | 'utxos'>;
  p2p: Pick<P2pHost, 'peerId' | 'publish' | 'handleRequest' | 'request'>;
  book: NetworkBook;
  registry: ServiceNodeRegistry;
  history: TradeHistory;
  swaps?: Pick<SwapEngine, 'startSwap' | 'allow' | 'get'>;
  repo: OrderRepo;
  events: EventBus;
  log: Logger;
  now: () => number;
}

export interface OrderService {
  start(): Promise<void>;
  stop(): void;
  makeOrder(p: MakeParams): Promise<MakeResult>;
  takeOrder(p: { orderId: string; amount?: string; dryRun?: boolean }): Promise<MakeResult>;
  cancelOrder(orderId: string): Promise<OrderViewT>;
  getOrder(orderId: string): OrderViewT;
  getOrders(base?: string, quote?: string): OrderViewT[];
  getMyOrders(includeClosed: boolean): OrderViewT[];
  getOrderBook(p: { base: string; quote: string; detail?: 1 | 2 | 3; depth?: number }): Result<'getOrderBook'>;
  getMarkets(): Result<'getMarkets'>;
  networkTokens(): string[];
  serviceNodes(): Result<'getServiceNodes'>;
  /** Coins of `ticker` reserved by open orders and takes not yet handed to the swap engine. */
  lockedAmount(ticker: string): bigint;
  /** The maker's check before it countersigns a trade record (TradeHistory's makerCheck). */
  makerCheck(record: TradeRecord, takerPeerId: string): string | null;
}

const sideOpposite = (s: Side): Side => (s === 'buy' ? 'sell' : 'buy');

export function createOrderService(d: OrderServiceDeps): OrderService {
  const seq = new SeqCounter(d.now);
  const store = createRecordStore(d.repo, d.log, d.now);
  const unsubs: Array<() => void> = [];
  const bookTimers = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  const coinOf = (t: string): CoinParams => {
    const c = d.coins.find((x) => x.ticker === t);
    if (!c) throw new ApiError('NOT_FOUND', `This node does not handle ${t}.`);
    return c;
  };
  const decOf = (base: string, quote: string): Decimals => ({
    base: coinOf(base).decimals,
    quote: coinOf(quote).decimals,
  });
  const myKey = (): string | null => (d.vault.status() === 'unlocked' ? vaultSigner(d.vault, 'order').publicKey : null);

  const reservedOutpoints = (): Set<string> => {
    const out = new Set<string>();
    for (const r of store.all()) {
      if (r.role !== 'maker' || !LISTING_ALIVE.includes(r.state)) continue;
      for (const u of (r.order?.makerUtxos as string[] | undefined) ?? []) out.add(u);
    }
    return out;
  };

  const maker = createMaker({
    coins: d.coins,
    vault: d.vault,
    wallets: d.wallets,
    p2p: d.p2p,
    book: d.book,
    registry: d.registry,
    swaps: d.swaps,
    store,
    seq,
    log: d.log,
    now: d.now,
    keepaliveMs: d.keepaliveMs,
    orderLifetimeMs: d.orderLifetimeMs,
    holdTimeoutMs: d.holdTimeoutMs,
    reservedOutpoints,
  });
  const stops = createStopOrders({
    store,
    lastPrice: (m) => d.history.lastPrice(m.base, m.quote),
    fire: (id) => void fire(id),
    log: d.log,
    now: d.now,
  });
  const taker = createTaker({
    coins: d.coins,
    vault: d.vault,
    wallets: d.wallets,
    p2p: d.p2p,
    book: d.book,
    registry: d.registry,
    swaps: d.swaps,
    store,
    seq,
    log: d.log,
    now: d.now,
    maxTakerFee: (t) => (d.maxTakerFee[t] === undefined ? null : parseAmount(d.maxTakerFee[t]!, coinOf(t).decimals)),
  });

  // ------------------------------------------------------------------ params

  function marketOf(base: string, quote: string): Market {
    const m = d.markets.find((x) => x.base === base && x.quote === quote);
    if (m) return m;
    const flipped = d.markets.find((x) => x.base === quote && x.quote === base);
    if (flipped)
      throw new ApiError(
        'INVALID_PARAMS',
        `The market is ${flipped.base}/${flipped.quote}: use base ${flipped.base} and quote ${flipped.quote} (a buy of ${base} is a sell of ${quote}).`,
      );
    throw new ApiError(
      'NOT_FOUND',
      `This node does not trade ${base}/${quote} (it trades ${d.markets.map(marketKey).join(', ')}).`,
    );
  }
  function amountParam(text: string, ticker: string, what: string): bigint {
    try {
      const v = parseAmount(text, coinOf(ticker).decimals);
      if (v <= 0n) throw new AmountError('must be more than 0');
      return v;
    } catch (err) {
      throw new ApiError('INVALID_PARAMS', `${what} "${text}" is not a ${ticker} amount: ${(err as Error).message}`);
    }
  }
  function priceParam(text: string, m: Market, what: string): Price {
    const dec = decOf(m.base, m.quote);
    try {
      return parsePrice(text, dec.base, dec.quote);
    } catch (err) {
      throw new ApiError(
        'INVALID_PARAMS',
        `${what} "${text}" is not a price in ${m.quote} per ${m.base}: ${(err as Error).message}`,
      );
    }
  }
  function requireWallets(m: Market): void {
    for (const t of [m.base, m.quote]) {
      if (!d.wallets.isConfigured(t))
        throw new ApiError(
          'WALLET_NOT_CONFIGURED',
          `Connect a ${t} wallet first: a trade of ${m.base}/${m.quote} needs both.`,
        );
    }
  }

  // ------------------------------------------------------------------ views

  function filledOf(rec: OrderRecord): bigint {
    return heldFills(rec.fills).reduce((a, f) => a + f.baseAmount, 0n);
  }

  function myView(rec: OrderRecord): OrderViewT {
    if (rec.kind === 'stop' && rec.stop?.childId) {
      const child = store.get(rec.stop.childId);
      if (child) return { ...myView(child), id: rec.id, kind: 'stop', stop: stopView(rec), createdAt: rec.createdAt };
    }
    const dec = decOf(rec.base, rec.quote);
    const filled = filledOf(rec);
    const fillsQuote = heldFills(rec.fills).reduce((a, f) => a + f.quoteAmount, 0n);
    const shownPrice = rec.kind === 'market' && filled > 0n ? { num: fillsQuote, den: filled } : rec.price;
    const view: OrderViewT = {
      id: rec.id,
      base: rec.base,
      quote: rec.quote,
      side: rec.side,
      kind: rec.kind,
      state: rec.state,
      price: priceText(shownPrice && shownPrice.num > 0n ? shownPrice : null, dec),
      baseAmount: formatAmount(rec.baseAmount, dec.base),
      quoteAmount: formatAmount(rec.kind === 'market' ? fillsQuote : rec.quoteAmount, dec.quote),
      filledBase: formatAmount(filled, dec.base),
      remainingBase: formatAmount(rec.role === 'maker' ? rec.remainingBase : rec.baseAmount - filled, dec.base),
      partial: { allowed: rec.partial.allowed, minBase: formatAmount(rec.partial.minBase, dec.base) },
      mine: true,
      makerPeerId: rec.role === 'maker' ? d.p2p.peerId : (rec.fills[0]?.counterparty ?? ''),
      swapIds: rec.fills.flatMap((f) => (f.holdId ? [f.holdId] : [])),
      createdAt: rec.createdAt,
      updatedAt: rec.updatedAt,
    };
    if (rec.serviceNode) view.serviceNode = rec.serviceNode;
    if (rec.expiresAt !== null) view.expiresAt = rec.expiresAt;
    const reason = rec.reason ?? [...rec.fills].reverse().find((f) => f.reason)?.reason;
    if (reason) view.reason = reason;
    if (rec.stop) view.stop = stopView(rec);
    return view;
  }

  function stopView(rec: OrderRecord): NonNullable<OrderViewT['stop']> {
    const s = rec.stop!;
    const dec = decOf(rec.base, rec.quote);
    return {
      triggerPrice: priceText(s.trigger, dec),
      direction: s.direction,
      then: s.then,
      ...(s.limitPrice ? { limitPrice: priceText(s.limitPrice, dec) } : {}),
    };
  }

  // ------------------------------------------------------------------ states

  /** An order's state from its listing and its fills. */
  function settle(r: OrderRecord): void {
    if (r.kind === 'stop') return;
    if (r.role === 'taker') {
      r.state = fillsState(r.fills) ?? r.state;
      return;
    }
    // A maker's order held in full follows its fills; while some is listed, the listing decides.
    if (
      (r.remainingBase === 0n && !['canceled', 'expired', 'invalid'].includes(r.state)) ||
      ['hold', 'initialized', 'created', 'committed'].includes(r.state)
    ) {
      r.state = fillsState(r.fills) ?? r.state;
    }
  }

  function onSwap(s: SwapSummary): void {
    const hit = store.bySwap(s.swapId);
    if (!hit) return;
    const target = swapPhaseToOrderState(s.role, s.state);
    if (!target) return;
    let changed: FillRecord | undefined;
    store.update(hit.rec.id, (r) => {
      const f = r.fills.find((x) => x.holdId === s.swapId)!;
      const next = advanceFill(f.state, target);
      if (next.refused)
        d.log.warn('an order fill cannot follow its swap', {
          swapId: s.swapId,
          from: f.state,
          to: target,
          reason: next.refused,
        });
      if (next.state === f.state) return;
      f.state = next.state;
      if (f.state === 'canceled' && s.reason) f.reason = s.reason.message;
      changed = f;
      settle(r);
    });
    if (!changed) return;
    if (changed.state === 'canceled' && hit.rec.role === 'maker') maker.release(hit.rec.id, s.swapId);
    if (changed.state === 'finished' && hit.rec.role === 'taker') void recordTrade(hit.rec.id, s.swapId);
  }

  /** A swap may have moved before we knew its id (the maker proposes as soon as it sees the hold). */
  function catchUp(swapId: string): void {
    if (!d.swaps) return;
    try {
      const s = d.swaps.get(swapId);
      onSwap(s);
    } catch {
      // not started yet: its updates will come
    }
  }

  async function recordTrade(recId: string, swapId: string): Promise<void> {
    const rec = store.get(recId);
    const fill = rec?.fills.find((f) => f.holdId === swapId);
    const me = myKey();
    if (!rec || !fill || fill.recorded || !d.swaps || !me) return;
    const detail = d.swaps.get(swapId);
    const tx = (kind: string) => detail.txs.find((t) => t.kind === kind)?.txid;
    const txids = {
      makerLock: tx('theirFunding'),
      takerLock: tx('ownFunding'),
      makerClaim: tx('theirClaim'),
      takerClaim: tx('claim'),
    };
    if (!txids.makerLock || !txids.takerLock || !txids.makerClaim || !txids.takerClaim) {
      d.log.warn('a finished swap lacks a transaction; no trade record', { swapId, txids });
      return;
    }
    const fields: TradeRecordFields = {
      tradeId: swapId,
      orderId: fill.orderId,
      market: { base: rec.base, quote: rec.quote },
      makerSide: fill.makerSide,
      baseAmount: fill.baseAmount,
      quoteAmount: fill.quoteAmount,
      price: fill.price,
      maker: fill.makerPubkey,
      taker: me,
      serviceNode: fill.serviceNode,
      txids: {
        makerLock: txids.makerLock,
        takerLock: txids.takerLock,
        makerClaim: txids.makerClaim,
        takerClaim: txids.takerClaim,
      },
      feeTxid: fill.feeTxid,
      finishedAt: d.now(),
    };
    try {
      await d.history.recordAsTaker(fields, fill.counterparty);
      store.update(recId, (r) => {
        const f = r.fills.find((x) => x.holdId === swapId);
        if (f) f.recorded = true;
      });
    } catch (err) {
      d.log.warn('could not make the trade record', { swapId, error: (err as Error).message });
    }
  }

  function makerCheck(record: TradeRecord, takerPeerId: string): string | null {
    const hit = store.bySwap(record.tradeId);
    if (!hit || hit.rec.role !== 'maker') return 'this node made no such trade';
    const { rec, fill } = hit;
    if (fill.counterparty !== takerPeerId) return 'the trade is with another peer';
    const same =
      record.orderId === fill.orderId &&
      record.baseAmount === fill.baseAmount &&
      record.quoteAmount === fill.quoteAmount &&
      record.makerSide === fill.makerSide &&
      record.market.base === rec.base &&
      record.market.quote === rec.quote &&
      record.serviceNode === fill.serviceNode &&
      record.feeTxid === fill.feeTxid &&
      comparePrice(record.price, fill.price) === 0;
    if (!same) return 'the record does not match the trade';
    if (!d.swaps) return 'this node runs no swaps';
    const s = d.swaps.get(record.tradeId);
    if (s.outcome !== 'completed') return "the swap has not completed on the maker's side yet";
    const tx = (kind: string) => s.txs.find((t) => t.kind === kind)?.txid;
    if (
      tx('ownFunding') !== record.txids.makerLock ||
      tx('theirFunding') !== record.txids.takerLock ||
      tx('claim') !== record.txids.makerClaim
    ) {
      return 'the record names other transactions than the swap';
    }
    return null;
  }

  // ------------------------------------------------------------------ previews

  async function feeRate(t: string): Promise<bigint> {
    if (!d.wallets.isConfigured(t)) return coinOf(t).walletMinFeeSatPerVb;
    try {
      return BigInt((await d.wallets.feeEstimate(t, 2)).satPerVb);
    } catch {
      return coinOf(t).walletMinFeeSatPerVb;
    }
  }

  function fees(
    m: Market,
    makerSide: Side,
    role: 'maker' | 'taker',
    takerFee: { ticker: string; amount: bigint } | null,
    shape: { fills?: number; partial?: boolean } = {},
  ): Promise<FeePreviewT> {
    const sells = makerSide === 'sell' ? m.base : m.quote;
    const receives = makerSide === 'sell' ? m.quote : m.base;
    return feePreview({
      makerSells: coinOf(sells),
      makerReceives: coinOf(receives),
      role,
      feeRate,
      takerFee,
      confirmations: d.confirmations,
      ...shape,
    });
  }

  function takerFeeOf(orders: readonly Order[]): { ticker: string; amount: bigint } | null {
    let total: { ticker: string; amount: bigint } | null = null;
    for (const o of orders) {
      const f = taker.feeFor(o);
      if (!f) continue;
      if (!total) total = { ticker: f.ticker, amount: f.amount };
      else if (total.ticker === f.ticker) total.amount += f.amount;
    }
    return total;
  }

  async function sweepPreview(
    m: Market,
    side: Side,
    amount: bigint,
    cap: Price | null,
  ): Promise<{ preview: Preview; plan: ReturnType<NonNullable<ReturnType<NetworkBook['book']>>['sweep']> }> {
    const book = d.book.book(m)!;
    const plan = book.sweep(side, amount, cap, { excludeMaker: myKey() ?? undefined });
    const dec = decOf(m.base, m.quote);
    const orders = plan.fills.map((f) => d.book.find(f.orderId)!.order);
    const preview: Preview = {
      fills: plan.fills.map((f) => ({
        orderId: f.orderId,
        baseAmount: formatAmount(f.baseAmount, dec.base),
        quoteAmount: formatAmount(f.quoteAmount, dec.quote),
        price: priceText(f.price, dec),
      })),
      baseAmount: formatAmount(plan.baseFilled, dec.base),
      quoteAmount: formatAmount(plan.quoteTotal, dec.quote),
      averagePrice: plan.baseFilled > 0n ? priceText(averagePrice(plan), dec) : null,
      unfilled: formatAmount(plan.leftoverBase, dec.base),
      fees: await fees(m, sideOpposite(side), 'taker', takerFeeOf(orders), { fills: plan.fills.length }),
    };
    return { preview, plan };
  }

  // ------------------------------------------------------------------ taking

  function newTakerRecord(
    m: Market,
    side: Side,
    kind: 'market',
    baseAmount: bigint,
    cap: Price | null,
    parentStop: string | null,
  ): OrderRecord {
    const now = d.now();
    const rec: OrderRecord = {
      id: randomBytes(32).toString('hex'),
      kind,
      role: 'taker',
      state: 'accepting',
      base: m.base,
      quote: m.quote,
      side,
      baseAmount,
      quoteAmount: 0n,
      price: cap,
      partial: { allowed: true, minBase: 1n },
      remainingBase: baseAmount,
      order: null,
      serviceNode: null,
      expiresAt: null,
      fills: [],
      acks: [],
      stop: null,
      parentStop,
      repostOf: null,
      createdAt: now,
      updatedAt: now,
    };
    store.put(rec);
    return rec;
  }

  /** Takes each planned fill in turn; a fill that fails is recorded and the rest still go. */
  async function runFills(
    recId: string,
    fills: ReadonlyArray<{ orderId: string; baseAmount: bigint }>,
  ): Promise<string[]> {
    const swapIds: string[] = [];
    for (const f of fills) {
      if (stopped) break;
      const entry = d.book.find(f.orderId);
      if (!entry || !isValidFill(entry.order.partial, entry.remainingBase, f.baseAmount)) {
        store.update(recId, (r) => {
          r.reason = 'an order of the plan was taken by someone else first';
        });
        continue;
      }
      try {
        const holdId = await taker.takeFill(recId, entry.order, f.baseAmount);
        if (holdId) {
          swapIds.push(holdId);
          catchUp(holdId);
        }
      } catch (err) {
        d.log.warn('a fill could not be taken', { orderId: f.orderId, error: (err as Error).message });
        store.update(recId, (r) => {
          r.reason = (err as Error).message;
        });
        if (
          err instanceof ApiError &&
          ['VAULT_LOCKED', 'INSUFFICIENT_FUNDS', 'WALLET_NOT_CONFIGURED'].includes(err.code) &&
          swapIds.length === 0
        ) {
          store.update(recId, (r) => {
            r.state = 'canceled';
          });
          throw err;
        }
      }
    }
    store.update(recId, (r) => {
      r.quoteAmount = heldFills(r.fills).reduce((a, x) => a + x.quoteAmount, 0n);
      settle(r);
      if (r.fills.length === 0) r.state = 'canceled';
    });
    return swapIds;
  }

  async function marketOrder(
    m: Market,
    side: Side,
    amount: bigint,
    cap: Price | null,
    parentStop: string | null,
  ): Promise<{ rec: OrderRecord; swapIds: string[] }> {
    requireWallets(m);
    const book = d.book.book(m)!;
    const plan = book.sweep(side, amount, cap, { excludeMaker: myKey() ?? undefined });
    if (plan.fills.length === 0)
      throw new ApiError(
        'NOT_FOUND',
        `No order on the ${m.base}/${m.quote} book can fill this${cap ? ' within the price cap' : ''}.`,
      );
    const rec = newTakerRecord(m, side, 'market', amount, cap, parentStop);
    const swapIds = await runFills(rec.id, plan.fills);
    return { rec: store.get(rec.id)!, swapIds };
  }

  // ------------------------------------------------------------------ stops

  async function fire(stopId: string): Promise<void> {
    const rec = store.get(stopId)!;
    const s = rec.stop!;
    const m = { base: rec.base, quote: rec.quote };
    d.log.info('stop order fires', { stopId, then: s.then });
    try {
      let child: OrderRecord;
      if (s.then === 'limit') {
        child = await maker.place({
          base: m.base,
          quote: m.quote,
          side: rec.side,
          baseAmount: rec.baseAmount,
          quoteAmount: quoteFor(s.limitPrice!, rec.baseAmount, rec.side === 'sell' ? 'up' : 'down'),
          partial: rec.partial,
          parentStop: stopId,
        });
      } else {
        child = (await marketOrder(m, rec.side, rec.baseAmount, s.priceCap, stopId)).rec;
      }
      store.update(stopId, (r) => {
        r.stop!.childId = child.id;
        r.state = child.state;
      });
    } catch (err) {
      store.update(stopId, (r) => {
        r.state = 'invalid';
        r.reason = `the stop order fired but could not be placed: ${(err as Error).message}`;
      });
    }
  }

  // ------------------------------------------------------------------ the API

  async function makeOrder(p: MakeParams): Promise<MakeResult> {
    const m = marketOf(p.base, p.quote);
    const dec = decOf(m.base, m.quote);
    const amount = amountParam(p.amount, m.base, 'amount');
    const minBase = p.minAmount !== undefined ? amountParam(p.minAmount, m.base, 'minAmount') : null;
    if (minBase !== null && minBase > amount)
      throw new ApiError('INVALID_PARAMS', 'minAmount must not be more than amount.');
    const partial =
      minBase !== null && minBase < amount ? { allowed: true, minBase } : { allowed: false, minBase: amount };
    const cap = p.priceCap !== undefined ? priceParam(p.priceCap, m, 'priceCap') : null;

    if (p.kind === 'limit') {
      if (p.price === undefined) throw new ApiError('INVALID_PARAMS', 'A limit order needs a price.');
      const price = priceParam(p.price, m, 'price');
      const quoteAmount = quoteFor(price, amount, p.side === 'sell' ? 'up' : 'down');
      const preview: Preview = {
        fills: [],
        baseAmount: formatAmount(amount, dec.base),
        quoteAmount: formatAmount(quoteAmount, dec.quote),
        averagePrice: priceText(price, dec),
        unfilled: '0',
        fees: await fees(m, p.side, 'maker', null, { partial: partial.allowed }),
      };
      if (p.dryRun) return { order: null, preview, swapIds: [] };
      requireWallets(m);
      const book = d.book.book(m)!;
      const me = myKey();
      const other = p.side === 'sell' ? book.bestBid() : book.bestAsk();
      if (other && other.order.maker.pubkey !== me && book.crosses(p.side, price)) {
        throw new ApiError(
          'CONFLICT',
          `A ${p.side} at ${p.price} would meet the best ${p.side === 'sell' ? 'bid' : 'ask'} at ${priceText(other.order.price, dec)}: take that order instead (makeOrder kind market, or takeOrder).`,
        );
      }
      const rec = await maker.place({
        base: m.base,
        quote: m.quote,
        side: p.side,
        baseAmount: amount,
        quoteAmount,
        partial,
      });
      return { order: myView(rec), preview, swapIds: [] };
    }

    if (p.kind === 'market') {
      const { preview } = await sweepPreview(m, p.side, amount, cap);
      if (p.dryRun) return { order: null, preview, swapIds: [] };
      const { rec, swapIds } = await marketOrder(m, p.side, amount, cap, null);
      return { order: myView(rec), preview, swapIds };
    }

    // stop
    if (p.triggerPrice === undefined) throw new ApiError('INVALID_PARAMS', 'A stop order needs a triggerPrice.');
    const trigger = priceParam(p.triggerPrice, m, 'triggerPrice');
    const limitPrice = p.price !== undefined ? priceParam(p.price, m, 'price') : null;
    const preview: Preview = limitPrice
      ? {
          fills: [],
          baseAmount: formatAmount(amount, dec.base),
          quoteAmount: formatAmount(quoteFor(limitPrice, amount, 'down'), dec.quote),
          averagePrice: priceText(limitPrice, dec),
          unfilled: '0',
          fees: await fees(m, p.side, 'maker', null, { partial: partial.allowed }),
        }
      : (await sweepPreview(m, p.side, amount, cap)).preview;
    if (p.dryRun) return { order: null, preview, swapIds: [] };
    requireWallets(m);
    const rec = stops.hold({
      market: m,
      side: p.side,
      baseAmount: amount,
      partial,
      trigger,
      limitPrice,
      priceCap: cap,
    });
    return { order: myView(rec), preview, swapIds: [] };
  }

  async function takeOrder(p: { orderId: string; amount?: string; dryRun?: boolean }): Promise<MakeResult> {
    const entry = d.book.find(p.orderId);
    if (!entry)
      throw new ApiError('NOT_FOUND', `No order ${p.orderId} is listed (it may have been taken, canceled or expired).`);
    const o = entry.order;
    const m = marketOf(o.market.base, o.market.quote);
    const dec = decOf(m.base, m.quote);
    if (o.maker.pubkey === myKey()) throw new ApiError('CONFLICT', 'That is an order of this node: cancel it instead.');
    const amount = p.amount !== undefined ? amountParam(p.amount, m.base, 'amount') : entry.remainingBase;
    if (!isValidFill(o.partial, entry.remainingBase, amount)) {
      throw new ApiError(
        'INVALID_PARAMS',
        o.partial.allowed
          ? `Take all ${formatAmount(entry.remainingBase, dec.base)} ${m.base}, or between ${formatAmount(o.partial.minBase, dec.base)} and ${formatAmount(entry.remainingBase - o.partial.minBase, dec.base)}.`
          : `This order is taken whole: ${formatAmount(entry.remainingBase, dec.base)} ${m.base}.`,
      );
    }
    const quote = fillQuote(o.price, amount, o.side);
    const preview: Preview = {
      fills: [
        {
          orderId: o.id,
          baseAmount: formatAmount(amount, dec.base),
          quoteAmount: formatAmount(quote, dec.quote),
          price: priceText(o.price, dec),
        },
      ],
      baseAmount: formatAmount(amount, dec.base),
      quoteAmount: formatAmount(quote, dec.quote),
      averagePrice: priceText(o.price, dec),
      unfilled: '0',
      fees: await fees(m, o.side, 'taker', takerFeeOf([o])),
    };
    if (p.dryRun) return { order: null, preview, swapIds: [] };
    requireWallets(m);
    const rec = newTakerRecord(m, sideOpposite(o.side), 'market', amount, o.price, null);
    const swapIds = await runFills(rec.id, [{ orderId: o.id, baseAmount: amount }]);
    const after = store.get(rec.id)!;
    if (swapIds.length === 0)
      throw new ApiError('PEER_REFUSED', `The order could not be taken: ${myView(after).reason ?? 'refused'}`, {
        order: myView(after),
      });
    return { order: myView(after), preview, swapIds };
  }

  function lockedAmount(ticker: string): bigint {
    let total = 0n;
    for (const r of store.all()) {
      if (r.kind === 'stop') continue;
      if (r.role === 'maker' && LISTING_ALIVE.includes(r.state) && r.price) {
        if (r.side === 'sell' && r.base === ticker) total += r.remainingBase;
        if (r.side === 'buy' && r.quote === ticker) total += fillQuote(r.price, r.remainingBase, 'buy');
      }
      if (r.role === 'taker') {
        for (const f of r.fills) {
          if (f.state !== 'accepting' && f.state !== 'hold') continue;
          const gives = f.makerSide === 'sell' ? r.quote : r.base;
          if (gives === ticker) total += f.makerSide === 'sell' ? f.quoteAmount : f.baseAmount;
        }
      }
    }
    return total;
  }

  return {
    async start() {
      await maker.start();
      unsubs.push(
        d.events.subscribe((e) => {
          if (e.event === 'swap.updated') onSwap(e.data as SwapSummary);
        }),
      );
      unsubs.push(
        store.onChange((rec) => {
          if (!stopped) d.events.emit('order.updated', myView(rec));
          if (rec.parentStop) {
            const parent = store.get(rec.parentStop);
            if (parent && parent.state !== rec.state)
              store.update(parent.id, (p) => {
                p.state = rec.state;
              });
          }
        }),
      );
      unsubs.push(
        d.book.onEvent((e) => {
          const key = marketKey(e.order.market);
          if (bookTimers.has(key)) return;
          const t = setTimeout(() => {
            bookTimers.delete(key);
            if (!stopped)
              d.events.emit('orderbook.changed', { base: e.order.market.base, quote: e.order.market.quote });
          }, 50);
          t.unref();
          bookTimers.set(key, t);
        }),
      );
      unsubs.push(
        d.history.onTrade((r) => {
          // Clients fold it into the last price, the candles and the trade lists (no polling).
          const view = d.history.trade(r.tradeId);
          if (view && !stopped) d.events.emit('trade.new', view);
          stops.onTrade(r.market, { num: r.price.num, den: r.price.den });
        }),
      );
      unsubs.push(d.registry.onChange(() => maker.reannounce()));
      // Fills of swaps that moved while we were down.
      for (const rec of store.all()) for (const f of rec.fills) if (f.holdId && !isTerminal(f.state)) catchUp(f.holdId);
      for (const rec of store.all()) {
        for (const f of rec.fills)
          if (rec.role === 'taker' && f.state === 'finished' && !f.recorded && f.holdId)
            void recordTrade(rec.id, f.holdId);
      }
    },
    stop() {
      stopped = true;
      maker.stop();
      for (const t of bookTimers.values()) clearTimeout(t);
      for (const u of unsubs.splice(0)) u();
    },
    makeOrder,
    takeOrder,
    async cancelOrder(orderId) {
      const rec = store.get(orderId);
      if (rec?.kind === 'stop') {
        if (rec.state !== 'new')
          throw new ApiError('CONFLICT', `The stop order already fired (${rec.state}); cancel the order it became.`);
        return myView(
          store.update(orderId, (r) => {
            r.state = 'canceled';
            r.reason = 'canceled by the user';
          })!,
        );
      }
      return myView(await maker.cancel(orderId));
    },
    getOrder(orderId) {
      const rec = store.get(orderId);
      if (rec) return myView(rec);
      const entry = d.book.find(orderId);
      if (entry)
        return networkOrderView(
          entry,
          decOf(entry.order.market.base, entry.order.market.quote),
          entry.order.maker.pubkey === myKey(),
        );
      throw new ApiError('NOT_FOUND', `No order ${orderId} is known here.`);
    },
    getOrders(base, quote) {
      const me = myKey();
      return d.markets
        .filter((m) => (!base || m.base === base) && (!quote || m.quote === quote))
        .flatMap((m) => {
          const book = d.book.book(m)!;
          const dec = decOf(m.base, m.quote);
          return [...book.list('sell'), ...book.list('buy')].map((e) =>
            networkOrderView(e, dec, e.order.maker.pubkey === me),
          );
        });
    },
    getMyOrders(includeClosed) {
      return store
        .all()
        .filter((r) => includeClosed || !isTerminal(r.state))
        .sort((a, b) => b.createdAt - a.createdAt)
        .map(myView);
    },
    getOrderBook(p) {
      const m = marketOf(p.base, p.quote);
      return bookView(d.book.book(m)!, p.detail ?? 2, p.depth ?? 50, decOf(m.base, m.quote), myKey(), d.now());
    },
    getMarkets() {
      return d.markets
        .map((m) => {
          const book = d.book.book(m)!;
          const last = d.history.lastPrice(m.base, m.quote);
          return {
            base: m.base,
            quote: m.quote,
            bothWalletsConnected: d.wallets.isConfigured(m.base) && d.wallets.isConfigured(m.quote),
            orders: book.size,
            last: last ? priceText(last, decOf(m.base, m.quote)) : null,
          };
        })
        .sort((a, b) => Number(b.bothWalletsConnected) - Number(a.bothWalletsConnected));
    },
    networkTokens() {
      const out = new Set<string>();
      for (const n of d.registry.known().values())
        for (const t of n.coins) if (d.coins.some((c) => c.ticker === t)) out.add(t);
      return [...out].sort();
    },
    serviceNodes() {
      return d.registry.all().map((e) => {
        const [txid = '', vout = '0'] = e.registration.collateral.outpoint.split(':');
        const ticker = e.registration.collateral.ticker;
        const decimals = d.coins.find((c) => c.ticker === ticker)?.decimals ?? 8;
        const fee = e.announce?.fee;
        return {
          peerId: e.registration.peerId,
          pubkey: e.registration.pubkey,
          coins: [...(e.announce?.coins ?? e.registration.coins)],
          collateral: { ticker, txid, vout: Number(vout), amount: formatAmount(e.collateralAmount ?? 0n, decimals) },
          verified: e.verified,
          fee: fee
            ? {
                ticker: fee.ticker,
                amount: formatAmount(fee.amount, d.coins.find((c) => c.ticker === fee.ticker)?.decimals ?? 8),
              }
            : null,
          lastSeen: e.lastSeen,
        };
      });
    },
    lockedAmount,
    makerCheck,
  };
}
