// makeOrder and cancelOrder as the user asks them: a limit order that would meet another maker's
// best price is refused (take it instead), a dry run places nothing, a stop is held until it
// fires once (as a limit order at its price or a market order within its cap), and a stop that
// could not be placed says why.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { price } from '../../src-shared/money/index.ts';
import { OrderBook } from '../../src-shared/orders/book.ts';
import { NOW, signedOrder } from '../../src-shared/orders/testkit.ts';
import { silentLogger } from '../kernel/log.ts';
import type { LimitSpec } from './maker.ts';
import { createMaking, fireStop } from './making.ts';
import { createMyOrders } from './my-orders.ts';
import { createOrderParams, type MakeParams } from './params.ts';
import type { OrderPreview, Preview } from './preview.ts';
import { createStopOrders } from './stops.ts';
import { COIN, DEVA_DEVB, DEVNET, OUR_PEER, T0, makerRecord, memoryRecords, takerRecord } from './testkit.ts';

/** Another maker's bid at 0.25. */
const bid = signedOrder({ side: 'buy' });
const PREVIEW = { fills: [], unfilled: '0' } as unknown as Preview;

function setup(opts: { myKey?: string; placeFails?: string } = {}) {
  const book = new OrderBook(DEVA_DEVB);
  book.add(bid, NOW);
  const records = memoryRecords();
  const placed: LimitSpec[] = [];
  const swept: Array<{ amount: bigint; parentStop: string | null }> = [];
  const previews: unknown[][] = [];
  const place = async (spec: LimitSpec) => {
    if (opts.placeFails) throw new ApiError('PEER_UNREACHABLE', opts.placeFails);
    placed.push(spec);
    const rec = makerRecord({ id: `placed-${placed.length}`, ...spec, parentStop: spec.parentStop ?? null });
    records.put(rec);
    return rec;
  };
  const taking = {
    marketOrder: async (_m: unknown, _side: unknown, amount: bigint, _cap: unknown, parentStop: string | null) => {
      swept.push({ amount, parentStop });
      const rec = takerRecord({ id: `take-${swept.length}`, state: 'hold', parentStop });
      records.put(rec);
      return { rec, swapIds: ['s'] };
    },
  };
  const preview: OrderPreview = {
    atPrice: async (...a) => (previews.push(a), PREVIEW),
    sweep: async (...a) => (previews.push(a), { preview: PREVIEW, plan: {} as never }),
    take: async () => PREVIEW,
  };
  const stops = createStopOrders({
    store: records,
    lastPrice: () => price(1n, 5n),
    fire: () => {},
    log: silentLogger,
    now: () => T0,
  });
  const making = createMaking({
    records,
    book: { book: () => book },
    maker: { place, cancel: async (id) => records.update(id, (r) => void (r.state = 'canceled'))! },
    taking,
    stops,
    params: createOrderParams({ markets: [DEVA_DEVB], coins: DEVNET, isConfigured: () => true }),
    preview,
    view: createMyOrders({ records, coins: DEVNET, p2p: { peerId: OUR_PEER } }).view,
    myKey: () => opts.myKey ?? null,
  });
  const fire = (id: string) => fireStop({ records, maker: { place }, taking, log: silentLogger }, id);
  return { making, records, placed, swept, previews, fire };
}

const make = (over: Partial<MakeParams>): MakeParams => ({
  kind: 'limit',
  ...DEVA_DEVB,
  side: 'sell',
  amount: '1',
  ...over,
});

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('limit orders', () => {
  it("a sell's quote is rounded up, a buy's down, in the maker's favour", async () => {
    const s = setup();
    await s.making.makeOrder(make({ price: '0.33333333', amount: '0.5' }));
    await s.making.makeOrder(make({ side: 'buy', price: '0.2', amount: '0.33333333' }));
    expect(s.placed.map((p) => [p.side, p.quoteAmount])).toEqual([
      ['sell', 16_666_667n],
      ['buy', 6_666_666n],
    ]);
  });

  it("one that would meet another maker's best bid is refused: take that order instead", async () => {
    expect(await refusal(setup().making.makeOrder(make({ price: '0.2' })))).toEqual({
      code: 'CONFLICT',
      message:
        'A sell at 0.2 would meet the best bid at 0.25: take that order instead (makeOrder kind market, or takeOrder).',
    });
  });

  it("meeting this node's own best bid is not refused", async () => {
    const s = setup({ myKey: bid.maker.pubkey });
    await s.making.makeOrder(make({ price: '0.2' }));
    expect(s.placed).toHaveLength(1);
  });

  it('a dry run previews and places nothing; no price is refused before anything', async () => {
    const s = setup();
    expect(await s.making.makeOrder(make({ price: '0.2', dryRun: true }))).toEqual({
      order: null,
      preview: PREVIEW,
      swapIds: [],
    });
    expect(await refusal(s.making.makeOrder(make({})))).toEqual({
      code: 'INVALID_PARAMS',
      message: 'A limit order needs a price.',
    });
    expect(s.placed).toEqual([]);
  });
});

