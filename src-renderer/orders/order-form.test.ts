import { describe, expect, it } from 'vitest';
import {
  checkOrder,
  checkTake,
  EMPTY_ORDER_FORM,
  maxAmount,
  type OrderFormContext,
  type OrderFormValues,
  type OrderView,
} from './order-form.ts';

const ctx: OrderFormContext = {
  base: 'DEVA',
  quote: 'DEVB',
  baseDecimals: 8,
  quoteDecimals: 8,
  decimalSeparator: '.',
  spendable: { base: '2.5', quote: '1' },
};
const form = (v: Partial<OrderFormValues>): OrderFormValues => ({ ...EMPTY_ORDER_FORM, ...v });

describe('order form: params sent to the node are exact decimal strings', () => {
  it('builds a limit buy with its cost rounded up', () => {
    const r = checkOrder(form({ side: 'buy', amount: '1.5', price: '0.25' }), ctx);
    expect(r.errors).toEqual({});
    expect(r.params).toEqual({ base: 'DEVA', quote: 'DEVB', side: 'buy', kind: 'limit', amount: '1.5', price: '0.25' });
    expect(r.spend).toEqual({ ticker: 'DEVB', amount: '0.375' });
    expect(r.receive).toEqual({ ticker: 'DEVA', amount: '1.5' });
  });

  it('item 5: asks for coin preparation only on a limit order whose box is ticked', () => {
    const on = checkOrder(form({ side: 'sell', amount: '1', price: '0.5', prepareCoins: true }), ctx);
    expect(on.params).toMatchObject({ kind: 'limit', prepareCoins: true });
    const off = checkOrder(form({ side: 'sell', amount: '1', price: '0.5' }), ctx);
    expect(off.params).not.toHaveProperty('prepareCoins');
    const market = checkOrder(
      form({ side: 'sell', kind: 'market', amount: '1', price: '0.5', prepareCoins: true }),
      ctx,
    );
    expect(market.params ?? {}).not.toHaveProperty('prepareCoins');
  });

  it('rounds the quote toward the user\u2019s disadvantage only in what it promises', () => {
    const r = checkOrder(form({ side: 'sell', amount: '0.00000001', price: '0.33333333' }), ctx);
    expect(r.receive).toEqual({ ticker: 'DEVB', amount: '0' });
    const b = checkOrder(form({ side: 'buy', amount: '0.00000001', price: '0.33333333' }), ctx);
    expect(b.spend).toEqual({ ticker: 'DEVB', amount: '0.00000001' });
  });

  it('sends a market order with its price cap and no limit price', () => {
    const r = checkOrder(form({ side: 'sell', kind: 'market', amount: '2', priceCap: '0.2' }), ctx);
    expect(r.params).toEqual({
      base: 'DEVA',
      quote: 'DEVB',
      side: 'sell',
      kind: 'market',
      amount: '2',
      priceCap: '0.2',
    });
  });

  it('sends a stop order with its trigger, firing as market or as limit', () => {
    const asMarket = checkOrder(
      form({ side: 'sell', kind: 'stop', amount: '1', triggerPrice: '0.2', priceCap: '0.19' }),
      ctx,
    );
    expect(asMarket.params).toMatchObject({ kind: 'stop', triggerPrice: '0.2', priceCap: '0.19' });
    expect(asMarket.params).not.toHaveProperty('price');
    const asLimit = checkOrder(
      form({
        side: 'sell',
        kind: 'stop',
        stopThen: 'limit',
        amount: '1',
        triggerPrice: '0.2',
        price: '0.195',
        partial: true,
        minAmount: '0.1',
      }),
      ctx,
    );
    expect(asLimit.params).toMatchObject({ kind: 'stop', triggerPrice: '0.2', price: '0.195', minAmount: '0.1' });
  });

  it('normalises what was typed: spaces, trailing zeros, the user\u2019s decimal comma', () => {
    const r = checkOrder(form({ side: 'sell', amount: ' 1.50 ', price: '0,2500' }), { ...ctx, decimalSeparator: ',' });
    expect(r.params).toMatchObject({ amount: '1.5', price: '0.25' });
  });

  it('allows partial fills only with a minimum no larger than the amount', () => {
    expect(
      checkOrder(form({ side: 'sell', amount: '1', price: '1', partial: true, minAmount: '0.25' }), ctx).params,
    ).toMatchObject({ minAmount: '0.25' });
    expect(
      checkOrder(form({ side: 'sell', amount: '1', price: '1', partial: true, minAmount: '2' }), ctx).errors.minAmount,
    ).toMatch(/cannot be more than the amount/);
    expect(checkOrder(form({ side: 'sell', amount: '1', price: '1', partial: true }), ctx).errors.minAmount).toMatch(
      /Enter a minimum fill/,
    );
    // Market orders never rest on the book, so a minimum does not apply.
    expect(
      checkOrder(form({ side: 'sell', kind: 'market', amount: '1', priceCap: '1', partial: true, minAmount: '5' }), ctx)
        .params,
    ).not.toHaveProperty('minAmount');
  });
});

