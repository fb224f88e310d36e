// What a UI connected over the WebSocket is told while a trade happens (found by the e2e suite):
// the taker's order counts as filled only once a service node held it (never while its accept is
// still on the way, when it may be refused), and every node pushes the finished trade as
// `trade.new`, which the UI folds into the last price, the candles and the trade lists.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventFrame } from '../../../src-shared/api/wire.ts';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../../src-shared/api/client.ts';
import { autoMine } from '../../support/swap-node.ts';
import { COIN, OrderNode, connectAll, startOrderNet, type OrderNet } from '../../support/order-node.ts';

let net: OrderNet;
let sn: OrderNode;
let maker: OrderNode;
let taker: OrderNode;
let miner: ReturnType<typeof autoMine>;
const sockets: WebSocket[] = [];

/** Every event a node pushes to a UI from now on. */
async function listen(node: OrderNode): Promise<EventFrame[]> {
  const token = readFileSync(path.join(node.dataDir, 'api-token'), 'utf8').trim();
  const ws = new WebSocket(`ws://127.0.0.1:${node.apiPort}/api/ws`, [WS_PROTOCOL, WS_TOKEN_PREFIX + token]);
  sockets.push(ws);
  const frames: EventFrame[] = [];
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as EventFrame;
    if (typeof f.event === 'string') frames.push(f);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return frames;
}

beforeAll(async () => {
  net = await startOrderNet();
  sn = await OrderNode.createServiceNode('sn', { root: net.root, chains: net.dev });
  net.nodes.push(sn);
  [maker, taker] = await Promise.all([
    OrderNode.create(
      'maker',
      { root: net.root, chains: net.dev, funds: { DEVA: 5n * COIN, DEVB: 1n * COIN }, splitInto: 2 },
      [sn],
    ),
    OrderNode.create(
      'taker',
      { root: net.root, chains: net.dev, funds: { DEVB: 5n * COIN, DEVA: 1n * COIN }, splitInto: 2 },
      [sn],
    ),
  ]);
  net.nodes.push(maker, taker);
  await connectAll(net.nodes);
  miner = autoMine(net.dev);
  for (const n of net.nodes)
    await n.until(
      () => n.call('getServiceNodes', {}),
      (l) => l.some((x) => x.fee !== null && x.verified === 'yes'),
      'service node listed',
      30_000,
    );
});

afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await miner?.stop();
  await net?.cleanup();
});

describe('events pushed to the UI during a trade', () => {
  it('a take is not reported filled before its hold, and every node pushes the finished trade as trade.new', async () => {
    const events = { maker: await listen(maker), taker: await listen(taker), sn: await listen(sn) };
    const made = await maker.call('makeOrder', {
      base: 'DEVA',
      quote: 'DEVB',
      side: 'sell',
      amount: '1',
      price: '0.75',
    });
    const orderId = made.order!.id;
    await taker.until(
      () => taker.call('getOrders', {}),
      (l) => l.some((o) => o.id === orderId),
      'order listed',
      15_000,
    );
    const took = await taker.call('takeOrder', { orderId });
    const swapId = took.swapIds[0]!;
    await taker.until(
      () => taker.call('getOrder', { orderId: took.order!.id }),
      (o) => o.state === 'finished',
      'take finished',
      120_000,
    );

    const takerOrder = events.taker
      .filter((f) => f.event === 'order.updated')
      .map((f) => f.data as { id: string; filledBase: string; swapIds: string[]; state: string })
      .filter((o) => o.id === took.order!.id);
    expect(takerOrder.length).toBeGreaterThan(1);
    expect(takerOrder.filter((o) => o.filledBase !== '0' && o.swapIds.length === 0)).toEqual([]);
    expect(takerOrder.find((o) => o.state === 'accepting')?.filledBase).toBe('0');

    for (const [who, frames] of Object.entries(events)) {
      const node = who === 'maker' ? maker : who === 'taker' ? taker : sn;
      await node.until(
        async () => frames.filter((f) => f.event === 'trade.new'),
        (l) => l.length > 0,
        `${who}: trade.new pushed`,
        30_000,
      );
      const trades = frames.filter((f) => f.event === 'trade.new').map((f) => f.data);
      expect(trades).toEqual([
        expect.objectContaining({
          id: swapId,
          orderId,
          price: '0.75',
          baseAmount: '1',
          quoteAmount: '0.75',
          mine: who !== 'sn',
        }),
      ]);
    }
  });
});
