// Applies the node-persisted settings to the whole app: the theme (when another client or a
// restart changed it) and the number format every amount is printed with.
import { useEffect, type ReactNode } from 'react';
import { useTheme } from '../app/theme.tsx';
import { DEFAULT_NUMBER_FORMAT, NumberFormatProvider } from './number-format.tsx';
import { useSettings } from './use-settings.ts';

export function SettingsProvider(props: { children: ReactNode }) {
  const settings = useSettings();
  const { theme, setTheme } = useTheme();
  const wanted = settings.data?.theme;

  useEffect(() => {
    if (wanted && wanted !== theme) setTheme(wanted);
  }, [wanted, theme, setTheme]);

  return <NumberFormatProvider value={settings.data?.numberFormat ?? DEFAULT_NUMBER_FORMAT}>{props.children}</NumberFormatProvider>;
}
