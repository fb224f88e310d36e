// The settings domain's public surface: what other domains may use. Everything else in this
// folder is its own business (lint refuses a deep import from another domain).
export { type SettingsRepo } from './repo.ts';
export { type SettingsService } from './service.ts';
