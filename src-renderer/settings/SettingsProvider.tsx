// Applies the node-persisted settings to the whole app: the theme (when another client or a
// restart changed it) and the number format every amount is printed with.
import { useEffect, type ReactNode } from 'react';
import { useTheme } from '../app/theme.tsx';
import { DEFAULT_NUMBER_FORMAT, NumberFormatProvider } from '../format/number-format.tsx';
import { useSettings } from './use-settings.ts';

export function SettingsProvider(props: { children: ReactNode }) {
  const settings = useSettings();
  const { setTheme } = useTheme();
  const wanted = settings.data?.theme;

  // Follows the node's value when it changes (first load, another window, a refused change);
  // a switch made here is applied at once by useThemeSetting and is not undone in between.
  useEffect(() => {
    if (wanted) setTheme(wanted);
  }, [wanted, setTheme]);

  return (
    <NumberFormatProvider value={settings.data?.numberFormat ?? DEFAULT_NUMBER_FORMAT}>
      {props.children}
    </NumberFormatProvider>
  );
}
