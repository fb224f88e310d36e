// Taking orders as the user asked: one listed order (all, or a valid part of it), or a market
// order that takes each planned fill in turn. A fill that fails is recorded and the rest still
// go; a failure no other order would fix (funds, vault, wallet) stops a take that got nothing.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { price } from '../../src-shared/money/index.ts';
import { OrderBook } from '../../src-shared/orders/book.ts';
import { fillQuote } from '../../src-shared/orders/order.ts';
import { MAKER, NOW, signedOrder, testKey } from '../../src-shared/orders/testkit.ts';
import type { Order } from '../../src-shared/orders/types.ts';
import { silentLogger } from '../kernel/log.ts';
import { createMyOrders } from './my-orders.ts';
import { createOrderParams } from './params.ts';
import type { Preview } from './preview.ts';
import { createTaking } from './taking.ts';
import { COIN, DEVA_DEVB, DEVNET, OUR_PEER, T0, fill, memoryRecords } from './testkit.ts';

const cheap = signedOrder();
const dear = signedOrder({ quoteAmount: COIN / 2n, nonce: '2c'.repeat(16) }, { maker: testKey(40) });
const whole = signedOrder(
  { partial: { allowed: false, minBase: COIN }, nonce: '3d'.repeat(16) },
  { maker: testKey(41) },
);
const PREVIEW = {
  fills: [],
  baseAmount: '1',
  quoteAmount: '0.25',
  averagePrice: '0.25',
  unfilled: '0',
} as unknown as Preview;

type Outcome = 'held' | 'refused' | Error | ((order: Order) => void);

