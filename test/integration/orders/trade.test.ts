// One service node and three traders (separate processes) on two real regtest chains: a maker's
// limit order is signed by the service node and shows in every book; a taker takes it; the swap
// completes; the trade record, signed by both, and its candle reach every node. Partial fills keep
// the remainder listed; a cancel leaves every book.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoMine } from '../../support/swap-node.ts';
import { COIN, OrderNode, connectAll, startOrderNet, type OrderNet } from '../../support/order-node.ts';

let net: OrderNet;
let sn: OrderNode;
let maker: OrderNode;
let taker: OrderNode;
let watcher: OrderNode;
let miner: ReturnType<typeof autoMine>;

beforeAll(async () => {
  net = await startOrderNet();
  sn = await OrderNode.createServiceNode('sn', { root: net.root, chains: net.dev });
  net.nodes.push(sn);
  [maker, taker, watcher] = await Promise.all([
    OrderNode.create('maker', { root: net.root, chains: net.dev, funds: { DEVA: 30n * COIN, DEVB: 1n * COIN }, splitInto: 6 }, [sn]),
    OrderNode.create('taker', { root: net.root, chains: net.dev, funds: { DEVB: 40n * COIN, DEVA: 1n * COIN }, splitInto: 4 }, [sn]),
    OrderNode.create('watcher', { root: net.root, chains: net.dev }, [sn]),
  ]);
  net.nodes.push(maker, taker, watcher);
  await connectAll(net.nodes);
  miner = autoMine(net.dev);
  for (const n of net.nodes) await n.until(() => n.call('getServiceNodes', {}), (l) => l.some((x) => x.fee !== null && x.verified === 'yes'), 'service node listed', 30_000);
});

afterAll(async () => {
  await miner?.stop();
  await net?.cleanup();
});

describe('order network: make, see, take, trade', () => {
  it('a limit order signed by the service node shows in every book, and a taker swaps it to completion', async () => {
    const made = await maker.call('makeOrder', { base: 'DEVA', quote: 'DEVB', side: 'sell', amount: '2', price: '0.5' });
    expect(made.order).toMatchObject({ state: 'open', side: 'sell', baseAmount: '2', quoteAmount: '1', price: '0.5', mine: true });
    const id = made.order!.id;
    for (const n of [sn, taker, watcher]) {
      await n.until(() => n.call('getOrders', { base: 'DEVA', quote: 'DEVB' }), (l) => l.some((o) => o.id === id), 'order listed', 15_000);
    }
    const book = await watcher.call('getOrderBook', { base: 'DEVA', quote: 'DEVB', detail: 2 });
    expect(book.asks[0]).toMatchObject({ price: '0.5', amount: '2', count: 1 });

    const preview = await taker.call('takeOrder', { orderId: id, dryRun: true });
    expect(preview.preview.fees.takerFee).toEqual({ ticker: 'DEVB', amount: '0.001' });
    const took = await taker.call('takeOrder', { orderId: id });
    expect(took.swapIds).toHaveLength(1);
    const swapId = took.swapIds[0]!;
    for (const n of [sn, maker, watcher]) {
      await n.until(() => n.call('getOrders', {}), (l) => !l.some((o) => o.id === id), 'held order left the book', 15_000);
    }
    const done = await taker.until(() => taker.call('getOrder', { orderId: took.order!.id }), (o) => o.state === 'finished', 'take finished', 120_000);
    expect(done.swapIds).toEqual([swapId]);
    await maker.until(() => maker.call('getOrder', { orderId: id }), (o) => o.state === 'finished', 'maker order finished', 60_000);
    for (const n of [sn, maker, taker, watcher]) {
      const fills = await n.until(() => n.call('getOrderFills', { base: 'DEVA', quote: 'DEVB' }), (l) => l.some((t) => t.id === swapId), 'trade record', 60_000);
      expect(fills.find((t) => t.id === swapId)).toMatchObject({ price: '0.5', baseAmount: '2', quoteAmount: '1', orderId: id });
      const h = await n.call('getOrderHistory', { base: 'DEVA', quote: 'DEVB', interval: '1m' });
      expect(h.candles.at(-1)).toMatchObject({ open: '0.5', close: '0.5', volumeBase: '2', trades: 1 });
      expect(h.stats.last).toBe('0.5');
    }
    const verified = await watcher.until(() => watcher.call('getOrderFills', {}), (l) => l[0]?.verified === 'yes', 'trade checked on chain', 30_000);
    expect(verified[0]!.mine).toBe(false);
  });
});
