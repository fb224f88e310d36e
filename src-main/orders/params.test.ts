// The API's strings as an order's exact terms: each wrong field gets the words a user can act on
// (which market, which field, why), checked in the order a user fixes them.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { price } from '../../src-shared/money/index.ts';
import { createOrderParams, type MakeParams } from './params.ts';
import { COIN, DEVA_DEVB, DEVNET } from './testkit.ts';

const connected = new Set(['DEVA', 'DEVB']);
const params = createOrderParams({ markets: [DEVA_DEVB], coins: DEVNET, isConfigured: (t) => connected.has(t) });
const make = (over: Partial<MakeParams>): MakeParams => ({
  kind: 'limit',
  ...DEVA_DEVB,
  side: 'sell',
  amount: '1',
  ...over,
});

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('order params: valid terms', () => {
  it('a whole order: partial fills not allowed, its minimum is all of it', () => {
    expect(params.terms(make({ amount: '1.5' }))).toEqual({
      market: DEVA_DEVB,
      dec: { base: 8, quote: 8 },
      amount: 150_000_000n,
      partial: { allowed: false, minBase: 150_000_000n },
      cap: null,
    });
  });

  it('a minimum below the amount allows partial fills of at least that', () => {
    expect(params.terms(make({ amount: '2', minAmount: '0.5' })).partial).toEqual({
      allowed: true,
      minBase: COIN / 2n,
    });
  });

  it('a minimum equal to the amount is a whole order', () => {
    expect(params.terms(make({ amount: '2', minAmount: '2' })).partial).toEqual({ allowed: false, minBase: 2n * COIN });
  });

  it('a price cap is an exact ratio of base units', () => {
    expect(params.terms(make({ kind: 'market', priceCap: '0.25' })).cap).toEqual(price(25_000_000n, 100_000_000n));
  });
});

describe('order params: refusals', () => {
  const cases: Array<[string, () => unknown, string, RegExp]> = [
    [
      'a flipped market is explained, not guessed',
      () => params.market('DEVB', 'DEVA'),
      'INVALID_PARAMS',
      /^The market is DEVA\/DEVB: use base DEVA and quote DEVB \(a buy of DEVB is a sell of DEVA\)\.$/,
    ],
    [
      'a market this node does not trade names the ones it does',
      () => params.market('DEVA', 'BTC'),
      'NOT_FOUND',
      /^This node does not trade DEVA\/BTC \(it trades DEVA\/DEVB\)\.$/,
    ],
    [
      'a zero amount',
      () => params.terms(make({ amount: '0' })),
      'INVALID_PARAMS',
      /^amount "0" is not a DEVA amount: .*more than 0/,
    ],
    [
      'more decimals than the coin has',
      () => params.terms(make({ amount: '0.000000001' })),
      'INVALID_PARAMS',
      /^amount "0.000000001" is not a DEVA amount/,
    ],
    [
      'a minimum above the amount',
      () => params.terms(make({ amount: '1', minAmount: '2' })),
      'INVALID_PARAMS',
      /^minAmount must not be more than amount\.$/,
    ],
    [
      'a bad minimum names its field',
      () => params.terms(make({ amount: '1', minAmount: 'x' })),
      'INVALID_PARAMS',
      /^minAmount "x" is not a DEVA amount/,
    ],
    [
      'a price that is not a number names the market it is quoted in',
      () => params.price('cheap', DEVA_DEVB, 'price'),
      'INVALID_PARAMS',
      /^price "cheap" is not a price in DEVB per DEVA/,
    ],
    [
      'a bad price cap names its field',
      () => params.terms(make({ kind: 'market', priceCap: '-1' })),
      'INVALID_PARAMS',
      /^priceCap "-1" is not a price/,
    ],
    [
      'the market is checked before the amount',
      () => params.terms(make({ base: 'DEVB', quote: 'DEVA', amount: '0' })),
      'INVALID_PARAMS',
      /^The market is DEVA\/DEVB/,
    ],
  ];
  it.each(cases)('%s', (_name, fn, code, message) => {
    const r = refusal(fn);
    expect(r.code).toBe(code);
    expect(r.message).toMatch(message);
  });

  it('a trade needs a wallet on each side of the market', () => {
    connected.delete('DEVB');
    try {
      expect(refusal(() => params.requireWallets(DEVA_DEVB))).toEqual({
        code: 'WALLET_NOT_CONFIGURED',
        message: 'Connect a DEVB wallet first: a trade of DEVA/DEVB needs both.',
      });
    } finally {
      connected.add('DEVB');
    }
    expect(() => params.requireWallets(DEVA_DEVB)).not.toThrow();
  });
});
