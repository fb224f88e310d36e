// The order service behind the dx-named API, wired from its parts: params (the API's strings as
// exact terms), preview (the dry run), making (limit, market and stop orders, cancels), taking,
// the maker and taker sides of the network protocol, fill tracking (fills follow their swaps,
// heard as the internal fact 'swaps.updated'), the taker's trade records, the user's view of its
// own orders, market views and client events. Coins backing open orders count as locked.
import { ApiError } from '../../src-shared/api/errors.ts';
import type { Params, Result } from '../../src-shared/api/contract.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { parseAmount } from '../../src-shared/money/index.ts';
import type { Market } from '../../src-shared/orders/types.ts';
import type { EventBus } from '../api/events.ts';
import type { InternalBus } from '../kernel/bus.ts';
import type { Logger } from '../kernel/log.ts';
import '../swaps/facts.ts';
import type { TradeHistory } from '../history/index.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { ServiceNodeRegistry } from '../servicenode/index.ts';
import type { SwapEngine } from '../swaps/index.ts';
import type { Vault } from '../vault/index.ts';
import type { WalletService } from '../wallets/index.ts';
import { createBackingWatch } from './backing.ts';
import { startClientEvents } from './client-events.ts';
import { coinsView, splitCoins } from './coin-api.ts';
import { createCoinPrep } from './coin-prep.ts';
import { createCoinLocks } from './coin-locks.ts';
import { createFillTracking } from './fill-tracking.ts';
import { createMaker } from './maker.ts';
import { createMaking, fireStop } from './making.ts';
import { createMarketViews } from './market-views.ts';
import { createMyOrders } from './my-orders.ts';
import { SeqCounter, vaultSigner } from './net.ts';
import type { NetworkBook } from './network-book.ts';
import { createOrderParams, type MakeParams } from './params.ts';
import { createOrderPreview } from './preview.ts';
import type { RecordStore } from './records.ts';
import { lockedAmount, reservedOutpoints } from './reserved.ts';
import { createRecovery } from './recovery.ts';
import { createStopOrders, followFiredOrders } from './stops.ts';
import { createTaker } from './taker.ts';
import { createTakerRecords } from './taker-record.ts';
import { createTaking } from './taking.ts';
import type { MakerIdentityOf, OrderViewT } from './views.ts';

type MakeResult = Result<'orders.make'>;

export interface OrderServiceDeps {
  markets: readonly Market[];
  /** The user's fee cap per coin, sat/vB: coin splits stay under it (coin-prep). */
  feeCap?: (ticker: string) => bigint | undefined;
  coins: CoinTable;
  /** The user's risk setting (least confirmations per coin) as it is now, for the lock preview. */
  confirmations: (ticker: string) => number;
  keepaliveMs: number;
  orderLifetimeMs: number;
  holdTimeoutMs: number;
  /** How long a taker's agreement to the maker's swap lasts, and its held fill waits for that swap (docs/orders.md §9). */
  swapStartMs: number;
  /** Test hook: a SIGKILL at a named step of the order layer (docs/orders.md §9). */
  crashAt?: (point: string) => void;
  /** Most taker fee per fill, by fee coin, as decimal strings. */
  maxTakerFee: Readonly<Record<string, string>>;
  vault: Pick<Vault, 'status' | 'networkPublicKey' | 'signNetworkDigest'>;
  wallets: Pick<WalletService, 'rpc' | 'newAddress' | 'isConfigured' | 'balanceUnits' | 'feeEstimate' | 'utxos'>;
  p2p: Pick<P2pHost, 'peerId' | 'publish' | 'handleRequest' | 'request'>;
  book: NetworkBook;
  registry: ServiceNodeRegistry;
  history: Pick<TradeHistory, 'lastPrice' | 'recordAsTaker' | 'onTrade' | 'noteHold'>;
  swaps?: Pick<SwapEngine, 'startSwap' | 'allow' | 'get'>;
  /** This node's own orders (shared with the maker's check of trade records). */
  records: RecordStore;
  /** Internal facts: 'swaps.updated' in, 'trade.recorded' heard for clients. */
  bus: Pick<InternalBus, 'on'>;
  /** The client event bus: 'orders.updated', 'orders.bookChanged', 'history.trade' out. */
  events: EventBus;
  log: Logger;
  now: () => number;
  /** The verified identity a maker shows on its orders, if any (docs/identity.md §9). */
  makerIdentity?: MakerIdentityOf;
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
  getOrderBook(p: { base: string; quote: string; detail?: 1 | 2 | 3; depth?: number }): Result<'orders.book'>;
  getMarkets(): Result<'orders.markets'>;
  /** Coins of `ticker` reserved by open orders and takes not yet handed to the swap engine. */
  lockedAmount(ticker: string): bigint;
  coins(p: Params<'orders.coins'>): Promise<Result<'orders.coins'>>;
  splitCoins(p: Params<'orders.splitCoins'>): Promise<Result<'orders.splitCoins'>>;
}

type Parts = ReturnType<typeof buildParts>;

