// The dry run a user confirms: which orders a market order fills and at what average price,
// what stays unfilled under the price cap, this node's own orders passed by, one taker fee per
// order taken (summed in one coin), and wallet fee rates with the wallet's minimum as fallback.
import { describe, expect, it } from 'vitest';
import { price } from '../../src-shared/money/index.ts';
import { OrderBook, type BookEntry } from '../../src-shared/orders/book.ts';
import { MAKER, NOW, signedOrder, testKey } from '../../src-shared/orders/testkit.ts';
import type { Order } from '../../src-shared/orders/types.ts';
import { createOrderPreview, takerFeeOf } from './preview.ts';
import { COIN, DEVA_DEVB, DEVNET } from './testkit.ts';

const OTHER_MAKER = testKey(40);
/** 1 DEVA at 0.25 (partial, at least 0.1) and 1 DEVA at 0.5 by another maker. */
const cheap = signedOrder();
const dear = signedOrder({ quoteAmount: COIN / 2n, nonce: '2c'.repeat(16) }, { maker: OTHER_MAKER });
const FEE = { ticker: 'DEVB', amount: 100_000n };

function preview(opts: { myKey?: string; estimate?: 'ok' | 'fails' | 'no-wallet' } = {}) {
  const book = new OrderBook(DEVA_DEVB);
  book.add(cheap, NOW);
  book.add(dear, NOW);
  return createOrderPreview({
    coins: DEVNET,
    wallets: {
      isConfigured: () => opts.estimate !== 'no-wallet',
      feeEstimate: async () => {
        if (opts.estimate === 'fails') throw new Error('daemon down');
        return { satPerVb: '20', source: 'estimate' as const };
      },
    },
    confirmations: () => 1,
    book: { book: () => book, find: (id) => book.get(id) },
    feeFor: () => FEE,
    myKey: () => opts.myKey ?? null,
  });
}

describe('a market order preview', () => {
  it('fills the best orders first and prices the whole at their average; one taker fee per order taken', async () => {
    const { preview: p, plan } = await preview().sweep(DEVA_DEVB, 'buy', (3n * COIN) / 2n, null);
    expect(plan.fills.map((f) => f.orderId)).toEqual([cheap.id, dear.id]);
    expect(p).toMatchObject({
      fills: [
        { orderId: cheap.id, baseAmount: '1', quoteAmount: '0.25', price: '0.25' },
        { orderId: dear.id, baseAmount: '0.5', quoteAmount: '0.25', price: '0.5' },
      ],
      baseAmount: '1.5',
      quoteAmount: '0.5',
      averagePrice: '0.33333333',
      unfilled: '0',
      fees: { takerFee: { ticker: 'DEVB', amount: '0.002' } },
    });
  });

  it('leaves unfilled what the price cap keeps out', async () => {
    const { preview: p } = await preview().sweep(DEVA_DEVB, 'buy', 2n * COIN, price(3n, 10n));
    expect(p).toMatchObject({ baseAmount: '1', unfilled: '1', fees: { takerFee: { amount: '0.001' } } });
  });

  it("passes this node's own orders by", async () => {
    const { preview: p } = await preview({ myKey: MAKER.pubkey }).sweep(DEVA_DEVB, 'buy', COIN, null);
    expect(p.fills.map((f) => f.orderId)).toEqual([dear.id]);
  });

  it('nothing to fill: no average price, all of it unfilled', async () => {
    const { preview: p } = await preview().sweep(DEVA_DEVB, 'sell', COIN, null);
    expect(p).toMatchObject({ fills: [], averagePrice: null, unfilled: '1', fees: { takerFee: null } });
  });
});

describe('fee rates in previews', () => {
  const entry: BookEntry = { order: cheap, remainingBase: COIN, lastSeenAt: NOW };
  const lockFee = async (estimate: 'ok' | 'fails' | 'no-wallet') =>
    (await preview({ estimate }).take(entry, COIN)).fees.networkFees[0]!.amount;

  it("the wallet's estimate, else the wallet's minimum (no wallet, or the daemon does not answer)", async () => {
    // A taker of a sell locks DEVB: 200 vB per swap at the rate.
    expect(await lockFee('ok')).toBe('0.00004');
    expect(await lockFee('fails')).toBe('0.00002');
    expect(await lockFee('no-wallet')).toBe('0.00002');
  });
});

describe("a maker's and a taker's single-order previews", () => {
  it('a limit order at its price: nothing filled now, maker fees', async () => {
    const p = await preview().atPrice(DEVA_DEVB, 'sell', COIN, COIN / 4n, price(1n, 4n), true);
    expect(p).toMatchObject({ fills: [], baseAmount: '1', quoteAmount: '0.25', averagePrice: '0.25', unfilled: '0' });
    expect(p.fees.takerFee).toBeNull();
    expect(p.fees.networkFees[0]!.what).toBe('locking your coins (about, per fill)');
  });

  it("taking part of one order, at that order's price", async () => {
    const p = await preview().take({ order: dear, remainingBase: COIN, lastSeenAt: NOW }, COIN / 2n);
    expect(p).toMatchObject({
      fills: [{ orderId: dear.id, baseAmount: '0.5', quoteAmount: '0.25' }],
      averagePrice: '0.5',
    });
  });
});

describe('item 3: a take preview refuses what the swap or the fee makes pointless', () => {
  it('a fill below the swap minimum is refused before anything is sent', async () => {
    await expect(preview().take({ order: cheap, remainingBase: 4000n, lastSeenAt: NOW }, 4000n)).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringMatching(/cannot be swapped/),
    });
  });
  it('a fill that gives the taker less than its fee in the same coin is refused', async () => {
    // The maker buys 1 DEVA for 0.0005 DEVB: the taker would get 50 000 DEVB units and pay a 100 000 fee.
    const buy = signedOrder({ side: 'buy', quoteAmount: 50_000n, nonce: '4e'.repeat(16) });
    await expect(preview().take({ order: buy, remainingBase: COIN, lastSeenAt: NOW }, COIN)).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringMatching(/not worth its fee/),
    });
  });
});

describe('takerFeeOf', () => {
  const fees: Record<string, { ticker: string; amount: bigint } | null> = {
    [cheap.id]: { ticker: 'DEVB', amount: 5n },
    [dear.id]: { ticker: 'DEVA', amount: 7n },
  };
  const feeFor = (o: Order) => fees[o.id] ?? null;
  it('sums the fees of orders paid in one coin; an unknown fee adds nothing', () => {
    expect(takerFeeOf([cheap, cheap, signedOrder({ nonce: '3d'.repeat(16) })], feeFor)).toEqual({
      ticker: 'DEVB',
      amount: 10n,
    });
    expect(takerFeeOf([], feeFor)).toBeNull();
  });
  it("a fee in another coin is not added to the first coin's sum", () => {
    expect(takerFeeOf([cheap, dear], feeFor)).toEqual({ ticker: 'DEVB', amount: 5n });
  });
});
