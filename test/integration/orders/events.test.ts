// What a UI connected over the WebSocket is told while a trade happens (found by the e2e suite):
// the taker's order counts as filled only once a service node held it (never while its accept is
// still on the way, when it may be refused), and every node pushes the finished trade as
// `history.trade`, which the UI folds into the last price, the candles and the trade lists.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DevNode } from '../../support/dev-node.ts';
import { COIN, DEVA_DEVB, listedAt, orderAt, useOrderNet } from '../../support/order-node.ts';

const net = useOrderNet(
  {
    maker: { funds: { DEVA: 5n * COIN, DEVB: 1n * COIN }, splitInto: 2 },
    taker: { funds: { DEVB: 5n * COIN, DEVA: 1n * COIN }, splitInto: 2 },
  },
  { verified: true },
);
let sn: DevNode;
let maker: DevNode;
let taker: DevNode;

beforeAll(() => {
  ({
    sn,
    traders: { maker, taker },
  } = net);
});

describe('events pushed to the UI during a trade', () => {
  it('a take is not reported filled before its hold, and every node pushes the finished trade as trade.new', async () => {
    const events = { maker: await maker.listen(), taker: await taker.listen(), sn: await sn.listen() };
    const made = await maker.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '1', price: '0.75' });
    const orderId = made.order!.id;
    await listedAt(taker, orderId, 15_000);
    const took = await taker.call('orders.take', { orderId });
    const swapId = took.swapIds[0]!;
    await orderAt(taker, took.order!.id, (o) => o.state === 'finished', 'take finished', 120_000);

    const takerOrder = events.taker
      .flatMap((f) => (f.event === 'orders.updated' ? [f.data] : []))
      .filter((o) => o.id === took.order!.id);
    expect(takerOrder.length).toBeGreaterThan(1);
    expect(takerOrder.filter((o) => o.filledBase !== '0' && o.swapIds.length === 0)).toEqual([]);
    expect(takerOrder.find((o) => o.state === 'accepting')?.filledBase).toBe('0');

    for (const [who, frames] of Object.entries(events)) {
      const node = who === 'maker' ? maker : who === 'taker' ? taker : sn;
      await node.until(
        async () => frames.filter((f) => f.event === 'history.trade'),
        (l) => l.length > 0,
        `${who}: trade.new pushed`,
        30_000,
      );
      const trades = frames.filter((f) => f.event === 'history.trade').map((f) => f.data);
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
