// The user's number format (Settings → Numbers) for everything the screen prints: group and
// decimal separators applied by the one amount formatter. Components read it from context so
// a change from any client (settings.changed) re-renders every amount at once.
import { createContext, use, useCallback, type ReactNode } from 'react';
import type { Settings } from '../../src-shared/api/settings-schemas.ts';
import { formatDecimalForDisplay } from './amount.ts';

export type NumberFormat = Settings['numberFormat'];

export const DEFAULT_NUMBER_FORMAT: NumberFormat = { groupSeparator: ',', decimalSeparator: '.' };

const NumberFormatContext = createContext<NumberFormat>(DEFAULT_NUMBER_FORMAT);

export function NumberFormatProvider(props: { value: NumberFormat; children: ReactNode }) {
  return <NumberFormatContext value={props.value}>{props.children}</NumberFormatContext>;
}

export function useNumberFormat(): NumberFormat {
  return use(NumberFormatContext);
}

/** A decimal string in the user's format, e.g. "1.234,5" (text only: nothing is parsed into a float). */
export function formatNumber(fmt: NumberFormat, text: string, minFractionDigits = 0): string {
  return formatDecimalForDisplay(text, {
    groupSeparator: fmt.groupSeparator,
    decimalSeparator: fmt.decimalSeparator,
    minFractionDigits,
  });
}

export function useFormatDecimal(): (text: string, minFractionDigits?: number) => string {
  const fmt = useNumberFormat();
  return useCallback((text: string, minFractionDigits = 0) => formatNumber(fmt, text, minFractionDigits), [fmt]);
}
