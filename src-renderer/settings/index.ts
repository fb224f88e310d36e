// The settings' public surface: what the app and other features may use.
export { settingsEvents } from './events.ts';
export { settingsPage } from './page.ts';
export { SettingsProvider } from './SettingsProvider.tsx';
export { useSaveSettings, useSettings, useThemeSetting, type Settings } from './use-settings.ts';
