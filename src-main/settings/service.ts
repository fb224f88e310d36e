// The user's settings (risk, fees, theme, number format, notifications), stored in the node so
// the desktop window and any browser UI agree. Defaults come from the coin registry.
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { ApiError } from '../../src-shared/api/errors.ts';
import { Settings, type SettingsPatch } from '../../src-shared/api/settings-schemas.ts';
import type { SettingsRepo } from './repo.ts';
import type { EventBus } from '../api/events.ts';

const KEY = 'user-settings';

export interface SettingsService {
  get(): Settings;
  set(patch: SettingsPatch): Settings;
  /** Confirmations the user requires on this coin before trusting a counterparty's lock. */
  confirmations(ticker: string): number;
}

export function defaultSettings(coins: readonly CoinParams[]): Settings {
  return {
    confirmations: Object.fromEntries(coins.map((c) => [c.ticker, c.defaultConfirmations])),
    feePreference: 'normal',
    theme: 'dark',
    numberFormat: { groupSeparator: ',', decimalSeparator: '.' },
    notifications: { muted: false },
  };
}

export function createSettingsService(d: {
  repo: SettingsRepo;
  coins: readonly CoinParams[];
  events?: EventBus;
}): SettingsService {
  const defaults = defaultSettings(d.coins);
  const read = (): Settings => {
    const stored = Settings.partial().safeParse(d.repo.get(KEY) ?? {});
    // A damaged or older stored value falls back field by field to the defaults.
    const s = stored.success ? stored.data : {};
    return { ...defaults, ...s, confirmations: { ...defaults.confirmations, ...s.confirmations } };
  };
  return {
    get: read,
    set(patch) {
      const current = read();
      const unknown = Object.keys(patch.confirmations ?? {}).filter((t) => !d.coins.some((c) => c.ticker === t));
      if (unknown.length) throw new ApiError('INVALID_PARAMS', `unknown coin in confirmations: ${unknown.join(', ')}`);
      const next = Settings.parse({
        ...current,
        ...patch,
        confirmations: { ...current.confirmations, ...patch.confirmations },
      });
      d.repo.set(KEY, next);
      d.events?.emit('settings.changed', next);
      return next;
    },
    confirmations(ticker) {
      const coin = d.coins.find((c) => c.ticker === ticker);
      return read().confirmations[ticker] ?? coin?.defaultConfirmations ?? 1;
    },
  };
}
