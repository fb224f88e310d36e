// Dark by default, light on request; the choice is remembered on this computer. Colours
// live in CSS variables keyed by <html data-theme>, so switching is one attribute.
import { createContext, use, useCallback, useMemo, useState, type ReactNode } from 'react';

export type Theme = 'dark' | 'light';
const STORAGE_KEY = 'hashlock.theme';

export function readStoredTheme(storage: Pick<Storage, 'getItem'> | null): Theme {
  try {
    return storage?.getItem(STORAGE_KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

export function applyTheme(theme: Theme, root: HTMLElement): void {
  root.dataset.theme = theme;
}

interface ThemeValue {
  theme: Theme;
  setTheme(theme: Theme): void;
}

const ThemeContext = createContext<ThemeValue | null>(null);

export function ThemeProvider(props: {
  initial: Theme;
  storage: Pick<Storage, 'setItem'> | null;
  children: ReactNode;
}) {
  const [theme, set] = useState<Theme>(props.initial);
  const { storage } = props;
  const setTheme = useCallback(
    (next: Theme) => {
      set(next);
      applyTheme(next, document.documentElement);
      try {
        storage?.setItem(STORAGE_KEY, next);
      } catch {
        // Storage can be unavailable (private mode); the choice then lasts for this page only.
      }
    },
    [storage],
  );
  const value = useMemo(() => ({ theme, setTheme }), [theme, setTheme]);
  return <ThemeContext value={value}>{props.children}</ThemeContext>;
}

export function useTheme(): ThemeValue {
  const v = use(ThemeContext);
  if (!v) throw new Error('ThemeProvider is missing');
  return v;
}
