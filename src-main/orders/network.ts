// Builds the order network of one node from its config, each part before the parts that use it:
// the service-node list, the network book, this node's order records and the maker's check of
// trade records (both read by the trade history and the order service), the trade history, the
// order service behind the API, and (role 'servicenode') the service-node role. Parts tell each
// other facts on the internal bus. The orders module (module.ts) calls this once; stop() takes it
// all down in reverse.
import type { CoinTable } from '../../src-shared/coins/table.ts';
import type { NetworkName } from '../../src-shared/coins/networks.ts';
import { parseAmount } from '../../src-shared/money/index.ts';
import type { EventBus } from '../api/events.ts';
import { createTradeRepo } from '../history/repo.ts';
import { createTradeHistory, type TradeHistory } from '../history/service.ts';
import type { InternalBus } from '../kernel/bus.ts';
import type { Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/host.ts';
import { createServiceNodeRegistry, type ServiceNodeRegistry } from '../servicenode/registry.ts';
import { collateralPolicyOf, type ServiceNodeConfig, type ServiceNodesConfig } from '../servicenode/config.ts';
import { createServiceNodeRepo } from '../servicenode/repo.ts';
import { createServiceNodeRole, type ServiceNodeRole } from '../servicenode/service.ts';
import type { StoreDatabase } from '../store/index.ts';
import type { SwapEngine } from '../swaps/engine.ts';
import type { Vault } from '../vault/index.ts';
import type { WalletService } from '../wallets/wallet-service.ts';
import { lookupOutput, parseOutpoint } from './chain.ts';
import { marketsOf, type OrdersConfig } from './config.ts';
import { createMakerCheck } from './maker-check.ts';
import { createPeerScorer, vaultSigner, type PeerScorer } from './net.ts';
import { createNetworkBook, type NetworkBook } from './network-book.ts';
import { createRecordStore } from './records.ts';
import { createOrderRepo } from './repo.ts';
import { createOrderService, type OrderService } from './service.ts';

/** The sections of config.json the order network reads. */
export interface OrderNetworkConfig {
  network: NetworkName;
  role: 'trader' | 'servicenode';
  orders: OrdersConfig;
  serviceNodes: ServiceNodesConfig;
  servicenode?: ServiceNodeConfig | undefined;
}

export interface OrderNetworkDeps {
  config: OrderNetworkConfig;
  coins: CoinTable;
  vault: Vault;
  wallets: WalletService;
  p2p: P2pHost;
  db: StoreDatabase;
  /** The client event bus: the order service pushes 'order.updated', 'orderbook.changed', 'trade.new'. */
  events: EventBus;
  /** The node's internal bus: 'swap.updated' heard (the swap engine tells it), 'trade.recorded' told. */
  bus: InternalBus;
  /** Least confirmations per coin as the swap engine proposes them (lock times in previews). */
  confirmations: (ticker: string) => number;
  log: Logger;
  swaps?: SwapEngine;
  now?: () => number;
}

export interface OrderNetwork {
  orders: OrderService;
  history: TradeHistory;
  registry: ServiceNodeRegistry;
  book: NetworkBook;
  role: ServiceNodeRole | null;
  stop(): void;
}

/** What every part shares. */
interface Ctx {
  d: OrderNetworkDeps;
  coins: CoinTable;
  bus: InternalBus;
  now: () => number;
  scorer: PeerScorer;
  /** A coin's daemon, when this node handles the coin and has a wallet on it. */
  chainOf: (ticker: string) => ReturnType<WalletService['rpc']> | null;
}

function buildRegistry(c: Ctx): ServiceNodeRegistry {
  const { d } = c;
  const policyCfg = collateralPolicyOf(d.config.network, d.config.serviceNodes);
  return createServiceNodeRegistry({
    p2p: d.p2p,
    log: d.log,
    now: c.now,
    policy: {
      ticker: policyCfg.ticker,
      amount: parseAmount(policyCfg.amount, c.coins.find(policyCfg.ticker)?.decimals ?? 8),
      minConfirmations: policyCfg.minConfirmations,
    },
    scorer: c.scorer,
    silentAfterMs: d.config.orders.serviceNodeSilentMs,
    repo: createServiceNodeRepo(d.db),
    collateral: async (ticker, outpoint) => {
      const coin = c.coins.find(ticker);
      const rpc = c.chainOf(ticker);
      if (!coin || !rpc) return 'no-chain';
      return lookupOutput(rpc, coin, parseOutpoint(outpoint));
    },
  });
}

function buildBook(c: Ctx, registry: ServiceNodeRegistry): NetworkBook {
  const { d } = c;
  return createNetworkBook({
    p2p: d.p2p,
    log: d.log,
    now: c.now,
    scorer: c.scorer,
    markets: marketsOf(d.config.network, d.config.orders),
    offlineAfterMs: d.config.orders.offlineAfterMs,
    sweepMs: d.config.orders.sweepMs,
    serviceNodes: () => registry.known(),
    onServiceNodesChanged: (cb) => registry.onChange(cb),
    beforeSync: (peerId) => registry.syncFrom(peerId),
  });
}

/** This node's orders, the maker's check over them, the trade history that asks it, and the order service. */
function buildTrading(c: Ctx, registry: ServiceNodeRegistry, book: NetworkBook) {
  const { d, coins, bus, now } = c;
  const records = createRecordStore(createOrderRepo(d.db), d.log, now);
  const history = createTradeHistory({
    p2p: d.p2p,
    log: d.log,
    now,
    repo: createTradeRepo(d.db),
    coins,
    bus,
    scorer: c.scorer,
    chains: c.chainOf,
    signer: () => (d.vault.status() === 'unlocked' ? vaultSigner(d.vault, 'order') : null),
    makerCheck: createMakerCheck({ records, ...(d.swaps ? { swaps: d.swaps } : {}) }),
  });
  const cfg = d.config.orders;
  const orders = createOrderService({
    markets: marketsOf(d.config.network, d.config.orders),
    coins,
    confirmations: d.confirmations,
    keepaliveMs: cfg.keepaliveMs,
    orderLifetimeMs: cfg.orderLifetimeMs,
    holdTimeoutMs: cfg.holdTimeoutMs,
    maxTakerFee: cfg.maxTakerFee,
    vault: d.vault,
    wallets: d.wallets,
    p2p: d.p2p,
    book,
    registry,
    history,
    ...(d.swaps ? { swaps: d.swaps } : {}),
    records,
    bus,
    events: d.events,
    log: d.log,
    now,
  });
  return { history, orders };
}

async function startRole(c: Ctx, registry: ServiceNodeRegistry, book: NetworkBook): Promise<ServiceNodeRole | null> {
  const { d } = c;
  if (d.config.role !== 'servicenode' || !d.config.servicenode) return null;
  const role = createServiceNodeRole({
    config: d.config.servicenode,
    coins: c.coins,
    vault: d.vault,
    wallets: d.wallets,
    p2p: d.p2p,
    registry,
    book,
    repo: createServiceNodeRepo(d.db),
    bus: c.bus,
    log: d.log,
    now: c.now,
  });
  await role.start();
  return role;
}

export async function startOrderNetwork(d: OrderNetworkDeps): Promise<OrderNetwork> {
  const now = d.now ?? Date.now;
  const stops: Array<() => void> = [];
  const { coins } = d;
  const c: Ctx = {
    d,
    coins,
    bus: d.bus,
    now,
    scorer: createPeerScorer({ p2p: d.p2p }),
    chainOf: (ticker) => (coins.has(ticker) && d.wallets.isConfigured(ticker) ? d.wallets.rpc(ticker) : null),
  };
  const registry = buildRegistry(c);
  const book = buildBook(c, registry);
  const { history, orders } = buildTrading(c, registry, book);

  for (const part of [registry, book, history, orders]) {
    await part.start();
    stops.push(() => part.stop());
  }
  const role = await startRole(c, registry, book);
  if (role) stops.push(() => role.stop());
  return {
    orders,
    history,
    registry,
    book,
    role,
    stop() {
      for (const s of stops.reverse()) s();
    },
  };
}
