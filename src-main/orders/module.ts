// The orders module: the order network (service-node list, books, trade history, the user's
// orders, and on a service node the service-node role) as a part of the node (docs/protocol.md).
import { ApiError } from '../../src-shared/api/errors.ts';
import { defineModule } from '../kernel/module.ts';
import { OrdersConfig } from './config.ts';
import { m0001Orders } from './migrations/0001_orders.ts';
import { startOrderNetwork, type OrderNetwork } from './network.ts';

export const ordersModule = defineModule({
  name: 'orders',
  config: { orders: OrdersConfig.default(() => OrdersConfig.parse({})) },
  schema: { domain: 'orders', migrations: [m0001Orders] },
  needs: ['vault', 'wallets', 'p2p', 'swaps', 'confirmations', 'reservations', 'serviceNodeConfig'],
  create(c, config) {
    let net: OrderNetwork | undefined;
    const offs: Array<() => void> = [];
    const running = (): OrderNetwork => {
      if (!net) throw new ApiError('METHOD_NOT_FOUND', 'This node runs no order network.');
      return net;
    };
    return {
      async start() {
        net = await startOrderNetwork({
          config: { network: c.network, role: c.role, orders: config.orders, ...c.serviceNodeConfig },
          coins: c.coins,
          vault: c.vault,
          wallets: c.wallets,
          p2p: c.p2p,
          db: c.db,
          events: c.events,
          bus: c.bus,
          // As the swap engine proposes them: config.json pins a coin, else the user's setting now.
          confirmations: c.confirmations,
          log: c.log,
          swaps: c.swaps,
        });
        const orders = net.orders;
        offs.push(c.reservations.addSource('orders', (ticker) => orders.lockedAmount(ticker)));
        offs.push(
          c.events.subscribe((e) => {
            if (e.event === 'order.updated' && e.data.mine) c.reservations.changed('orders');
          }),
        );
      },
      stop() {
        for (const off of offs.splice(0)) off();
        net?.stop();
      },
      handlers: {
        makeOrder: (p) => running().orders.makeOrder(p),
        takeOrder: (p) => running().orders.takeOrder(p),
        cancelOrder: (p) => running().orders.cancelOrder(p.orderId),
        getOrder: (p) => running().orders.getOrder(p.orderId),
        getOrders: (p) => running().orders.getOrders(p.base, p.quote),
        getMyOrders: (p) => running().orders.getMyOrders(p.includeClosed ?? false),
        getOrderBook: (p) => running().orders.getOrderBook(p),
        getMarkets: () => running().orders.getMarkets(),
        getOrderFills: (p) => running().history.fills(p),
        getOrderHistory: (p) => {
          c.coins.get(p.base);
          c.coins.get(p.quote);
          return running().history.history(p.base, p.quote, p.interval, p.from, p.to);
        },
        getNetworkTokens: () => running().orders.networkTokens(),
        getServiceNodes: () => running().orders.serviceNodes(),
      },
    };
  },
});
