import { describe, expect, it } from 'vitest';
import { coinsForNetwork } from '../../src-shared/coins/networks.ts';
import { createSettingsService, defaultSettings } from './service.ts';
import { openTestStore } from '../core/test-store.ts';
import { createSettingsRepo } from './repo.ts';
import { createEventBus } from '../api/events.ts';
import { SettingsPatch } from '../../src-shared/api/settings-schemas.ts';

const coins = coinsForNetwork('devnet');

function service() {
  const db = openTestStore(':memory:');
  const repo = createSettingsRepo(db);
  const events = createEventBus();
  const seen: unknown[] = [];
  events.subscribe((e) => seen.push(e));
  return { s: createSettingsService({ repo, coins, events }), repo, seen };
}

describe('settings', () => {
  it('starts from the registry defaults', () => {
    const { s } = service();
    expect(s.get()).toEqual(defaultSettings(coins));
    expect(s.confirmations('DEVA')).toBe(1);
  });

  it('persists a patch, keeps the rest, and pushes settings.changed', () => {
    const { s, repo, seen } = service();
    const next = s.set({ confirmations: { DEVB: 3 }, theme: 'light' });
    expect(next.confirmations).toEqual({ DEVA: 1, DEVB: 3 });
    expect(next.theme).toBe('light');
    expect(next.feePreference).toBe('normal');
    expect(createSettingsService({ repo, coins }).get()).toEqual(next);
    expect(s.confirmations('DEVB')).toBe(3);
    expect(seen).toEqual([{ event: 'settings.changed', data: next }]);
  });

  it('refuses a coin it does not know and changes nothing', () => {
    const { s } = service();
    expect(() => s.set({ confirmations: { BTC: 2 } })).toThrow(/unknown coin/);
    expect(s.get()).toEqual(defaultSettings(coins));
  });

  it('falls back to defaults when the stored value is damaged', () => {
    const { s, repo } = service();
    repo.set('user-settings', { theme: 'purple', confirmations: 'lots' });
    expect(s.get()).toEqual(defaultSettings(coins));
  });

  const badPatches: Array<[string, unknown]> = [
    ['negative confirmations', { confirmations: { DEVA: -1 } }],
    ['unknown theme', { theme: 'sepia' }],
    ['same separators', { numberFormat: { groupSeparator: '.', decimalSeparator: '.' } }],
    ['unknown key', { font: 'big' }],
  ];
  it.each(badPatches)('the API schema refuses %s', (_n, patch) => {
    expect(SettingsPatch.safeParse(patch).success).toBe(false);
  });
});
