import { describe, expect, it } from 'vitest';
import { NoticeTracker, orderNotice, swapNotice, type OrderView, type SwapSummary } from './derive.ts';

const order = (over: Partial<OrderView> = {}): OrderView => ({
  id: 'o1',
  base: 'DEVA',
  quote: 'DEVB',
  side: 'sell',
  kind: 'limit',
  state: 'open',
  price: '0.25',
  baseAmount: '2',
  quoteAmount: '0.5',
  filledBase: '0',
  remainingBase: '2',
  partial: { allowed: true, minBase: '0.5' },
  mine: true,
  makerPeerId: 'me',
  swapIds: [],
  createdAt: 1,
  updatedAt: 1,
  ...over,
});

const swap = (over: Partial<SwapSummary> = {}): SwapSummary => ({
  swapId: 's1',
  role: 'maker',
  state: 'funded',
  terminal: false,
  outcome: null,
  counterparty: 'peer',
  sell: { ticker: 'DEVA', amount: '1.5' },
  buy: { ticker: 'DEVB', amount: '0.375' },
  createdAt: 1,
  updatedAt: 2,
  reason: null,
  notice: null,
  ...over,
});

describe('order notifications', () => {
  it('tells about a partial fill and what stays on the book', () => {
    const n = orderNotice(
      { state: 'open', filledBase: '0' },
      order({ state: 'hold', filledBase: '0.5', remainingBase: '1.5', swapIds: ['s1'] }),
    );
    expect(n).toMatchObject({ kind: 'fill', title: 'Order partly filled \u00b7 DEVA/DEVB', link: '#/swaps/s1' });
    expect(n?.body).toBe('Sold 0.5 of 2 DEVA at 0.25 DEVB. 1.5 DEVA stays on the book. The swap is under way.');
  });

  it('never says a market order\u2019s rest stays on the book: it is not posted', () => {
    const n = orderNotice(
      { state: 'accepting', filledBase: '0' },
      order({
        kind: 'market',
        side: 'buy',
        state: 'hold',
        filledBase: '1',
        remainingBase: '0.75',
        baseAmount: '1.75',
        swapIds: ['s1'],
      }),
    );
    expect(n).toMatchObject({ kind: 'fill', title: 'Order partly filled \u00b7 DEVA/DEVB' });
    expect(n?.body).toBe('Bought 1 of 1.75 DEVA at 0.25 DEVB. The swap is under way.');
  });

  it('tells about a complete fill of a buy order', () => {
    const n = orderNotice(
      { state: 'hold', filledBase: '0.5' },
      order({ side: 'buy', state: 'finished', filledBase: '2', remainingBase: '0' }),
    );
    expect(n).toMatchObject({
      kind: 'fill',
      title: 'Order filled \u00b7 DEVA/DEVB',
      body: 'Bought 2 of 2 DEVA at 0.25 DEVB.',
      link: null,
    });
  });

  it('tells why an order stopped being valid', () => {
    const n = orderNotice(
      { state: 'open', filledBase: '0' },
      order({ state: 'invalid', reason: 'the coins backing it were spent' }),
    );
    expect(n).toMatchObject({ kind: 'failure', title: 'Order stopped \u00b7 DEVA/DEVB' });
    expect(n?.body).toMatch(/no longer valid\. The coins backing it were spent\.$/);
  });

  it('leaves a rolled-back trade to its swap\u2019s refund notices', () => {
    expect(
      orderNotice(
        { state: 'committed', filledBase: '2' },
        order({ state: 'rolledback', filledBase: '2', remainingBase: '0', swapIds: ['s1'] }),
      ),
    ).toBeNull();
  });

  it('stays quiet about other people\u2019s orders, cancels and unchanged fills', () => {
    expect(orderNotice(undefined, order({ mine: false, filledBase: '1', remainingBase: '1' }))).toBeNull();
    expect(orderNotice({ state: 'open', filledBase: '0' }, order({ state: 'canceled' }))).toBeNull();
    expect(
      orderNotice({ state: 'hold', filledBase: '0.5' }, order({ state: 'initialized', filledBase: '0.5' })),
    ).toBeNull();
  });

  it('formats amounts with the user\u2019s number format', () => {
    const n = orderNotice(undefined, order({ filledBase: '1234.5', baseAmount: '2000', remainingBase: '765.5' }), (d) =>
      d.replace('.', ','),
    );
    expect(n?.body).toMatch(/^Sold 1234,5 of 2000 DEVA at 0,25 DEVB\. 765,5 DEVA stays/);
  });
});

