// Contract slice of the settings domain. The user's settings, persisted in the node.
import { method } from '../api/method.ts';
import { Empty } from '../api/schemas.ts';
import { Settings, SettingsPatch } from '../api/settings-schemas.ts';

export const methods = {
  'settings.get': method(Empty, Settings, "The user's settings."),
  'settings.set': method(SettingsPatch, Settings, 'Change some settings; the rest stay as they are.'),
} as const;

export const events = {
  'settings.changed': Settings,
} as const;