describe('order form: what is wrong, in words, per field', () => {
  const cases: Array<[string, Partial<OrderFormValues>, Partial<Record<string, RegExp>>]> = [
    ['nothing typed', {}, { amount: /Enter an amount/, price: /Enter a price/ }],
    ['too many decimals', { amount: '1.000000001', price: '1' }, { amount: /At most 8 digits/ }],
    ['letters', { amount: '1e5', price: '1' }, { amount: /Not a number/ }],
    ['zero amount', { amount: '0', price: '1' }, { amount: /more than zero/ }],
    ['zero price', { amount: '1', price: '0' }, { price: /more than zero/ }],
    ['grouping separator', { amount: '1,000', price: '1' }, { amount: /dot for decimals/ }],
    ['negative', { amount: '-1', price: '1' }, { amount: /Not a number/ }],
    ['market without cap', { kind: 'market', amount: '1' }, { priceCap: /Enter a price cap/ }],
    ['stop without trigger', { kind: 'stop', amount: '1', priceCap: '1' }, { triggerPrice: /Enter a trigger price/ }],
  ];
  it.each(cases)('%s', (_name, values, expected) => {
    const r = checkOrder(form({ side: 'sell', ...values }), ctx);
    expect(r.params).toBeNull();
    for (const [field, msg] of Object.entries(expected)) expect(r.errors[field as keyof typeof r.errors]).toMatch(msg!);
  });

  it('refuses more than the spendable balance, in the coin that is spent', () => {
    expect(checkOrder(form({ side: 'sell', amount: '2.50000001', price: '1' }), ctx).errors.amount).toBe(
      'You can spend 2.5 DEVA.',
    );
    expect(checkOrder(form({ side: 'buy', amount: '4.00000001', price: '0.25' }), ctx).errors.amount).toMatch(
      /costs up to 1.00000001 DEVB; you can spend 1 DEVB/,
    );
    expect(checkOrder(form({ side: 'buy', amount: '4', price: '0.25' }), ctx).errors).toEqual({});
  });

  it('checks a sell against the balance before a price is typed', () => {
    const r = checkOrder(form({ side: 'sell', amount: '1000' }), ctx);
    expect(r.errors.amount).toBe('You can spend 2.5 DEVA.');
    expect(r.spend).toEqual({ ticker: 'DEVA', amount: '1000' });
    expect(r.receive).toBeNull();
  });

  it('leaves the balance to the node when it is not known', () => {
    expect(checkOrder(form({ side: 'sell', amount: '100', price: '1' }), { ...ctx, spendable: {} }).errors).toEqual({});
  });
});

describe('max amount', () => {
  it('is the whole base balance for a sell', () => {
    expect(maxAmount(form({ side: 'sell' }), ctx)).toBe('2.5');
  });

  it('is what the quote balance buys at the price, rounded down, for a buy', () => {
    expect(maxAmount(form({ side: 'buy', price: '0.3' }), ctx)).toBe('3.33333333');
    const max = maxAmount(form({ side: 'buy', price: '0.3' }), ctx)!;
    expect(checkOrder(form({ side: 'buy', amount: max, price: '0.3' }), ctx).errors).toEqual({});
    expect(maxAmount(form({ side: 'buy', kind: 'market', priceCap: '0.5' }), ctx)).toBe('2');
  });

  it('is unknown without a price or a balance', () => {
    expect(maxAmount(form({ side: 'buy' }), ctx)).toBeNull();
    expect(maxAmount(form({ side: 'sell' }), { ...ctx, spendable: {} })).toBeNull();
  });
});

describe('taking one order', () => {
  const order = (over: Partial<OrderView> = {}): OrderView => ({
    id: 'a'.repeat(64),
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
    mine: false,
    makerPeerId: 'peer',
    swapIds: [],
    createdAt: 1,
    updatedAt: 1,
    ...over,
  });

  it('takes the whole remainder when no amount is given', () => {
    const r = checkTake(order(), '', ctx);
    expect(r).toEqual({
      error: null,
      params: { orderId: 'a'.repeat(64) },
      spend: { ticker: 'DEVB', amount: '0.5' },
      receive: { ticker: 'DEVA', amount: '2' },
    });
  });

  it('takes part of a partial order within the maker\u2019s minimum', () => {
    expect(checkTake(order(), '1', ctx).params).toEqual({ orderId: 'a'.repeat(64), amount: '1' });
    expect(checkTake(order(), '0.4', ctx).error).toMatch(/at least 0.5 DEVA/);
    expect(checkTake(order(), '3', ctx).error).toMatch(/has 2 DEVA left/);
  });

  it('sells base when taking a buy order, and checks that balance', () => {
    const r = checkTake(order({ side: 'buy', partial: { allowed: false, minBase: '2' } }), '1', ctx);
    expect(r.params).toEqual({ orderId: 'a'.repeat(64) });
    expect(r.spend).toEqual({ ticker: 'DEVA', amount: '2' });
    expect(
      checkTake(order({ side: 'buy', remainingBase: '3', partial: { allowed: false, minBase: '3' } }), '', ctx).error,
    ).toMatch(/needs 3 DEVA; you can spend 2.5 DEVA/);
  });
});
