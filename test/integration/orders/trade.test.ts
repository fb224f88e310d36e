// One service node and three traders (separate processes) on two real regtest chains: a maker's
// limit order is signed by the service node and shows in every book; a taker takes it; the swap
// completes; the trade record, signed by both, and its candle reach every node. Partial fills keep
// the remainder listed; a cancel leaves every book.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DevNode } from '../../support/dev-node.ts';
import { parseAmount } from '../../../src-shared/money/index.ts';
import { COIN, DEVA_DEVB, goneAt, listedAt, orderAt, useOrderNet } from '../../support/order-node.ts';

const net = useOrderNet(
  {
    maker: { funds: { DEVA: 30n * COIN, DEVB: 1n * COIN }, splitInto: 6 },
    maker2: { funds: { DEVA: 10n * COIN, DEVB: 1n * COIN }, splitInto: 4 },
    taker: { funds: { DEVB: 40n * COIN, DEVA: 1n * COIN }, splitInto: 4 },
    watcher: {},
  },
  { verified: true },
);
let sn: DevNode;
let maker: DevNode;
let taker: DevNode;
let watcher: DevNode;
let maker2: DevNode;

beforeAll(() => {
  ({
    sn,
    traders: { maker, maker2, taker, watcher },
  } = net);
});

describe('order network: make, see, take, trade', () => {
  it('a limit order signed by the service node shows in every book, and a taker swaps it to completion', async () => {
    const made = await maker.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '2', price: '0.5' });
    expect(made.order).toMatchObject({
      state: 'open',
      side: 'sell',
      baseAmount: '2',
      quoteAmount: '1',
      price: '0.5',
      mine: true,
    });
    const id = made.order!.id;
    for (const n of [sn, taker, watcher]) {
      await n.until(
        () => n.call('orders.list', { base: 'DEVA', quote: 'DEVB' }),
        (l) => l.some((o) => o.id === id),
        'order listed',
        15_000,
      );
    }
    const book = await watcher.call('orders.book', { ...DEVA_DEVB, detail: 2 });
    expect(book.asks[0]).toMatchObject({ price: '0.5', amount: '2', count: 1 });

    const preview = await taker.call('orders.take', { orderId: id, dryRun: true });
    expect(preview.preview.fees.takerFee).toEqual({ ticker: 'DEVB', amount: '0.001' });
    const took = await taker.call('orders.take', { orderId: id });
    expect(took.swapIds).toHaveLength(1);
    const swapId = took.swapIds[0]!;
    for (const n of [sn, maker, watcher]) {
      await goneAt(n, id, 15_000);
    }
    const done = await orderAt(taker, took.order!.id, (o) => o.state === 'finished', 'take finished', 120_000);
    expect(done.swapIds).toEqual([swapId]);
    await orderAt(maker, id, (o) => o.state === 'finished', 'maker order finished', 60_000);
    for (const n of [sn, maker, taker, watcher]) {
      const fills = await n.until(
        () => n.call('history.fills', { base: 'DEVA', quote: 'DEVB' }),
        (l) => l.some((t) => t.id === swapId),
        'trade record',
        60_000,
      );
      expect(fills.find((t) => t.id === swapId)).toMatchObject({
        price: '0.5',
        baseAmount: '2',
        quoteAmount: '1',
        orderId: id,
      });
      const h = await n.call('history.candles', { ...DEVA_DEVB, interval: '1m' });
      expect(h.candles.at(-1)).toMatchObject({ open: '0.5', close: '0.5', volumeBase: '2', trades: 1 });
      expect(h.stats.last).toBe('0.5');
    }
    const verified = await watcher.until(
      () => watcher.call('history.fills', {}),
      (l) => l[0]?.verified === 'yes',
      'trade checked on chain',
      30_000,
    );
    expect(verified[0]!.mine).toBe(false);
  });

  it('a partial take shrinks the order in every book; the remainder stays listed and can be taken', async () => {
    const made = await maker.call('orders.make', {
      ...DEVA_DEVB,
      side: 'sell',
      amount: '4',
      price: '0.6',
      minAmount: '1',
    });
    const id = made.order!.id;
    expect(made.order).toMatchObject({ partial: { allowed: true, minBase: '1' }, remainingBase: '4' });
    await listedAt(taker, id, 15_000);
    await expect(taker.call('orders.take', { orderId: id, amount: '3.5' })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringMatching(/between 1 and 3/),
    });
    const first = await taker.call('orders.take', { orderId: id, amount: '1.5' });
    expect(first.preview).toMatchObject({ baseAmount: '1.5', quoteAmount: '0.9' });
    for (const n of [sn, watcher, maker2]) {
      await orderAt(n, id, (o) => o.remainingBase === '2.5' && o.filledBase === '1.5', 'order shrunk', 15_000);
    }
    await orderAt(taker, first.order!.id, (o) => o.state === 'finished', 'first fill finished', 60_000);
    const mine = await maker.call('orders.get', { orderId: id });
    expect(mine).toMatchObject({ state: 'open', remainingBase: '2.5', filledBase: '1.5' });
    expect(mine.swapIds).toEqual(first.swapIds);
    const rest = await taker.call('orders.take', { orderId: id });
    expect(rest.preview.baseAmount).toBe('2.5');
    await orderAt(taker, rest.order!.id, (o) => o.state === 'finished', 'second fill finished', 60_000);
    const end = await orderAt(maker, id, (o) => o.state === 'finished', 'maker order finished', 60_000);
    expect(end).toMatchObject({ remainingBase: '0', filledBase: '4' });
    expect(end.swapIds).toHaveLength(2);
  });

  it('a market order sweeps the best orders of several makers within the price cap', async () => {
    const a = await maker.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '1', price: '0.7' });
    const b = await maker2.call('orders.make', {
      ...DEVA_DEVB,
      side: 'sell',
      amount: '1',
      price: '0.8',
      minAmount: '0.25',
    });
    const c = await maker.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '1', price: '0.9' });
    await taker.until(
      () => taker.call('orders.list', {}),
      (l) => [a, b, c].every((x) => l.some((o) => o.id === x.order!.id)),
      'three asks listed',
      15_000,
    );
    const dry = await taker.call('orders.make', {
      ...DEVA_DEVB,
      side: 'buy',
      kind: 'market',
      amount: '1.5',
      priceCap: '0.85',
      dryRun: true,
    });
    expect(dry.order).toBeNull();
    expect(dry.preview).toMatchObject({
      baseAmount: '1.5',
      quoteAmount: '1.1',
      averagePrice: '0.73333333',
      unfilled: '0',
    });
    expect(dry.preview.fills.map((f) => [f.orderId, f.baseAmount, f.price])).toEqual([
      [a.order!.id, '1', '0.7'],
      [b.order!.id, '0.5', '0.8'],
    ]);
    expect(dry.preview.fees.takerFee).toEqual({ ticker: 'DEVB', amount: '0.002' });
    const r = await taker.call('orders.make', {
      ...DEVA_DEVB,
      side: 'buy',
      kind: 'market',
      amount: '1.5',
      priceCap: '0.85',
    });
    expect(r.swapIds).toHaveLength(2);
    const done = await orderAt(taker, r.order!.id, (o) => o.state === 'finished', 'market order finished', 90_000);
    expect(done).toMatchObject({ kind: 'market', filledBase: '1.5', quoteAmount: '1.1' });
    await orderAt(
      maker2,
      b.order!.id,
      (o) => o.remainingBase === '0.5' && o.state === 'open',
      'partly filled ask',
      30_000,
    );
    expect((await watcher.call('orders.get', { orderId: c.order!.id })).remainingBase).toBe('1');
    const cancel = await maker2.call('orders.cancel', { orderId: b.order!.id });
    expect(cancel.state).toBe('canceled');
  });

  it('a stop order waits for the last trade price to cross its trigger, then fires as a market order', async () => {
    const high = await maker2.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '1', price: '0.95' });
    await listedAt(taker, high.order!.id, 15_000);
    const stop = await taker.call('orders.make', {
      ...DEVA_DEVB,
      side: 'buy',
      kind: 'stop',
      amount: '1',
      triggerPrice: '0.9',
      priceCap: '1',
    });
    expect(stop.order).toMatchObject({
      kind: 'stop',
      state: 'new',
      stop: { triggerPrice: '0.9', direction: 'above', then: 'market' },
    });
    // Nothing fires below the trigger.
    await new Promise((res) => setTimeout(res, 1000));
    expect((await taker.call('orders.get', { orderId: stop.order!.id })).state).toBe('new');
    expect((await watcher.call('orders.get', { orderId: high.order!.id })).remainingBase).toBe('1');
    // A trade at 0.9 (the taker takes the 0.9 ask) crosses the trigger.
    const asks = (await taker.call('orders.book', { ...DEVA_DEVB, detail: 3 })).orders!.filter(
      (o) => o.side === 'sell' && o.price === '0.9',
    );
    await taker.call('orders.take', { orderId: asks[0]!.id });
    const fired = await orderAt(taker, stop.order!.id, (o) => o.state === 'finished', 'stop fired and filled', 120_000);
    expect(fired).toMatchObject({ kind: 'stop', filledBase: '1', quoteAmount: '0.95' });
    await orderAt(maker2, high.order!.id, (o) => o.state === 'finished', 'high ask filled', 60_000);
  });

  it('an open order locks its coins; a cancel unlocks them and leaves every book', async () => {
    const locked = async () => (await maker.call('wallets.balances', {})).DEVA!.locked;
    const before = await locked();
    const made = await maker.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '3', price: '1.5' });
    const id = made.order!.id;
    // The order's backing coins are locked whole in the wallet (lockunspent): at least what it sells.
    expect(parseAmount(await locked(), 8) - parseAmount(before, 8)).toBeGreaterThanOrEqual(3n * COIN);
    for (const n of [sn, taker, watcher]) await listedAt(n, id, 15_000);
    const canceled = await maker.call('orders.cancel', { orderId: id });
    expect(canceled.state).toBe('canceled');
    expect(await locked()).toBe(before);
    for (const n of [sn, taker, watcher]) await goneAt(n, id, 15_000);
    await expect(taker.call('orders.take', { orderId: id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(maker.call('orders.cancel', { orderId: id })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await maker.call('orders.mine', {})).some((o) => o.id === id)).toBe(false);
    expect((await maker.call('orders.mine', { includeClosed: true })).find((o) => o.id === id)?.state).toBe('canceled');
  });

  it('the CLI makes, shows and cancels orders with the same methods (make-order, get-order-book, cancel-order)', async () => {
    const market = ['--base', 'DEVA', '--quote', 'DEVB'];
    const sell = ['make-order', ...market, '--side', 'sell', '--amount', '1', '--price', '2.5'];
    const dry = (await maker.cli([...sell, '--dry-run', 'true'])) as { order: null; preview: { quoteAmount: string } };
    expect(dry).toMatchObject({ order: null, preview: { quoteAmount: '2.5' } });
    const made = (await maker.cli([...sell, '--min-amount', '0.5'])) as { order: { id: string; state: string } };
    expect(made.order.state).toBe('open');
    await watcher.until(
      () =>
        watcher.cli(['get-order-book', ...market, '--detail', '3']) as Promise<{
          orders: Array<{ id: string }>;
        }>,
      (b) => b.orders.some((o) => o.id === made.order.id),
      'order in the CLI book',
      15_000,
    );
    const canceled = (await maker.cli(['cancel-order', '--order-id', made.order.id])) as { state: string };
    expect(canceled.state).toBe('canceled');
    await expect(maker.cli(['take-order', '--order-id', made.order.id])).rejects.toMatchObject({
      stderr: expect.stringMatching(/error (NOT_FOUND|CONFLICT)/),
    });
  });

  it('every node, the service node too, has every trade record and the same candles', async () => {
    const fills = await watcher.call('history.fills', {});
    expect(fills.length).toBeGreaterThanOrEqual(7);
    const candles = await Promise.all(
      net.nodes.map(
        async (n) => (
          await n.until(
            () => n.call('history.fills', {}),
            (l) => l.length === fills.length,
            'all trades',
            30_000,
          ),
          n.call('history.candles', { ...DEVA_DEVB, interval: '1d' })
        ),
      ),
    );
    for (const h of candles) expect(h.candles).toEqual(candles[0]!.candles);
    expect(candles[0]!.candles[0]!.trades).toBe(fills.length);
  });
});
