// The settings module: the user's settings (risk, fees, theme, number format, notifications),
// stored in the node so every window agrees.
import { defineModule } from '../kernel/module.ts';
import { m0001Settings } from './migrations/0001_settings.ts';
import { createSettingsRepo, type SettingsRepo } from './repo.ts';
import { createSettingsService, type SettingsService } from './service.ts';

declare module '../kernel/module.ts' {
  interface Components {
    settings: SettingsService;
    /** Key/value rows for what a domain keeps between runs (swap key index, agreements). */
    settingsRepo: SettingsRepo;
  }
}

export const settingsModule = defineModule({
  name: 'settings',
  schema: { domain: 'settings', migrations: [m0001Settings] },
  needs: ['sealing'],
  provides: ['settings', 'settingsRepo'],
  create(c) {
    const repo = createSettingsRepo(c.db);
    const sealer = c.sealing.forDomain('settings');
    const settings = createSettingsService({ repo, coins: c.coins.all, events: c.events, sealer });
    const off = c.sealing.onChange((unlocked) => settings.vaultChanged(unlocked));
    return {
      stop: off,
      provides: { settings, settingsRepo: repo },
      handlers: {
        'settings.get': () => settings.get(),
        'settings.set': (p) => settings.set(p),
      },
    };
  },
});
