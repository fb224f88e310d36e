import { describe, expect, it } from 'vitest';
import { amountProblem, normaliseAmount, validateSwapForm, type SwapFormValues } from './swap-form.ts';
import { PEER } from './testdata.ts';

const known = { tickers: ['DEVA', 'DEVB'], decimalsOf: () => 8 };
const form = (over: Partial<SwapFormValues> = {}): SwapFormValues => ({
  role: 'maker',
  peerId: PEER,
  sellTicker: 'DEVA',
  sellAmount: '1.5',
  buyTicker: 'DEVB',
  buyAmount: '0.75',
  ttlMinutes: '10',
  ...over,
});

describe('amounts as typed', () => {
  it.each([
    ['1', null],
    ['0.00000001', null],
    ['1.50000000', null],
    ['.5', null],
    ['1.', null],
    ['12345678901234567890', null],
    ['', 'Enter an amount.'],
    ['0', 'Enter an amount above zero.'],
    ['0.000000000', 'Use at most 8 decimal places.'],
    ['0.000000001', 'Use at most 8 decimal places.'],
    ['1,5', 'Use digits and at most one dot, such as 0.5 (no commas, signs or letters).'],
    ['-1', 'Use digits and at most one dot, such as 0.5 (no commas, signs or letters).'],
    ['1e3', 'Use digits and at most one dot, such as 0.5 (no commas, signs or letters).'],
    ['1.2.3', 'Use digits and at most one dot, such as 0.5 (no commas, signs or letters).'],
    ['.', 'Use digits and at most one dot, such as 0.5 (no commas, signs or letters).'],
    ['1234567890123456789012345678901', 'That amount is too large.'],
  ])('%j → %j', (input, problem) => {
    expect(amountProblem(input)).toBe(problem);
  });

  it('never allows more decimals than the coin has', () => {
    expect(amountProblem('0.001', 2)).toBe('Use at most 2 decimal places.');
  });

  it.each([
    ['.5', '0.5'],
    ['1.', '1'],
    ['007.10', '7.10'],
    [' 0.50 ', '0.50'],
    ['0', '0'],
  ])('writes %j as %j for the node', (input, out) => {
    expect(normaliseAmount(input)).toBe(out);
  });
});

describe('the start-a-swap form', () => {
  it('builds swaps.start for the maker', () => {
    expect(validateSwapForm(form({ sellAmount: '.5' }), known)).toEqual({
      ok: true,
      role: 'maker',
      params: { peerId: PEER, sell: { ticker: 'DEVA', amount: '0.5' }, buy: { ticker: 'DEVB', amount: '0.75' } },
    });
  });

  it('builds swaps.allow with a TTL in seconds for the taker', () => {
    expect(
      validateSwapForm(form({ role: 'taker', sellTicker: 'DEVB', buyTicker: 'DEVA', ttlMinutes: '15' }), known),
    ).toEqual({
      ok: true,
      role: 'taker',
      params: {
        peerId: PEER,
        sell: { ticker: 'DEVB', amount: '1.5' },
        buy: { ticker: 'DEVA', amount: '0.75' },
        ttlSec: 900,
      },
    });
  });

  it('names every field that is wrong at once', () => {
    const r = validateSwapForm(
      form({ peerId: 'not-a-peer', buyTicker: 'DEVA', sellAmount: '0', buyAmount: 'x' }),
      known,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['buyAmount', 'buyTicker', 'peerId', 'sellAmount']);
    expect(r.errors.buyTicker).toBe('A swap needs two different coins.');
  });

  it('refuses coins the node does not know', () => {
    const r = validateSwapForm(form({ sellTicker: 'LTC' }), known);
    expect(r.ok ? null : r.errors.sellTicker).toBe('Choose a coin this node knows.');
  });

  it.each(['0', '1441', '1.5', '', 'ten'])('refuses a TTL of %j minutes for the taker', (ttl) => {
    const r = validateSwapForm(form({ role: 'taker', ttlMinutes: ttl }), known);
    expect(r.ok ? null : r.errors.ttlMinutes).toMatch(/whole minutes/);
  });

  it('ignores the TTL for the maker, who has none', () => {
    expect(validateSwapForm(form({ ttlMinutes: 'junk' }), known).ok).toBe(true);
  });
});
