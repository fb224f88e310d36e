// The user's settings (risk, fees, theme, number format, notifications), stored in the node so
// the desktop window and any browser UI agree. Defaults come from the coin registry.
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { ApiError } from '../../src-shared/api/errors.ts';
import { Settings, type SettingsPatch } from '../../src-shared/api/settings-schemas.ts';
import type { SettingsRepo } from './repo.ts';
import type { EventBus } from '../api/events.ts';
import type { RowSealer } from '../store/seal.ts';

const KEY = 'user-settings';
/** The settings that say which coins the user trades, sealed at rest (docs/store.md "Sealed data"). */
const PRIVATE_KEY = 'user-settings.private';
const PRIVATE_ROW = 'settings/user-settings.private';
type Private = Pick<Settings, 'confirmations'>;

export interface SettingsService {
  get(): Settings;
  set(patch: SettingsPatch): Settings;
  /** Confirmations the user requires on this coin before trusting a counterparty's lock. */
  confirmations(ticker: string): number;
  /** Seals private settings left plain (called at every unlock). */
  sealPlain(): void;
  /**
   * The vault was unlocked or locked: what the settings read as changed with it (the sealed ones
   * open or close), so every window is told (`settings.changed`) and none shows stale values.
   */
  vaultChanged(unlocked: boolean): void;
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
  /** Seals the private settings at rest; without it (tests of other domains) they stay plain. */
  sealer?: RowSealer;
}): SettingsService {
  const defaults = defaultSettings(d.coins);
  const { sealer } = d;
  const readPublic = (): Partial<Settings> => {
    const stored = Settings.partial().safeParse(d.repo.get(KEY) ?? {});
    // A damaged or older stored value falls back field by field to the defaults.
    return stored.success ? stored.data : {};
  };
  /** The sealed settings; while the vault is locked (or a sealed row does not open) none. */
  const readPrivate = (): Partial<Private> => {
    const row = d.repo.get<{ sealed?: unknown }>(PRIVATE_KEY);
    if (!sealer || typeof row?.sealed !== 'string' || !sealer.available()) return {};
    try {
      const parsed = Settings.pick({ confirmations: true })
        .partial()
        .safeParse(JSON.parse(sealer.open(PRIVATE_ROW, row.sealed)));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  };
  const read = (): Settings => {
    // A plain `confirmations` left in the public row (written before sealing) counts until it is sealed.
    const pub = readPublic();
    const priv = readPrivate();
    return {
      ...defaults,
      ...pub,
      confirmations: { ...defaults.confirmations, ...pub.confirmations, ...priv.confirmations },
    };
  };
  const write = (next: Settings): void => {
    if (!sealer) return d.repo.set(KEY, next);
    const { confirmations, ...pub } = next;
    const sealed = sealer.seal(PRIVATE_ROW, JSON.stringify({ confirmations }));
    d.repo.set(PRIVATE_KEY, { sealed });
    d.repo.set(KEY, pub);
  };
  /** Seals settings stored plain (by an older version, or while locked); runs at every unlock. */
  const sealPlain = (): void => {
    if (!sealer?.available() || readPublic().confirmations === undefined) return;
    write(read());
  };
  sealPlain();
  return {
    get: read,
    set(patch) {
      if (patch.confirmations !== undefined && sealer && !sealer.available())
        throw new ApiError('VAULT_LOCKED', 'Unlock the vault to change the confirmations: they are stored sealed.');
      const current = read();
      const unknown = Object.keys(patch.confirmations ?? {}).filter((t) => !d.coins.some((c) => c.ticker === t));
      if (unknown.length) throw new ApiError('INVALID_PARAMS', `unknown coin in confirmations: ${unknown.join(', ')}`);
      const next = Settings.parse({
        ...current,
        ...patch,
        confirmations: { ...current.confirmations, ...patch.confirmations },
      });
      if (sealer && !sealer.available()) {
        // Locked: only public settings change; the sealed row is left as it is.
        const { confirmations: _sealed, ...pub } = next;
        d.repo.set(KEY, { ...readPublic(), ...pub, confirmations: readPublic().confirmations });
      } else write(next);
      d.events?.emit('settings.changed', next);
      return next;
    },
    sealPlain,
    vaultChanged(unlocked) {
      if (unlocked) sealPlain();
      d.events?.emit('settings.changed', read());
    },
    confirmations(ticker) {
      const coin = d.coins.find((c) => c.ticker === ticker);
      return read().confirmations[ticker] ?? coin?.defaultConfirmations ?? 1;
    },
  };
}
