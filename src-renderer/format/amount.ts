// Display formatting for amounts that arrive as decimal strings. The digits are only
// regrouped and padded as text, never parsed into a number, so nothing is rounded away.

const DECIMAL = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

export interface AmountDisplayOptions {
  /** Pad the fraction with zeros up to this many digits (e.g. 8 for aligned columns). */
  minFractionDigits?: number;
  /** Thousands separator for the whole part; a thin space suits dense tables too. */
  groupSeparator?: string;
  /** Character between the whole and the fraction part ('.' unless the user chose ','). */
  decimalSeparator?: string;
}

/** "1234567.5" → "1,234,567.5"; with minFractionDigits 8 → "1,234,567.50000000". Input that is not a decimal string is returned unchanged. */
export function formatDecimalForDisplay(text: string, opts: AmountDisplayOptions = {}): string {
  const m = DECIMAL.exec(text.trim());
  if (!m) return text;
  const sign = m[1] ?? '';
  const whole = groupDigits(m[2] ?? '0', opts.groupSeparator ?? ',');
  const frac = (m[3] ?? '').padEnd(opts.minFractionDigits ?? 0, '0');
  return frac.length > 0 ? `${sign}${whole}${opts.decimalSeparator ?? '.'}${frac}` : `${sign}${whole}`;
}

/** Insert a separator every three digits from the right: "1234567" → "1,234,567". */
export function groupDigits(digits: string, separator = ','): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    const fromRight = digits.length - i;
    out += digits[i];
    if (fromRight > 1 && (fromRight - 1) % 3 === 0) out += separator;
  }
  return out;
}

/** True when a decimal string is exactly zero ("0", "0.000"), without parsing it. */
export function isZeroDecimal(text: string): boolean {
  return /^-?0(?:\.0*)?$/.test(text.trim());
}
