// The history domain's public surface: what other domains may use. Everything else in this
// folder is its own business (lint refuses a deep import from another domain).
export { type MakerCheck, type TradeHistory } from './service.ts';
export { createTradeRepo } from './repo.ts';
