// The Settings page's registry entry (app/pages.ts): #/settings, kept at the bottom of the navigation.
import type { PageEntry } from '../app/routes.ts';
import { SettingsPage } from './SettingsPage.tsx';

export const settingsPage: PageEntry<'settings'> = {
  id: 'settings',
  nav: { label: 'Settings', icon: 'settings', order: 100, bottom: true },
  component: SettingsPage,
};
