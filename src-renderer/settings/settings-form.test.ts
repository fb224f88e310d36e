import { describe, expect, it } from 'vitest';
import { checkNumberFormat, confirmationsMeaning, numberExample, parseConfirmations } from './settings-form.ts';

describe('number format choice', () => {
  it('shows how numbers will look', () => {
    expect(numberExample({ groupSeparator: ',', decimalSeparator: '.' })).toBe('1,234,567.89');
    expect(numberExample({ groupSeparator: '.', decimalSeparator: ',' })).toBe('1.234.567,89');
    expect(numberExample({ groupSeparator: '', decimalSeparator: ',' })).toBe('1234567,89');
  });

  it('refuses the same character for grouping and decimals', () => {
    expect(checkNumberFormat({ groupSeparator: ',', decimalSeparator: ',' })).toMatch(/must differ/);
    expect(checkNumberFormat({ groupSeparator: ' ', decimalSeparator: ',' })).toBeNull();
  });
});

describe('confirmations per coin', () => {
  it.each([
    ['1', 1],
    ['2', 2],
    [' 6 ', 6],
    ['100', 100],
  ])('accepts %j', (text, n) => expect(parseConfirmations(text)).toEqual({ ok: true, value: n }));
  it.each([
    ['', /Enter/],
    ['0', /At least 1/],
    ['1.5', /whole number/],
    ['-1', /whole number/],
    ['101', /At most 100/],
    ['1e2', /whole number/],
  ])('refuses %j', (text, msg) => {
    const r = parseConfirmations(text);
    expect(!r.ok && r.message).toMatch(msg);
  });

  it('says what a number of confirmations means in time and risk', () => {
    expect(confirmationsMeaning(2, 600)).toBe('2 blocks, about 20 min');
    expect(confirmationsMeaning(1, 5)).toBe('1 block, under a minute');
    expect(confirmationsMeaning(3, undefined)).toBe('3 blocks');
  });
});
