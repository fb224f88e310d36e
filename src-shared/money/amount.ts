// Amounts are bigint base units (satoshis for Bitcoin-family coins). They cross every
// boundary (API, wire, UI) as decimal strings and are parsed here, never through floats.

import { CodedError } from '../errors.ts';

/** Why an amount or price was refused; the renderer words each one for people. */
export type AmountCode =
  | 'AMOUNT_NOT_DECIMAL'
  | 'AMOUNT_TOO_PRECISE'
  | 'AMOUNT_TOO_LARGE'
  | 'AMOUNT_NOT_FINITE'
  | 'AMOUNT_NOT_POSITIVE'
  | 'PRICE_NOT_POSITIVE';

export const amountError = (code: AmountCode, message: string) => new CodedError(code, message);

const DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/** Parse a non-negative decimal string ("1.5", "0.00000001") into base units. */
export function parseAmount(text: string, decimals: number): bigint {
  if (typeof text !== 'string') throw amountError('AMOUNT_NOT_DECIMAL', 'amount must be a decimal string');
  const trimmed = text.trim();
  const m = DECIMAL.exec(trimmed);
  if (!m)
    throw amountError('AMOUNT_NOT_DECIMAL', `"${text}" is not a decimal amount (use digits and one dot, e.g. 1.25)`);
  const whole = m[1] ?? '0';
  const frac = m[2] ?? '';
  if (frac.length > decimals)
    throw amountError('AMOUNT_TOO_PRECISE', `"${text}" has more than ${decimals} decimal places`);
  if (whole.length > 30) throw amountError('AMOUNT_TOO_LARGE', `"${text}" is too large`);
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0');
}

/** Print base units as a decimal string, trimming trailing zeros unless `fixed` is set. */
export function formatAmount(units: bigint, decimals: number, opts: { fixed?: boolean } = {}): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  let frac = (abs % base).toString().padStart(decimals, '0');
  if (!opts.fixed) frac = frac.replace(/0+$/, '');
  const body = frac.length > 0 ? `${whole}.${frac}` : whole.toString();
  return negative ? `-${body}` : body;
}

/** A daemon's JSON number amount (e.g. 0.1 from getbalance) read via its exact decimal text. */
export function amountFromCoinJson(value: number | string, decimals: number): bigint {
  const text = typeof value === 'number' ? numberToPlainDecimal(value, decimals) : value;
  const negative = text.startsWith('-');
  const units = parseAmount(negative ? text.slice(1) : text, decimals);
  return negative ? -units : units;
}

// JSON numbers from bitcoind are printed with at most 8 decimals; toFixed(decimals) renders the
// shortest round-trip double exactly at that precision, so no float arithmetic happens here.
function numberToPlainDecimal(value: number, decimals: number): string {
  if (!Number.isFinite(value)) throw amountError('AMOUNT_NOT_FINITE', 'amount is not a finite number');
  return value.toFixed(decimals);
}

export function minBigint(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
export function maxBigint(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
