import { describe, expect, it } from 'vitest';
import { coinsForNetwork } from '../../src-shared/coins/networks.ts';
import { createSettingsService, defaultSettings } from './service.ts';
import { openTestStore } from '../core/test-store.ts';
import { createSettingsRepo } from './repo.ts';
import { createEventBus } from '../api/events.ts';
import { SettingsPatch } from '../../src-shared/api/settings-schemas.ts';
import { createDispatcher } from '../api/dispatcher.ts';
import { silentLogger } from '../kernel/log.ts';

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

  it('refuses a __proto__, constructor or prototype key at any depth with a clear error, and changes nothing', async () => {
    const { s, repo, seen } = service();
    const dispatcher = createDispatcher({ 'settings.set': (p) => s.set(p) }, silentLogger);
    for (const [text, at, key] of [
      ['{"theme":"light","confirmations":{"__proto__":{"DEVB":5}}}', 'confirmations', '__proto__'],
      ['{"theme":"light","confirmations":{"DEVB":2,"prototype":3}}', 'confirmations', 'prototype'],
      ['{"theme":"light","constructor":{"prototype":{"theme":"light"}}}', '(root)', 'constructor'],
      ['{"numberFormat":{"groupSeparator":" ","decimalSeparator":",","constructor":1}}', 'numberFormat', 'constructor'],
    ] as const) {
      const out = await dispatcher.call('settings.set', JSON.parse(text), { transport: 'internal' });
      expect(out).toMatchObject({
        ok: false,
        error: {
          code: 'INVALID_PARAMS',
          message: `invalid params for settings.set: ${at}: the key "${key}" is not allowed (no key may be __proto__, constructor or prototype)`,
        },
      });
    }
    expect(s.get()).toEqual(defaultSettings(coins));
    expect(repo.get('user-settings')).toBeUndefined();
    expect(seen).toEqual([]);
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
