// Builds the order network of one node from its config: the service-node list, the network
// book, the trade history, the order service behind the API, and (role 'servicenode') the
// service-node role. Core calls this once; stop() takes it all down in reverse.
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { parseAmount } from '../../src-shared/money/index.ts';
import type { Logger } from '../kernel/log.ts';
import type { EventBus } from '../api/events.ts';
import type { WalletService } from '../wallets/wallet-service.ts';
import { collateralPolicyOf, marketsOf, type NodeConfig } from '../core/config.ts';
import type { P2pHost } from '../p2p/host.ts';
import type { StoreDatabase } from '../store/index.ts';
import { createServiceNodeRepo } from '../servicenode/repo.ts';
import { createTradeRepo } from '../history/repo.ts';
import { createOrderRepo } from './repo.ts';
import { createSettingsRepo } from '../settings/repo.ts';
import { createSettingsService } from '../settings/service.ts';
import type { SwapEngine } from '../swaps/engine.ts';
import type { Vault } from '../vault/index.ts';
import { createTradeHistory, type TradeHistory } from '../history/service.ts';
import { createServiceNodeRegistry, type ServiceNodeRegistry } from '../servicenode/registry.ts';
import { createServiceNodeRole, type ServiceNodeRole } from '../servicenode/service.ts';
import { lookupOutput, parseOutpoint } from './chain.ts';
import { createNetworkBook, type NetworkBook } from './network-book.ts';
import { createPeerScorer, vaultSigner } from './net.ts';
import { createOrderService, type OrderService } from './service.ts';

export interface OrderNetworkDeps {
  config: NodeConfig;
  coins: readonly CoinParams[];
  vault: Vault;
  wallets: WalletService;
  p2p: P2pHost;
  db: StoreDatabase;
  events: EventBus;
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

export async function startOrderNetwork(d: OrderNetworkDeps): Promise<OrderNetwork> {
  const now = d.now ?? Date.now;
  const cfg = d.config.orders;
  const coinOf = (t: string) => d.coins.find((c) => c.ticker === t);
  const scorer = createPeerScorer({ p2p: d.p2p, log: d.log, now });
  const policyCfg = collateralPolicyOf(d.config);
  const policyCoin = coinOf(policyCfg.ticker);
  const policy = {
    ticker: policyCfg.ticker,
    amount: parseAmount(policyCfg.amount, policyCoin?.decimals ?? 8),
    minConfirmations: policyCfg.minConfirmations,
  };
  const chainOf = (ticker: string) => (coinOf(ticker) && d.wallets.isConfigured(ticker) ? d.wallets.rpc(ticker) : null);

  const registry = createServiceNodeRegistry({
    p2p: d.p2p,
    log: d.log,
    now,
    policy,
    scorer,
    silentAfterMs: cfg.serviceNodeSilentMs,
    repo: createServiceNodeRepo(d.db),
    collateral: async (ticker, outpoint) => {
      const coin = coinOf(ticker);
      const rpc = chainOf(ticker);
      if (!coin || !rpc) return 'no-chain';
      return lookupOutput(rpc, coin, parseOutpoint(outpoint));
    },
  });
  const book = createNetworkBook({
    p2p: d.p2p,
    log: d.log,
    now,
    scorer,
    markets: marketsOf(d.config),
    offlineAfterMs: cfg.offlineAfterMs,
    sweepMs: cfg.sweepMs,
    serviceNodes: () => registry.known(),
    onServiceNodesChanged: (cb) => registry.onChange(cb),
    beforeSync: (peerId) => registry.syncFrom(peerId),
  });
  const settings = createSettingsService({ repo: createSettingsRepo(d.db), coins: d.coins });
  const late: { orders?: OrderService } = {};
  const history = createTradeHistory({
    p2p: d.p2p,
    log: d.log,
    now,
    repo: createTradeRepo(d.db),
    coins: d.coins,
    scorer,
    chains: chainOf,
    signer: () => (d.vault.status() === 'unlocked' ? vaultSigner(d.vault, 'order') : null),
    makerCheck: (record, peer) => (late.orders ? late.orders.makerCheck(record, peer) : 'the node is starting'),
  });
  const orders = createOrderService({
    network: d.config.network,
    markets: marketsOf(d.config),
    coins: d.coins,
    // As the swap engine proposes them: config.json pins a coin, else the user's setting now.
    confirmations: (t) => d.config.swaps.confirmations[t] ?? settings.confirmations(t),
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
    repo: createOrderRepo(d.db),
    events: d.events,
    log: d.log,
    now,
  });
  late.orders = orders;

  const stops: Array<() => void> = [];
  await registry.start();
  stops.push(() => registry.stop());
  await book.start();
  stops.push(() => book.stop());
  await history.start();
  stops.push(() => history.stop());
  await orders.start();
  stops.push(() => orders.stop());

  let role: ServiceNodeRole | null = null;
  if (d.config.role === 'servicenode' && d.config.servicenode) {
    const repo = createServiceNodeRepo(d.db);
    role = createServiceNodeRole({
      config: d.config.servicenode,
      coins: d.coins,
      vault: d.vault,
      wallets: d.wallets,
      p2p: d.p2p,
      registry,
      book,
      repo,
      log: d.log,
      now,
    });
    await role.start();
    const r = role;
    stops.push(() => r.stop());
    stops.push(history.onTrade((t) => r.traded(t.tradeId)));
  }
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
