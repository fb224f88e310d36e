// The node-persisted settings as React hooks: read them, change some (the screen shows the
// change at once and goes back if the node refuses it), and the theme switch that writes
// settings.theme so the desktop window and every browser tab agree.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Params, Result } from '../../src-shared/api/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { useTheme, type Theme } from '../app/theme.tsx';
import { settingsKeys, settingsQueries } from './queries.ts';

export type Settings = Result<'settings.get'>;
export type SettingsPatch = Params<'settings.set'>;

export function useSettings() {
  const api = useApi();
  return useQuery(settingsQueries(api).current());
}

/** Merge a patch the way the node does (confirmations per coin merge; everything else replaces). */
export function mergeSettings(s: Settings, patch: SettingsPatch): Settings {
  return { ...s, ...patch, confirmations: { ...s.confirmations, ...patch.confirmations } } as Settings;
}

/**
 * Save a settings patch. The cache shows the change at once and returns to the node's value if
 * the node refuses it.
 */
export function useSaveSettings() {
  const api = useApi();
  const qc = useQueryClient();
  const mutation = useMutation({
    mutationKey: ['settings', 'set'],
    mutationFn: (v: { patch: SettingsPatch; before: Settings | undefined }) => api.call('settings.set', v.patch),
    onError: (_err, v) => {
      if (v.before) qc.setQueryData(settingsKeys.current, v.before);
    },
    onSuccess: (saved) => {
      qc.setQueryData(settingsKeys.current, saved);
    },
  });
  const { mutate } = mutation;
  const save = useCallback(
    (patch: SettingsPatch) => {
      void (async () => {
        // A fetch still under way would land after the change and put the old value back.
        await qc.cancelQueries({ queryKey: settingsKeys.current });
        const before = qc.getQueryData<Settings>(settingsKeys.current);
        if (before) qc.setQueryData<Settings>(settingsKeys.current, mergeSettings(before, patch));
        mutate({ patch, before });
      })();
    },
    [qc, mutate],
  );
  return {
    save,
    error: mutation.error,
    isPending: mutation.isPending,
    isSuccess: mutation.isSuccess,
    variables: mutation.variables,
    reset: mutation.reset,
  };
}

/** The theme, switched here and saved in the node (the local copy only avoids a flash at start). */
export function useThemeSetting(): { theme: Theme; setTheme(theme: Theme): void } {
  const { theme, setTheme: applyLocally } = useTheme();
  const { save } = useSaveSettings();
  const setTheme = useCallback(
    (next: Theme) => {
      save({ theme: next });
      applyLocally(next);
    },
    [applyLocally, save],
  );
  return { theme, setTheme };
}
