// The `amount` of a payment request: decimal coins as BIP321 writes them, read into exact base
// units. Each way an amount can be wrong gets its own code, because "1e-3", "-1" and "1,000"
// are different mistakes and the payer should be told which one.
import { formatAmount } from '../money/amount.ts';
import type { CoinParams } from '../coins/registry.ts';
import { paymentError, type PaymentError } from './errors.ts';
import { maxAmount } from './schemes.ts';

const DECIMAL = /^([0-9]+)(?:\.([0-9]+))?$/;
/** More integer digits than any supply cap needs; refused before BigInt sees them. */
const MAX_WHOLE_DIGITS = 16;

/** Base units of a URI amount for `coin`, or a payments refusal naming what is wrong. */
export function parseUriAmount(text: string, coin: CoinParams): bigint {
  const shown = text.length > 40 ? `${text.slice(0, 39)}…` : text;
  if (text === '') throw paymentError('AMOUNT_INVALID', '"amount" is empty: leave it out to let the payer choose');
  if (text.startsWith('-')) throw paymentError('AMOUNT_NEGATIVE', `the amount "${shown}" is negative`);
  if (/[eE]/.test(text)) {
    throw paymentError(
      'AMOUNT_EXPONENT',
      `the amount "${shown}" uses an exponent; write it as plain decimal coins (e.g. 0.001)`,
    );
  }
  if (/[,_' ]/.test(text)) {
    throw paymentError(
      'AMOUNT_SEPARATOR',
      `the amount "${shown}" has a thousands separator or space; write digits with one dot (e.g. 1000.5)`,
    );
  }
  const m = DECIMAL.exec(text);
  if (!m) {
    throw paymentError(
      'AMOUNT_INVALID',
      `the amount "${shown}" is not decimal coins: use digits with an optional dot and digits after it (e.g. 0.5)`,
    );
  }
  const whole = m[1]!.replace(/^0+(?=[0-9])/, '');
  const frac = m[2] ?? '';
  if (frac.length > coin.decimals) {
    throw paymentError(
      'AMOUNT_TOO_PRECISE',
      `the amount "${shown}" has ${frac.length} decimal places; ${coin.ticker} has ${coin.decimals}`,
      { decimals: coin.decimals },
    );
  }
  const max = maxAmount(coin);
  if (whole.length > MAX_WHOLE_DIGITS) throw tooLarge(shown, coin, max);
  const units = BigInt(whole) * 10n ** BigInt(coin.decimals) + BigInt(frac.padEnd(coin.decimals, '0') || '0');
  if (units === 0n) {
    throw paymentError('AMOUNT_ZERO', 'the amount is zero; a request without "amount" lets the payer choose');
  }
  if (units > max) throw tooLarge(shown, coin, max);
  return units;
}

function tooLarge(shown: string, coin: CoinParams, max: bigint): PaymentError {
  return paymentError(
    'AMOUNT_TOO_LARGE',
    `the amount "${shown}" is more than all ${coin.ticker} there can ever be (${formatAmount(max, coin.decimals)})`,
  );
}

/** The shortest decimal text of an amount, as requests write it ("20.3", not "20.30000000"). */
export function formatUriAmount(units: bigint, coin: CoinParams): string {
  if (units <= 0n) throw paymentError('AMOUNT_ZERO', 'a request asks for more than zero');
  if (units > maxAmount(coin)) throw tooLarge(formatAmount(units, coin.decimals), coin, maxAmount(coin));
  return formatAmount(units, coin.decimals);
}
