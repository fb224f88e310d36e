import { describe, expect, it } from 'vitest';
import { addDecimal, compareDecimal, fractionDigits, normalizeDecimalInput, powerOfTen } from './decimal.ts';

describe('exact decimal strings', () => {
  it('compares beyond what a float can tell apart', () => {
    expect(compareDecimal('0.1', '0.100000000000000001')).toBe(-1);
    expect(compareDecimal('2', '2.000')).toBe(0);
    expect(compareDecimal('10', '9.999999999999999999')).toBe(1);
  });

  it('adds without rounding', () => {
    expect(addDecimal('0.1', '0.2')).toBe('0.3');
    expect(addDecimal('123456789012345678.5', '0.000000000000000001')).toBe('123456789012345678.500000000000000001');
  });

  it('writes powers of ten and counts fraction digits', () => {
    expect([powerOfTen(2), powerOfTen(0), powerOfTen(-1), powerOfTen(-4)]).toEqual(['100', '1', '0.1', '0.0001']);
    expect([fractionDigits('4'), fractionDigits('0.125')]).toEqual([0, 3]);
  });
});

describe('typed numbers follow the user\u2019s decimal separator', () => {
  it.each([
    ['1.5', '.', { ok: true, value: '1.5' }],
    [' 2 ', '.', { ok: true, value: '2' }],
    ['1,5', ',', { ok: true, value: '1.5' }],
    ['1.5', ',', { ok: true, value: '1.5' }],
  ] as const)('accepts %j with %j', (text, sep, out) => expect(normalizeDecimalInput(text, sep)).toEqual(out));

  it.each([
    ['1,250.5', '.', /dot for decimals/],
    ['1,5', '.', /dot for decimals/],
    ['1.250,5', ',', /decimal comma/],
  ] as const)('refuses grouping separators in %j with %j', (text, sep, msg) => {
    const r = normalizeDecimalInput(text, sep);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(msg);
  });
});
