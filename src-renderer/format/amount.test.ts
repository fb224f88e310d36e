import { describe, expect, it } from 'vitest';
import { formatDecimalForDisplay, groupDigits, isZeroDecimal } from './amount.ts';

describe('amount display', () => {
  const cases: Array<[string, Parameters<typeof formatDecimalForDisplay>[1], string]> = [
    ['0', {}, '0'],
    ['12', {}, '12'],
    ['123', {}, '123'],
    ['1234', {}, '1,234'],
    ['1234567.5', {}, '1,234,567.5'],
    ['1234567.5', { minFractionDigits: 8 }, '1,234,567.50000000'],
    ['0.00000001', { minFractionDigits: 8 }, '0.00000001'],
    ['-1000.25', {}, '-1,000.25'],
    ['1000000', { groupSeparator: '\u2009' }, '1\u2009000\u2009000'],
    // The user's number format (Settings): European style, no grouping, narrow no-break space.
    ['1234567.5', { groupSeparator: '.', decimalSeparator: ',' }, '1.234.567,5'],
    ['1234567.5', { groupSeparator: '', decimalSeparator: '.' }, '1234567.5'],
    ['-1234.05', { groupSeparator: '\u202f', decimalSeparator: ',', minFractionDigits: 4 }, '-1\u202f234,0500'],
    ['12', { groupSeparator: '.', decimalSeparator: ',' }, '12'],
    // Digits beyond what a double holds survive, because nothing is parsed into a number.
    [
      '123456789012345678901234567890.123456789012345678',
      {},
      '123,456,789,012,345,678,901,234,567,890.123456789012345678',
    ],
    // Longer fractions are never cut to minFractionDigits.
    ['1.123456789', { minFractionDigits: 8 }, '1.123456789'],
  ];
  it.each(cases)('formats %s (%o) as %s', (input, opts, expected) => {
    expect(formatDecimalForDisplay(input, opts)).toBe(expected);
  });

  it('returns text that is not a decimal amount unchanged instead of guessing', () => {
    expect(formatDecimalForDisplay('1e5')).toBe('1e5');
    expect(formatDecimalForDisplay('NaN')).toBe('NaN');
    expect(formatDecimalForDisplay('01.5')).toBe('01.5');
  });

  it('groups digits from the right', () => {
    expect(groupDigits('1')).toBe('1');
    expect(groupDigits('100')).toBe('100');
    expect(groupDigits('1000')).toBe('1,000');
    expect(groupDigits('100000')).toBe('100,000');
  });

  it('recognises zero without parsing', () => {
    expect(isZeroDecimal('0')).toBe(true);
    expect(isZeroDecimal('0.00000000')).toBe(true);
    expect(isZeroDecimal('0.00000001')).toBe(false);
    expect(isZeroDecimal('10')).toBe(false);
  });
});