describe('swap notifications', () => {
  const transitions: Array<[string, Partial<SwapSummary>, string, RegExp]> = [
    [
      'completed',
      { state: 'completed', terminal: true, outcome: 'completed' },
      'completed',
      /^You received 0.375 DEVB for 1.5 DEVA\.$/,
    ],
    [
      'refunding',
      { state: 'refunding', reason: { code: 'counterparty-timeout', message: 'the peer did not lock in time' } },
      'refund',
      /will not finish\. The peer did not lock in time\. Your 1.5 DEVA comes back to your wallet by itself once its lock time ends/,
    ],
    [
      'refunded',
      { state: 'refunded', terminal: true, outcome: 'refunded' },
      'refund',
      /^Your 1.5 DEVA is back in your wallet\./,
    ],
    [
      'failedBeforeFunding',
      { state: 'failedBeforeFunding', terminal: true, outcome: 'failedBeforeFunding' },
      'failure',
      /Nothing was locked and your coins did not move/,
    ],
    ['lost', { state: 'lost', terminal: true, outcome: 'lost' }, 'failure', /ended without a claim or refund/],
  ];
  it.each(transitions)('explains %s', (_n, over, kind, body) => {
    const n = swapNotice({ state: 'funded' }, swap(over));
    expect(n?.kind).toBe(kind);
    expect(n?.body).toMatch(body);
    expect(n?.link).toBe('#/swaps/s1');
  });

  it('stays quiet about steps along the way and repeated states', () => {
    expect(swapNotice({ state: 'funding' }, swap({ state: 'funded' }))).toBeNull();
    expect(swapNotice({ state: 'completed' }, swap({ state: 'completed' }))).toBeNull();
  });
});

describe('notice tracker', () => {
  it('notifies once per transition, even when the node repeats an event', () => {
    const t = new NoticeTracker();
    expect(t.swap(swap({ state: 'claiming' }))).toBeNull();
    expect(t.swap(swap({ state: 'completed' }))?.kind).toBe('completed');
    expect(t.swap(swap({ state: 'completed' }))).toBeNull();
  });

  it('tells a fill once, though a stop order and the market order it fired as both report it', () => {
    const t = new NoticeTracker();
    const child = order({
      id: 'child',
      kind: 'market',
      side: 'buy',
      state: 'hold',
      filledBase: '0.5',
      remainingBase: '0',
      baseAmount: '0.5',
      swapIds: ['s9'],
    });
    expect(t.order(child)?.kind).toBe('fill');
    expect(
      t.order({
        ...child,
        id: 'stop',
        kind: 'stop',
        stop: { triggerPrice: '0.7', direction: 'above', then: 'market' },
      }),
    ).toBeNull();
  });

  it('does not announce states the user already saw on screen', () => {
    const t = new NoticeTracker();
    t.seedSwap({ swapId: 's1', state: 'refunded' });
    t.seedOrder({ id: 'o1', state: 'hold', filledBase: '0.5' });
    expect(t.swap(swap({ state: 'refunded' }))).toBeNull();
    expect(t.order(order({ state: 'initialized', filledBase: '0.5' }))).toBeNull();
    expect(t.order(order({ state: 'finished', filledBase: '2', remainingBase: '0' }))?.title).toMatch(/Order filled/);
  });
});
