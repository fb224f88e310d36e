// The orders module: the network book of the markets this node follows and the order service
// behind the API (limit, market and stop orders, takes, cancels, the user's orders), with the
// coins its open orders reserve (docs/protocol.md §12).
import { defineModule } from '../kernel/module.ts';
import { marketsOf, OrdersConfig } from './config.ts';
import { m0001Orders } from './migrations/0001_orders.ts';
import { m0002RollbackFailed } from './migrations/0002_rollback_failed.ts';
import { createPeerScorer } from './net.ts';
import { createNetworkBook, type NetworkBook } from './network-book.ts';
import { watchOrderPropagation } from './metrics.ts';
import { createOrderService } from './service.ts';
import { orderVerifier } from './verifier.ts';

declare module '../kernel/module.ts' {
  interface Components {
    book: NetworkBook;
  }
}

export const ordersModule = defineModule({
  name: 'orders',
  config: { orders: OrdersConfig.default(() => OrdersConfig.parse({})) },
  schema: { domain: 'orders', migrations: [m0001Orders, m0002RollbackFailed] },
  needs: [
    'vault',
    'wallets',
    'p2p',
    'swaps',
    'confirmations',
    'reservations',
    'serviceNodes',
    'history',
    'orderRecords',
    'makerIdentities',
    'metrics',
  ],
  provides: ['book'],
  create(c, config) {
    const cfg = config.orders;
    const markets = marketsOf(c.network, cfg);
    const registry = c.serviceNodes;
    const book = createNetworkBook({
      p2p: c.p2p,
      log: c.log,
      now: c.now,
      scorer: createPeerScorer({ p2p: c.p2p }),
      markets,
      offlineAfterMs: cfg.offlineAfterMs,
      sweepMs: cfg.sweepMs,
      serviceNodes: () => registry.known(),
      onServiceNodesChanged: (cb) => registry.onChange(cb),
      beforeSync: (peerId) => registry.syncFrom(peerId),
      verifier: orderVerifier(),
    });
    watchOrderPropagation(c.metrics, book, c.now);
    const orders = createOrderService({
      markets,
      coins: c.coins,
      // As the swap engine proposes them: config.json pins a coin, else the user's setting now.
      confirmations: c.confirmations,
      keepaliveMs: cfg.keepaliveMs,
      orderLifetimeMs: cfg.orderLifetimeMs,
      holdTimeoutMs: cfg.holdTimeoutMs,
      swapStartMs: cfg.swapStartMs,
      ...(c.host.crashAt ? { crashAt: c.host.crashAt } : {}),
      maxTakerFee: cfg.maxTakerFee,
      feeCap: (ticker) => c.swaps?.feeCap(ticker),
      vault: c.vault,
      wallets: c.wallets,
      p2p: c.p2p,
      book,
      registry,
      history: c.history,
      swaps: c.swaps,
      records: c.orderRecords,
      bus: c.bus,
      events: c.events,
      log: c.log,
      now: c.now,
      makerIdentity: (key, peerId) => c.makerIdentities.ofOrderKey(key, peerId),
    });
    const offs: Array<() => void> = [];
    return {
      provides: { book },
      async start() {
        await book.start();
        await orders.start();
        offs.push(c.reservations.addSource('orders', (ticker) => orders.lockedAmount(ticker)));
        // Any change of one of our orders may lock or free coins.
        offs.push(c.orderRecords.onChange(() => c.reservations.changed('orders')));
      },
      stop() {
        for (const off of offs.splice(0)) off();
        orders.stop();
        book.stop();
      },
      handlers: {
        'orders.make': (p) => orders.makeOrder(p),
        'orders.take': (p) => orders.takeOrder(p),
        'orders.cancel': (p) => orders.cancelOrder(p.orderId),
        'orders.get': (p) => orders.getOrder(p.orderId),
        'orders.list': (p) => orders.getOrders(p.base, p.quote),
        'orders.mine': (p) => orders.getMyOrders(p.includeClosed ?? false),
        'orders.book': (p) => orders.getOrderBook(p),
        'orders.markets': () => orders.getMarkets(),
        'orders.coins': (p) => orders.coins(p),
        'orders.splitCoins': (p) => orders.splitCoins(p),
      },
    };
  },
});