function setup(
  outcomes: Record<string, Outcome> = {},
  opts: { myKey?: string; stopped?: boolean; spent?: readonly string[] } = {},
) {
  const book = new OrderBook(DEVA_DEVB);
  for (const o of [cheap, dear, whole]) book.add(o, NOW);
  const records = memoryRecords();
  const caughtUp: string[] = [];
  const taken: string[] = [];
  const params = createOrderParams({ markets: [DEVA_DEVB], coins: DEVNET, isConfigured: () => true });
  const taking = createTaking({
    records,
    book: { book: () => book, find: (id) => book.get(id) },
    taker: {
      // As the real taker does: the fill is recorded, then held (or canceled with a reason).
      async takeFill(recId, order, baseAmount) {
        taken.push(order.id);
        const outcome = outcomes[order.id] ?? 'held';
        if (outcome instanceof Error) throw outcome;
        if (typeof outcome === 'function') {
          outcome(order);
          return null;
        }
        const holdId = `hold-${order.id.slice(0, 6)}`;
        const quoteAmount = fillQuote(order.price, baseAmount, order.side);
        records.update(recId, (r) => {
          r.fills.push(
            fill({
              orderId: order.id,
              acceptId: `accept-${order.id.slice(0, 6)}`,
              holdId: outcome === 'held' ? holdId : null,
              state: outcome === 'held' ? 'hold' : 'canceled',
              baseAmount,
              quoteAmount,
              ...(outcome === 'refused' ? { reason: 'the maker did not take the accept' } : {}),
            }),
          );
        });
        return outcome === 'held' ? holdId : null;
      },
    },
    params,
    preview: { take: async () => PREVIEW },
    view: createMyOrders({ records, coins: DEVNET, p2p: { peerId: OUR_PEER } }).view,
    catchUp: (id) => caughtUp.push(id),
    myKey: () => opts.myKey ?? null,
    stopped: () => opts.stopped ?? false,
    backing: async (o) => (opts.spent?.includes(o.id) ? 'missing' : 'confirmed'),
    log: silentLogger,
    now: () => T0,
  });
  return { taking, records, book, caughtUp, taken };
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('an order whose backing coins are spent (a hostile service node signed it)', () => {
  it('is not taken: nothing is sent, no fee paid, and the take says why', async () => {
    const s = setup({}, { spent: [cheap.id] });
    const r = await refusal(s.taking.takeOrder({ orderId: cheap.id }));
    expect(r).toMatchObject({
      code: 'PEER_REFUSED',
      message: expect.stringMatching(/backing coins are spent.*no fee was paid/),
    });
    expect(s.taken).toEqual([]);
  });

  it('a market order skips it and takes the next order', async () => {
    const s = setup({}, { spent: [cheap.id] });
    const r = await s.taking.marketOrder(DEVA_DEVB, 'buy', (3n * COIN) / 2n, null, null);
    expect(s.taken).toEqual([dear.id]);
    expect(r.swapIds).toEqual([`hold-${dear.id.slice(0, 6)}`]);
    expect(r.rec.reason).toMatch(/backing coins are spent/);
  });
});

describe('taking one order', () => {
  it('held: the swap id comes back, the fill is caught up with its swap, the take follows the hold', async () => {
    const s = setup();
    const r = await s.taking.takeOrder({ orderId: cheap.id, amount: '0.5' });
    expect(r.swapIds).toEqual([`hold-${cheap.id.slice(0, 6)}`]);
    expect(s.caughtUp).toEqual(r.swapIds);
    expect(r.order).toMatchObject({
      side: 'buy',
      kind: 'market',
      state: 'hold',
      filledBase: '0.5',
      quoteAmount: '0.125',
    });
  });

  it('a dry run previews and records nothing', async () => {
    const s = setup();
    expect(await s.taking.takeOrder({ orderId: cheap.id, dryRun: true })).toEqual({
      order: null,
      preview: PREVIEW,
      swapIds: [],
    });
    expect(s.records.all()).toEqual([]);
    expect(s.taken).toEqual([]);
  });

  const refused: Array<
    [string, Parameters<ReturnType<typeof setup>['taking']['takeOrder']>[0], { myKey?: string }, string, RegExp]
  > = [
    ['an order that is not listed', { orderId: 'ab'.repeat(32) }, {}, 'NOT_FOUND', /^No order .* is listed/],
    ["this node's own order", { orderId: cheap.id }, { myKey: MAKER.pubkey }, 'CONFLICT', /cancel it instead/],
    [
      'a part that would leave less than the minimum',
      { orderId: cheap.id, amount: '0.95' },
      {},
      'INVALID_PARAMS',
      /^Take all 1 DEVA, or between 0.1 and 0.9\.$/,
    ],
    [
      'a part of an order taken whole',
      { orderId: whole.id, amount: '0.5' },
      {},
      'INVALID_PARAMS',
      /^This order is taken whole: 1 DEVA\.$/,
    ],
  ];
  it.each(refused)('refuses %s', async (_name, p, opts, code, message) => {
    const r = await refusal(setup({}, opts).taking.takeOrder(p));
    expect(r.code).toBe(code);
    expect(r.message).toMatch(message);
  });

  it("a take the maker refused fails with the fill's reason, and the take is canceled", async () => {
    const s = setup({ [cheap.id]: 'refused' });
    expect(await refusal(s.taking.takeOrder({ orderId: cheap.id }))).toEqual({
      code: 'PEER_REFUSED',
      message: 'The order could not be taken: the maker did not take the accept',
    });
    expect(s.records.all()[0]!.state).toBe('canceled');
  });
});

describe('a market order', () => {
  it('takes each planned fill in turn, best price first', async () => {
    const s = setup();
    const r = await s.taking.marketOrder(DEVA_DEVB, 'buy', (3n * COIN) / 2n, null, null);
    expect(s.taken).toEqual([cheap.id, dear.id]);
    expect(r.swapIds).toHaveLength(2);
    expect(r.rec).toMatchObject({ state: 'hold', quoteAmount: COIN / 2n, price: null, parentStop: null });
  });

  it('a fill that fails is recorded and the rest still go', async () => {
    const s = setup({ [cheap.id]: new Error('the fee could not be paid') });
    const r = await s.taking.marketOrder(DEVA_DEVB, 'buy', (3n * COIN) / 2n, price(1n, 1n), 'stop-1');
    expect(r.swapIds).toEqual([`hold-${dear.id.slice(0, 6)}`]);
    expect(r.rec).toMatchObject({ reason: 'the fee could not be paid', parentStop: 'stop-1', price: price(1n, 1n) });
  });

  it('an order of the plan taken by someone else meanwhile is passed by, and the user told', async () => {
    const s = setup({ [cheap.id]: () => s.book.remove(dear.id) });
    const r = await s.taking.marketOrder(DEVA_DEVB, 'buy', (3n * COIN) / 2n, null, null);
    expect(s.taken).toEqual([cheap.id]);
    expect(r).toMatchObject({
      swapIds: [],
      rec: { state: 'canceled', reason: 'an order of the plan was taken by someone else first' },
    });
  });

  it('missing funds before any fill got through stop the take: canceled, and the error is the answer', async () => {
    const s = setup({ [cheap.id]: new ApiError('INSUFFICIENT_FUNDS', 'not enough DEVB') });
    expect(await refusal(s.taking.marketOrder(DEVA_DEVB, 'buy', 2n * COIN, null, null))).toEqual({
      code: 'INSUFFICIENT_FUNDS',
      message: 'not enough DEVB',
    });
    expect(s.taken).toEqual([cheap.id]);
    expect(s.records.all()[0]).toMatchObject({ state: 'canceled', reason: 'not enough DEVB' });
  });

  it('missing funds after a fill got through: the take keeps what it got', async () => {
    const s = setup({ [dear.id]: new ApiError('INSUFFICIENT_FUNDS', 'not enough DEVB') });
    const r = await s.taking.marketOrder(DEVA_DEVB, 'buy', (3n * COIN) / 2n, null, null);
    expect(r).toMatchObject({
      swapIds: [`hold-${cheap.id.slice(0, 6)}`],
      rec: { state: 'hold', reason: 'not enough DEVB' },
    });
  });

  it('nothing within the price cap: refused before anything is recorded', async () => {
    const s = setup();
    expect(await refusal(s.taking.marketOrder(DEVA_DEVB, 'buy', COIN, price(1n, 10n), null))).toEqual({
      code: 'NOT_FOUND',
      message: 'No order on the DEVA/DEVB book can fill this within the price cap.',
    });
    expect(s.records.all()).toEqual([]);
  });

  it('a service stopping meanwhile takes no more fills', async () => {
    const s = setup({}, { stopped: true });
    const r = await s.taking.marketOrder(DEVA_DEVB, 'buy', COIN, null, null);
    expect(s.taken).toEqual([]);
    expect(r.rec.state).toBe('canceled');
  });
});