describe('orders too large to write', () => {
  // 10^20 DEVA at 10^10 DEVB: a quote amount of 10^30 DEVB, one digit more than any amount has.
  const huge = { amount: '100000000000000000000', price: '10000000000' };
  const why =
    'amount × price is too large: the order would move 10^30 DEVB or more, beyond any amount. Lower the amount or the price.';

  it('a dry run whose amount × price reaches 10^30 is refused as INVALID_PARAMS, and nothing is previewed or stored', async () => {
    const s = setup();
    expect(await refusal(s.making.makeOrder(make({ ...huge, dryRun: true })))).toEqual({
      code: 'INVALID_PARAMS',
      message: why,
    });
    expect(await refusal(s.making.makeOrder(make({ ...huge, side: 'buy' })))).toEqual({
      code: 'INVALID_PARAMS',
      message: why,
    });
    expect(await refusal(s.making.makeOrder(make({ ...huge, kind: 'stop', triggerPrice: '0.3' })))).toEqual({
      code: 'INVALID_PARAMS',
      message: why,
    });
    expect(s.previews).toEqual([]);
    expect(s.placed).toEqual([]);
    expect(s.records.all()).toEqual([]);
  });

  it('just below 10^30 is still an order', async () => {
    const s = setup();
    await s.making.makeOrder(make({ amount: '99999999999999999999', price: '10000000000', dryRun: true }));
    expect(s.previews[0]![3]).toBe(10n ** 38n - 10n ** 18n);
  });
});

describe('market orders', () => {
  it('are previewed, then swept by the taker with no parent stop', async () => {
    const s = setup();
    const r = await s.making.makeOrder(make({ kind: 'market', side: 'buy', amount: '2', priceCap: '0.3' }));
    expect(s.swept).toEqual([{ amount: 2n * COIN, parentStop: null }]);
    expect(r.swapIds).toEqual(['s']);
  });
});

describe('stop orders', () => {
  it('need a trigger price', async () => {
    expect(await refusal(setup().making.makeOrder(make({ kind: 'stop' })))).toEqual({
      code: 'INVALID_PARAMS',
      message: 'A stop order needs a triggerPrice.',
    });
  });

  it('are held, previewed at their limit price (quote rounded down)', async () => {
    const s = setup();
    const r = await s.making.makeOrder(make({ kind: 'stop', triggerPrice: '0.3', price: '0.33333333', amount: '0.5' }));
    expect(r.order).toMatchObject({ kind: 'stop', state: 'new', stop: { direction: 'above', then: 'limit' } });
    expect(s.previews[0]![3]).toBe(16_666_666n);
    expect(s.placed).toEqual([]);
  });

  it('fire once as a limit order at their price; the stop then follows the order it became', async () => {
    const s = setup();
    const r = await s.making.makeOrder(make({ kind: 'stop', triggerPrice: '0.3', price: '0.25' }));
    await s.fire(r.order!.id);
    expect(s.placed).toEqual([expect.objectContaining({ parentStop: r.order!.id, quoteAmount: COIN / 4n })]);
    expect(s.records.get(r.order!.id)).toMatchObject({ state: 'open', stop: { childId: 'placed-1' } });
  });

  it('without a limit price, fire as a market order within their cap', async () => {
    const s = setup();
    const r = await s.making.makeOrder(make({ kind: 'stop', side: 'buy', triggerPrice: '0.3', priceCap: '0.4' }));
    await s.fire(r.order!.id);
    expect(s.swept).toEqual([{ amount: COIN, parentStop: r.order!.id }]);
    expect(s.records.get(r.order!.id)).toMatchObject({ state: 'hold', stop: { childId: 'take-1' } });
  });

  it('a stop that fired but could not be placed is invalid, and says why', async () => {
    const s = setup({ placeFails: 'no service node is online' });
    const r = await s.making.makeOrder(make({ kind: 'stop', triggerPrice: '0.3', price: '0.25' }));
    await s.fire(r.order!.id);
    expect(s.records.get(r.order!.id)).toMatchObject({
      state: 'invalid',
      reason: 'the stop order fired but could not be placed: no service node is online',
    });
  });
});

describe('cancels', () => {
  it('a stop not fired yet is canceled here; a fired one is refused (cancel the order it became)', async () => {
    const s = setup();
    const held = await s.making.makeOrder(make({ kind: 'stop', triggerPrice: '0.3', price: '0.25' }));
    expect(await s.making.cancelOrder(held.order!.id)).toMatchObject({
      state: 'canceled',
      reason: 'canceled by the user',
    });
    const fired = await s.making.makeOrder(make({ kind: 'stop', triggerPrice: '0.3', price: '0.25' }));
    await s.fire(fired.order!.id);
    expect(await refusal(s.making.cancelOrder(fired.order!.id))).toEqual({
      code: 'CONFLICT',
      message: 'The stop order already fired (open); cancel the order it became.',
    });
  });

  it("a listed order goes to the maker's cancel", async () => {
    const s = setup();
    s.records.put(makerRecord({ id: 'mine' }));
    expect(await s.making.cancelOrder('mine')).toMatchObject({ id: 'mine', state: 'canceled' });
  });
});