function buildParts(d: OrderServiceDeps) {
  const life = { stopped: false };
  const { records, log, now } = d;
  const seq = new SeqCounter(now);
  const myKey = (): string | null => (d.vault.status() === 'unlocked' ? vaultSigner(d.vault, 'order').publicKey : null);
  const isConfigured = (t: string) => d.wallets.isConfigured(t);
  const params = createOrderParams({ markets: d.markets, coins: d.coins, isConfigured });
  const net = { ...d, seq };
  const coinPrep = createCoinPrep(d);
  const backing = createBackingWatch({
    ...d,
    changed: (m) => d.events.emit('orders.bookChanged', { base: m.base, quote: m.quote }),
  });
  const tickers = [...new Set(d.markets.flatMap((m) => [m.base, m.quote]))];
  const coinLocks = createCoinLocks({ wallets: d.wallets, records, tickers, log });
  const maker = createMaker({
    ...net,
    freeBacking: () => coinLocks.reconcile(),
    reservedOutpoints: () => reservedOutpoints(records.all()),
    prepare: (ticker, amount) => coinPrep.exactCoin(ticker, amount, false),
  });
  const taker = createTaker({
    ...net,
    allowTtlMs: d.swapStartMs,
    maxTakerFee: (t) => (d.maxTakerFee[t] === undefined ? null : parseAmount(d.maxTakerFee[t]!, d.coins.decimals(t))),
  });
  const mine = createMyOrders({ ...d, backing: backing.cached });
  const preview = createOrderPreview({ ...d, feeFor: taker.feeFor, myKey, backing: backing.check });
  const takerRecords = createTakerRecords({ ...d, myKey });
  const fills = createFillTracking({
    ...d,
    released: maker.release,
    finished: (recId, swapId) => void takerRecords.record(recId, swapId),
  });
  const stopped = () => life.stopped;
  const taking = createTaking({
    ...d,
    taker,
    params,
    preview,
    backing: backing.check,
    view: mine.view,
    catchUp: fills.catchUp,
    myKey,
    stopped,
  });
  const stops = createStopOrders({
    store: records,
    lastPrice: (m) => d.history.lastPrice(m.base, m.quote),
    fire: (id) => void fireStop({ records, maker, taking, log }, id),
    log,
    now,
  });
  const making = createMaking({ ...d, maker, taking, stops, params, preview, view: mine.view, myKey, coinPrep });
  const views = createMarketViews({
    ...d,
    params,
    lastPrice: (base, quote) => d.history.lastPrice(base, quote),
    isConfigured,
    myKey,
    backing: backing.cached,
  });
  const coinApi = { coins: d.coins, prep: coinPrep, params, tickers };
  const recovery = createRecovery({ ...d, taker, maker, catchUp: fills.catchUp });
  return { life, maker, fills, takerRecords, stops, making, taking, mine, views, coinLocks, coinApi, recovery };
}

async function start(d: OrderServiceDeps, p: Parts, unsubs: Array<() => void>): Promise<void> {
  await p.maker.start();
  unsubs.push(d.bus.on('swaps.updated', p.fills.onSwap));
  // Clients hear of a change before a fired stop follows it (the stop's own change comes next).
  unsubs.push(startClientEvents({ ...d, view: p.mine.view }));
  unsubs.push(followFiredOrders(d.records));
  unsubs.push(d.history.onTrade((r) => p.stops.onTrade(r.market, { num: r.price.num, den: r.price.den })));
  unsubs.push(d.registry.onChange(() => p.maker.reannounce()));
  // Every hold seen binds its trade's record to the maker and taker it names (docs/orders.md §6).
  unsubs.push(
    d.book.onEvent((e) => {
      if (e.type !== 'held') return;
      const { hold } = e;
      d.history.noteHold(e.holdId, {
        orderId: hold.orderId,
        maker: e.order.maker.pubkey,
        taker: hold.taker,
        serviceNode: hold.serviceNode,
        baseAmount: hold.baseAmount,
        quoteAmount: hold.quoteAmount,
      });
    }),
  );
  p.fills.catchUpAll();
  // Every fill not at an end is driven to one (docs/orders.md §9); takes may wait on the network.
  void p.recovery.start();
  p.takerRecords.resume();
  // Backing coins are locked while their order is open, and released when it ends (docs/orders.md §4).
  unsubs.push(
    d.records.onChange((rec) => {
      if (rec.role === 'maker') void p.coinLocks.reconcile();
    }),
  );
  void p.coinLocks.reconcileAtStart();
}

async function settled<T>(out: T, locks: { reconcile(): Promise<void> }): Promise<T> {
  await locks.reconcile();
  return out;
}

export function createOrderService(d: OrderServiceDeps): OrderService {
  const p = buildParts(d);
  const unsubs: Array<() => void> = [];
  return {
    start: () => start(d, p, unsubs),
    stop() {
      p.life.stopped = true;
      p.maker.stop();
      p.recovery.stop();
      for (const u of unsubs.splice(0)) u();
    },
    // A make or cancel answers once the wallet's locks agree with it, so the balances the user
    // looks at next show the coins locked or free (the reconcile a record change queues).
    makeOrder: async (q) => settled(await p.making.makeOrder(q), p.coinLocks),
    takeOrder: p.taking.takeOrder,
    cancelOrder: async (id) => settled(await p.making.cancelOrder(id), p.coinLocks),
    getOrder(orderId) {
      const rec = d.records.get(orderId);
      if (rec) return p.mine.view(rec);
      const listed = p.views.listed(orderId);
      if (listed) return listed;
      throw new ApiError('NOT_FOUND', `No order ${orderId} is known here.`);
    },
    getOrders: p.views.orders,
    getMyOrders: p.mine.list,
    getOrderBook: p.views.orderBook,
    getMarkets: p.views.markets,
    lockedAmount: (ticker) => lockedAmount(d.records.all(), ticker, p.coinLocks.locked(ticker)),
    coins: (q) => coinsView(p.coinApi, q),
    splitCoins: (q) => splitCoins(p.coinApi, q),
  };
}
