// The "start a swap with a peer" form → swaps.start (this node locks first, as the maker) or
// swaps.allow (this node agrees in advance and locks second, as the taker). Amounts are checked
// as typed text and sent as the same decimal strings; nothing is parsed into a float.
import { isCoded } from '../../src-shared/errors.ts';
import { parseAmount } from '../../src-shared/money/index.ts';
import type { Params } from '../../src-shared/api/contract.ts';
import { PeerIdParam } from '../../src-shared/api/schemas.ts';

export type SwapRole = 'maker' | 'taker';

export interface SwapFormValues {
  role: SwapRole;
  peerId: string;
  sellTicker: string;
  sellAmount: string;
  buyTicker: string;
  buyAmount: string;
  /** Taker only: how long the agreement stands, in minutes. */
  ttlMinutes: string;
}

export type SwapFormField = 'peerId' | 'sellTicker' | 'sellAmount' | 'buyTicker' | 'buyAmount' | 'ttlMinutes';
export type SwapFormErrors = Partial<Record<SwapFormField, string>>;

export type SwapFormResult =
  | { ok: true; role: 'maker'; params: Params<'swaps.start'> }
  | { ok: true; role: 'taker'; params: Params<'swaps.allow'> }
  | { ok: false; errors: SwapFormErrors };

/** Amounts carry at most this many decimals, whatever the coin (all coins this app knows have 8). */
export const MAX_DECIMALS = 8;
export const DEFAULT_TTL_MINUTES = '10';
const MAX_TTL_MINUTES = 24 * 60;

/** null when the text is a usable amount (decimal, at most `decimals` places, above zero), else what is wrong. */
export function amountProblem(text: string, decimals: number = MAX_DECIMALS): string | null {
  const t = text.trim();
  if (t.length === 0) return 'Enter an amount.';
  if (!/^[0-9]+(\.[0-9]*)?$|^\.[0-9]+$/.test(t))
    return 'Use digits and at most one dot, such as 0.5 (no commas, signs or letters).';
  const places = Math.min(decimals, MAX_DECIMALS);
  const normalised = normaliseAmount(t);
  let units: bigint;
  try {
    units = parseAmount(normalised, places);
  } catch (err) {
    if (isCoded(err, 'AMOUNT_TOO_PRECISE')) return `Use at most ${places} decimal places.`;
    if (isCoded(err, 'AMOUNT_TOO_LARGE')) return 'That amount is too large.';
    return 'Use digits and at most one dot, such as 0.5.';
  }
  if (units <= 0n) return 'Enter an amount above zero.';
  return null;
}

/** "0.50" stays "0.50"; ".5" → "0.5"; "1." → "1"; "007" → "7": the contract's decimal form, digits unchanged. */
export function normaliseAmount(text: string): string {
  let t = text.trim();
  if (t.startsWith('.')) t = `0${t}`;
  if (t.endsWith('.')) t = t.slice(0, -1);
  const [whole = '0', frac] = t.split('.');
  const w = whole.replace(/^0+(?=[0-9])/, '');
  return frac === undefined ? w : `${w}.${frac}`;
}

export function validateSwapForm(
  v: SwapFormValues,
  known: { tickers: readonly string[]; decimalsOf(ticker: string): number | undefined },
): SwapFormResult {
  const errors: SwapFormErrors = {};
  const peerId = v.peerId.trim();
  if (peerId.length === 0)
    errors.peerId = 'Enter the peer\u2019s ID (the other person finds it on their Network page).';
  else if (!PeerIdParam.safeParse(peerId).success)
    errors.peerId = 'That is not a peer ID. It looks like 12D3KooW\u2026 followed by about 44 letters and digits.';

  for (const [field, ticker] of [
    ['sellTicker', v.sellTicker],
    ['buyTicker', v.buyTicker],
  ] as const) {
    if (!known.tickers.includes(ticker)) errors[field] = 'Choose a coin this node knows.';
  }
  if (!errors.sellTicker && !errors.buyTicker && v.sellTicker === v.buyTicker)
    errors.buyTicker = 'A swap needs two different coins.';

  const sellProblem = amountProblem(v.sellAmount, known.decimalsOf(v.sellTicker));
  if (sellProblem) errors.sellAmount = sellProblem;
  const buyProblem = amountProblem(v.buyAmount, known.decimalsOf(v.buyTicker));
  if (buyProblem) errors.buyAmount = buyProblem;

  let ttlSec: number | undefined;
  if (v.role === 'taker') {
    const t = v.ttlMinutes.trim();
    const minutes = /^[0-9]{1,4}$/.test(t) ? Number(t) : Number.NaN;
    if (!(minutes >= 1 && minutes <= MAX_TTL_MINUTES))
      errors.ttlMinutes = `Enter whole minutes from 1 to ${MAX_TTL_MINUTES} (24 hours).`;
    else ttlSec = minutes * 60;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const sell = { ticker: v.sellTicker, amount: normaliseAmount(v.sellAmount) };
  const buy = { ticker: v.buyTicker, amount: normaliseAmount(v.buyAmount) };
  return v.role === 'maker'
    ? { ok: true, role: 'maker', params: { peerId, sell, buy } }
    : { ok: true, role: 'taker', params: { peerId, sell, buy, ...(ttlSec !== undefined ? { ttlSec } : {}) } };
}
