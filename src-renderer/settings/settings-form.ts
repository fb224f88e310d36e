// Checks for the Settings page's inputs before anything is sent to the node, with the words
// shown next to the field. The node checks the same limits (settings-schemas.ts) again.
import type { Settings } from '../../src-shared/api/settings-schemas.ts';
import { formatDecimalForDisplay } from '../format/amount.ts';

export type NumberFormat = Settings['numberFormat'];
export type GroupSeparator = NumberFormat['groupSeparator'];
export type DecimalSeparator = NumberFormat['decimalSeparator'];

export const GROUP_SEPARATORS: ReadonlyArray<{ value: GroupSeparator; label: string }> = [
  { value: ',', label: 'Comma' },
  { value: '.', label: 'Dot' },
  { value: ' ', label: 'Space' },
  { value: '\u202f', label: 'Narrow space' },
  { value: '', label: 'None' },
];

export const DECIMAL_SEPARATORS: ReadonlyArray<{ value: DecimalSeparator; label: string }> = [
  { value: '.', label: 'Dot' },
  { value: ',', label: 'Comma' },
];

export const MAX_CONFIRMATIONS = 100;

export function checkNumberFormat(f: NumberFormat): string | null {
  return f.groupSeparator === f.decimalSeparator
    ? 'The group and decimal separators must differ, or numbers could be read two ways.'
    : null;
}

/** How a number looks in this format, for the example next to the choice. */
export function numberExample(f: NumberFormat): string {
  return formatDecimalForDisplay('1234567.89', {
    groupSeparator: f.groupSeparator,
    decimalSeparator: f.decimalSeparator,
  });
}

export type Parsed = { ok: true; value: number } | { ok: false; message: string };

export function parseConfirmations(text: string): Parsed {
  const t = text.trim();
  if (t === '') return { ok: false, message: 'Enter a number of confirmations.' };
  if (!/^[0-9]{1,3}$/.test(t)) return { ok: false, message: 'Use a whole number, e.g. 2.' };
  const n = Number(t);
  // A maker that claims against an unconfirmed lock can be double-spent after revealing its secret.
  if (n < 1) return { ok: false, message: 'At least 1: an unconfirmed lock can still be double-spent.' };
  if (n > MAX_CONFIRMATIONS) return { ok: false, message: `At most ${MAX_CONFIRMATIONS}.` };
  return { ok: true, value: n };
}

/** "2 blocks, about 20 min" for a coin's block time. */
export function confirmationsMeaning(n: number, blockTimeSec: number | undefined): string {
  const blocks = n === 1 ? '1 block' : `${n} blocks`;
  if (!blockTimeSec) return blocks;
  const minutes = Math.round((n * blockTimeSec) / 60);
  return `${blocks}, ${minutes < 1 ? 'under a minute' : `about ${minutes} min`}`;
}
