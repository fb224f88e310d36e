// The contract's methods bound to the node's services. Each handler is a line or two: the
// logic lives in the services; validation already happened in the dispatcher.
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import type { Handlers } from './dispatcher.ts';
import type { NodeConfig } from '../core/config.ts';
import type { Vault } from '../vault/index.ts';
import type { SettingsService } from '../settings/service.ts';
import type { WalletService } from '../wallets/wallet-service.ts';
import type { P2pHost } from '../p2p/host.ts';
import type { SwapEngine } from '../swaps/engine.ts';
import { parseAmount } from '../../src-shared/money/index.ts';
import type { OrderService } from '../orders/service.ts';
import type { TradeHistory } from '../history/service.ts';

export interface HandlerDeps {
  version: string;
  config: NodeConfig;
  coins: CoinParams[];
  vault: Vault;
  wallets: WalletService;
  p2p: P2pHost;
  startedAt: number;
  now: () => number;
  /** The swap engine; absent in hosts that run no swaps. */
  swaps?: SwapEngine;
  settings: SettingsService;
  /** The order network (src-main/orders); absent in hosts that run none. */
  orders?: OrderService;
  history?: TradeHistory;
}

export function createHandlers(d: HandlerDeps): Handlers {
  const known = (ticker: string): string => {
    if (!d.coins.some((c) => c.ticker === ticker)) {
      throw new ApiError(
        'NOT_FOUND',
        `this node does not handle ${ticker} on ${d.config.network} (it handles ${d.coins.map((c) => c.ticker).join(', ')})`,
      );
    }
    return ticker;
  };
  // ---- swaps: decimal strings in, base units to the engine
  const engine = (): SwapEngine => {
    if (!d.swaps) throw new ApiError('METHOD_NOT_FOUND', 'This node runs no swap engine.');
    return d.swaps;
  };
  const leg = (l: { ticker: string; amount: string }) => {
    const coin = d.coins.find((c) => c.ticker === known(l.ticker));
    try {
      return { ticker: l.ticker, amount: parseAmount(l.amount, coin?.decimals ?? 8) };
    } catch (err) {
      throw new ApiError('INVALID_PARAMS', `${l.amount} is not a ${l.ticker} amount: ${(err as Error).message}`);
    }
  };
  // ---- order network: decimal strings in and out; the service does the rest
  const orders = (): OrderService => {
    if (!d.orders) throw new ApiError('METHOD_NOT_FOUND', 'This node runs no order network.');
    return d.orders;
  };
  const history = (): TradeHistory => {
    if (!d.history) throw new ApiError('METHOD_NOT_FOUND', 'This node keeps no trade history.');
    return d.history;
  };
  return {
    'node.info': () => ({
      version: d.version,
      network: d.config.network,
      role: d.config.role,
      peerId: d.p2p.peerId,
      uptimeSec: Math.floor((d.now() - d.startedAt) / 1000),
    }),

    'vault.status': () => ({ state: d.vault.status() }),
    'vault.create': async (p) => {
      const { mnemonic } = await d.vault.create(p.password, { passphrase: p.passphrase, words: p.words ?? 24 });
      return { mnemonic, state: d.vault.status() };
    },
    'vault.restore': async (p) => {
      await d.vault.restore(p.mnemonic, p.password, p.passphrase);
      return { state: d.vault.status() };
    },
    'vault.unlock': async (p) => {
      await d.vault.unlock(p.password);
      return { state: d.vault.status() };
    },
    'vault.lock': () => {
      // Claims and refunds are signed with vault keys: locking mid-swap could let a deadline
      // pass unsigned and strand coins, so the vault stays open until every swap has ended.
      const live = d.swaps?.stats().liveSwaps ?? 0;
      if (live > 0) {
        throw new ApiError(
          'CONFLICT',
          `${live} swap${live === 1 ? ' is' : 's are'} in progress and need${live === 1 ? 's' : ''} the vault's keys to claim or refund; the vault can be locked once ${live === 1 ? 'it has' : 'they have'} ended.`,
          { liveSwaps: live },
        );
      }
      d.vault.lock();
      return { state: d.vault.status() };
    },

    'coins.list': () =>
      d.coins.map((c) => ({
        ticker: c.ticker,
        name: c.name,
        network: c.network,
        decimals: c.decimals,
        blockTimeSec: c.blockTimeSec,
        defaultConfirmations: c.defaultConfirmations,
      })),

    'wallets.list': () => d.wallets.list(),
    'wallets.detect': (p) => d.wallets.detect(known(p.ticker)),
    'wallets.test': (p) => d.wallets.test(known(p.ticker), p.connection),
    'wallets.connect': (p) => d.wallets.connect(known(p.ticker), p.connection),
    'wallets.disconnect': (p) => d.wallets.disconnect(known(p.ticker)),
    'wallets.balance': (p) => d.wallets.balance(known(p.ticker)),
    'wallets.newAddress': (p) => d.wallets.newAddress(known(p.ticker), p.label),
    'wallets.utxos': (p) => d.wallets.utxos(known(p.ticker)),
    'wallets.feeEstimate': (p) => d.wallets.feeEstimate(known(p.ticker), p.targetBlocks),

    'p2p.info': () => ({ peerId: d.p2p.peerId, listenAddrs: d.p2p.listenAddrs() }),
    'p2p.peers': () => d.p2p.peers(),
    'p2p.dial': async (p) => ({ peerId: await d.p2p.dial(p.addr) }),

    'swaps.start': (p) => engine().startSwap({ peerId: p.peerId, sell: leg(p.sell), buy: leg(p.buy) }),
    'swaps.allow': (p) => ({
      ok: true as const,
      ...engine().allow({
        peerId: p.peerId,
        sell: leg(p.sell),
        buy: leg(p.buy),
        ...(p.ttlSec !== undefined ? { ttlMs: p.ttlSec * 1000 } : {}),
      }),
    }),
    'swaps.list': () => engine().list(),
    'swaps.get': (p) => engine().get(p.swapId),
    'swaps.abort': (p) => engine().abort(p.swapId),
    'swaps.stats': () => engine().stats(),

    getSwap: (p) => engine().get(p.swapId),
    getSwaps: () => engine().list(),
    getLocalTokens: () => d.coins.filter((c) => d.wallets.isConfigured(c.ticker)).map((c) => c.ticker),
    getTokenBalances: async () => {
      const out: Record<string, Awaited<ReturnType<WalletService['balance']>>> = {};
      for (const c of d.coins) if (d.wallets.isConfigured(c.ticker)) out[c.ticker] = await d.wallets.balance(c.ticker);
      return out;
    },
    getNewTokenAddress: (p) => d.wallets.newAddress(known(p.ticker)),

    makeOrder: (p) => orders().makeOrder(p),
    takeOrder: (p) => orders().takeOrder(p),
    cancelOrder: (p) => orders().cancelOrder(p.orderId),
    getOrder: (p) => orders().getOrder(p.orderId),
    getOrders: (p) => orders().getOrders(p.base, p.quote),
    getMyOrders: (p) => orders().getMyOrders(p.includeClosed ?? false),
    getOrderBook: (p) => orders().getOrderBook(p),
    getOrderFills: (p) => history().fills(p),
    getOrderHistory: (p) => {
      known(p.base);
      known(p.quote);
      return history().history(p.base, p.quote, p.interval, p.from, p.to);
    },
    getMarkets: () => orders().getMarkets(),
    getNetworkTokens: () => orders().networkTokens(),
    getServiceNodes: () => orders().serviceNodes(),

    'settings.get': () => d.settings.get(),
    'settings.set': (p) => d.settings.set(p),
  };
}
