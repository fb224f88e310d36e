// Prices are exact ratios of base units: quote units per base unit, kept as a reduced fraction.
// "1 DEVA = 0.25 DEVB" with 8 decimals each is {num: 25_000_000n, den: 100_000_000n} → {1n, 4n}.
import { amountError, formatAmount, parseAmount } from './amount.ts';

export interface Price {
  readonly num: bigint; // quote base units
  readonly den: bigint; // base base units
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

export function price(num: bigint, den: bigint): Price {
  if (den <= 0n) throw amountError('PRICE_NOT_POSITIVE', 'price denominator must be positive');
  if (num < 0n) throw amountError('PRICE_NOT_POSITIVE', 'price must not be negative');
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

/** Price from base and quote amounts of one order (quote/base). */
export function priceOf(baseUnits: bigint, quoteUnits: bigint): Price {
  if (baseUnits <= 0n) throw amountError('AMOUNT_NOT_POSITIVE', 'base amount must be positive');
  return price(quoteUnits, baseUnits);
}

/** Parse a decimal price "quote per 1 whole base coin" into a ratio of base units. */
export function parsePrice(text: string, baseDecimals: number, quoteDecimals: number): Price {
  const quotePerWhole = parseAmount(text, quoteDecimals);
  if (quotePerWhole === 0n) throw amountError('PRICE_NOT_POSITIVE', 'price must be greater than zero');
  return price(quotePerWhole, 10n ** BigInt(baseDecimals));
}

/** Print as decimal quote-per-whole-base, rounded down to `quoteDecimals`. */
export function formatPrice(p: Price, baseDecimals: number, quoteDecimals: number): string {
  const quotePerWhole = (p.num * 10n ** BigInt(baseDecimals)) / p.den;
  return formatAmount(quotePerWhole, quoteDecimals);
}

export function comparePrice(a: Price, b: Price): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Quote units for `baseUnits` at price p; rounding direction explicit so no side is shortchanged silently. */
export function quoteFor(p: Price, baseUnits: bigint, rounding: 'down' | 'up'): bigint {
  const prod = p.num * baseUnits;
  const q = prod / p.den;
  return rounding === 'up' && q * p.den !== prod ? q + 1n : q;
}

export function priceToJson(p: Price): { num: string; den: string } {
  return { num: p.num.toString(), den: p.den.toString() };
}
