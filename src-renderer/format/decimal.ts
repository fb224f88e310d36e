// Exact arithmetic on the node's decimal strings (prices, amounts) for what the screen derives
// from them: sums, comparisons, buckets. Every API decimal has at most 18 fraction digits, so
// they are held as bigint units of 1e-18 here. `chartNumber` is the ONE place a decimal becomes
// a float, and only to place pixels on a chart: nothing it returns is ever sent to the node.
import { formatAmount, parseAmount } from '../../src-shared/money/index.ts';

const SCALE = 18;

/** "1.5" → 1_500_000_000_000_000_000n (units of 1e-18). Throws a CodedError (AMOUNT_*) on anything else. */
export function decimalUnits(text: string): bigint {
  return parseAmount(text, SCALE);
}

/** Units of 1e-18 back to the shortest decimal string ("1.5"). */
export function unitsDecimal(units: bigint): string {
  return formatAmount(units, SCALE);
}

/** -1, 0 or 1, exactly ("0.1" vs "0.10000000000000001" is -1). */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = decimalUnits(a);
  const y = decimalUnits(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addDecimal(a: string, b: string): string {
  return unitsDecimal(decimalUnits(a) + decimalUnits(b));
}

/** The decimal string as a float, for chart coordinates only (display; never for amounts sent anywhere). */
export function chartNumber(text: string): number {
  return Number(text);
}

/** Digits after the point ("0.125" → 3, "4" → 0). */
export function fractionDigits(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** 10^k as a decimal string: 2 → "100", 0 → "1", -3 → "0.001". */
export function powerOfTen(k: number): string {
  if (k >= 0) return `1${'0'.repeat(k)}`;
  return `0.${'0'.repeat(-k - 1)}1`;
}

/**
 * What a user typed into an amount or price field, as a plain decimal string for parseAmount.
 * With ',' as the decimal separator a comma is accepted as the point; grouping separators are
 * never accepted (in "1.000" they would be indistinguishable from a decimal point).
 */
export function normalizeDecimalInput(
  text: string,
  decimalSeparator: '.' | ',',
): { ok: true; value: string } | { ok: false; message: string } {
  const t = text.trim();
  if (decimalSeparator === ',') {
    if (t.includes(',') && t.includes('.'))
      return { ok: false, message: 'Use one decimal comma and no thousands separators, e.g. 1250,5' };
    return { ok: true, value: t.replace(',', '.') };
  }
  if (t.includes(',')) return { ok: false, message: 'Use a dot for decimals and no thousands separators, e.g. 1250.5' };
  return { ok: true, value: t };
}
