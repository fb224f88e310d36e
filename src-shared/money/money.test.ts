import { describe, expect, it } from 'vitest';
import { isCoded } from '../errors.ts';
import { amountFromCoinJson, formatAmount, parseAmount } from './amount.ts';
import { comparePrice, formatPrice, parsePrice, price, priceOf, quoteFor } from './price.ts';

function expectCode(run: () => unknown, code: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (err) {
    thrown = err;
  }
  expect(isCoded(thrown, code), `expected ${code}, got ${String(thrown)}`).toBe(true);
}

describe('parseAmount', () => {
  const valid: Array<[string, number, bigint]> = [
    ['0', 8, 0n],
    ['1', 8, 100_000_000n],
    ['0.00000001', 8, 1n],
    ['21000000', 8, 2_100_000_000_000_000n],
    ['1.5', 8, 150_000_000n],
    [' 2.25 ', 8, 225_000_000n],
    ['10.1', 2, 1010n],
  ];
  it.each(valid)('parses %s with %i decimals', (text, d, units) => expect(parseAmount(text, d)).toBe(units));

  const invalid: Array<[string, RegExp]> = [
    ['', /not a decimal/],
    ['-1', /not a decimal/],
    ['1e8', /not a decimal/],
    ['0x10', /not a decimal/],
    ['1.', /not a decimal/],
    ['.5', /not a decimal/],
    ['01', /not a decimal/],
    ['1.000000001', /more than 8 decimal/],
    ['NaN', /not a decimal/],
    ['1,5', /not a decimal/],
    ['9'.repeat(31), /too large/],
  ];
  it.each(invalid)('rejects %j', (text, msg) => expect(() => parseAmount(text, 8)).toThrow(msg));
  it('rejects non-strings', () => expectCode(() => parseAmount(1 as unknown as string, 8), 'AMOUNT_NOT_DECIMAL'));
});

describe('formatAmount', () => {
  it('round-trips', () => {
    for (const s of ['0', '1', '0.00000001', '123.456', '20999999.99999999'])
      expect(formatAmount(parseAmount(s, 8), 8)).toBe(s);
  });
  it('prints fixed and negative', () => {
    expect(formatAmount(150_000_000n, 8, { fixed: true })).toBe('1.50000000');
    expect(formatAmount(-1n, 8)).toBe('-0.00000001');
  });
});

describe('amountFromCoinJson', () => {
  it('reads daemon JSON numbers exactly', () => {
    expect(amountFromCoinJson(0.1, 8)).toBe(10_000_000n);
    expect(amountFromCoinJson(0.00000001, 8)).toBe(1n);
    expect(amountFromCoinJson(49.99998, 8)).toBe(4_999_998_000n);
    expect(amountFromCoinJson(-0.5, 8)).toBe(-50_000_000n);
    expect(amountFromCoinJson('1.23', 8)).toBe(123_000_000n);
  });
  it('rejects non-finite', () => expectCode(() => amountFromCoinJson(Infinity, 8), 'AMOUNT_NOT_FINITE'));
});

describe('price', () => {
  it('reduces and compares exactly', () => {
    expect(price(25_000_000n, 100_000_000n)).toEqual({ num: 1n, den: 4n });
    expect(comparePrice(price(1n, 3n), price(333n, 1000n))).toBe(1);
    expect(comparePrice(price(2n, 6n), price(1n, 3n))).toBe(0);
  });
  it('parses and formats decimal prices', () => {
    const p = parsePrice('0.25', 8, 8);
    expect(p).toEqual({ num: 1n, den: 4n });
    expect(formatPrice(p, 8, 8)).toBe('0.25');
    expect(formatPrice(priceOf(300_000_000n, 100_000_000n), 8, 8)).toBe('0.33333333');
  });
  it('rounds quotes in the asked direction', () => {
    const p = price(1n, 3n);
    expect(quoteFor(p, 10n, 'down')).toBe(3n);
    expect(quoteFor(p, 10n, 'up')).toBe(4n);
    expect(quoteFor(p, 9n, 'up')).toBe(3n);
  });
  it('refuses zero, negative and degenerate prices', () => {
    expect(() => parsePrice('0', 8, 8)).toThrow(/greater than zero/);
    expect(() => price(1n, 0n)).toThrow(/denominator/);
    expect(() => price(-1n, 1n)).toThrow(/negative/);
    expect(() => priceOf(0n, 1n)).toThrow(/base amount/);
  });
});
