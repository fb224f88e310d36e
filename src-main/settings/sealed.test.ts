// The private settings (which coins the user trades, with what confirmations) are sealed at rest.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { COINS } from '../../src-shared/coins/registry.ts';
import { openTestStore } from '../core/test-store.ts';
import { createRowSealer } from '../store/seal.ts';
import { createSettingsRepo } from './repo.ts';
import { createSettingsService } from './service.ts';

function setup() {
  const db = openTestStore();
  const repo = createSettingsRepo(db);
  let key: Uint8Array | undefined = new Uint8Array(32).fill(7);
  const sealer = createRowSealer('settings', () => (key ? new Uint8Array(key) : undefined));
  const coins = COINS;
  const make = () => createSettingsService({ repo, coins, sealer });
  const dump = () =>
    (db.prepare('SELECT key, value FROM settings ORDER BY key').all() as Array<{ key: string; value: string }>)
      .map((r) => `${r.key}=${r.value}`)
      .join('\n');
  return { db, repo, make, dump, lock: () => (key = undefined), unlock: () => (key = new Uint8Array(32).fill(7)) };
}
const ticker = COINS[0]!.ticker;

describe('sealed settings', () => {
  it('store the confirmations sealed and the public settings plain', () => {
    const t = setup();
    const s = t.make();
    s.set({ confirmations: { [ticker]: 42 }, theme: 'light' });
    // ':42' is the plain JSON; base64 ciphertext has no ':' (it may well hold '42').
    expect(t.dump()).not.toContain(':42');
    expect(t.dump()).not.toContain('confirmations');
    expect(t.dump()).toContain('"theme":"light"');
    expect(t.make().get().confirmations[ticker]).toBe(42);
    t.db.close();
  });

  it('while locked read the defaults, refuse changing confirmations and change nothing, but allow public changes', () => {
    const t = setup();
    const s = t.make();
    s.set({ confirmations: { [ticker]: 42 } });
    const before = t.dump();
    t.lock();
    const def = COINS[0]!.defaultConfirmations;
    expect(s.get().confirmations[ticker]).toBe(def);
    expect(() => s.set({ confirmations: { [ticker]: 9 } })).toThrow(ApiError);
    expect(t.dump()).toBe(before);
    s.set({ theme: 'light' });
    t.unlock();
    expect(s.get()).toMatchObject({ theme: 'light', confirmations: { [ticker]: 42 } });
    t.db.close();
  });

  it('tell every window the settings as they read after an unlock and after a lock', () => {
    const t = setup();
    t.make().set({ confirmations: { [ticker]: 42 } });
    const pushed: Array<{ event: string; data: unknown }> = [];
    let locked = true;
    const s = createSettingsService({
      repo: t.repo,
      coins: COINS,
      sealer: createRowSealer('settings', () => (locked ? undefined : new Uint8Array(32).fill(7))),
      events: { emit: (event, data) => pushed.push({ event, data }), subscribe: () => () => undefined },
    });
    s.vaultChanged(true);
    locked = false;
    s.vaultChanged(true);
    locked = true;
    s.vaultChanged(false);
    const def = COINS[0]!.defaultConfirmations;
    expect(pushed.map((p) => p.event)).toEqual(['settings.changed', 'settings.changed', 'settings.changed']);
    expect(pushed.map((p) => (p.data as { confirmations: Record<string, number> }).confirmations[ticker])).toEqual([
      def,
      42,
      def,
    ]);
    t.db.close();
  });

  it('seal what an older version stored plain, at the first unlock', () => {
    const t = setup();
    t.repo.set('user-settings', { theme: 'light', confirmations: { [ticker]: 77 } });
    t.lock();
    const s = t.make();
    // ':77' is the plain JSON; base64 ciphertext has no ':' (it may well hold '77').
    expect(t.dump()).toContain(':77'); // locked: nothing can be sealed yet
    t.unlock();
    s.sealPlain();
    expect(t.dump()).not.toContain(':77');
    expect(t.dump()).not.toContain('confirmations');
    expect(s.get()).toMatchObject({ theme: 'light', confirmations: { [ticker]: 77 } });
    t.db.close();
  });
});
