// The wallets' public surface: what the app and other features may use.
export { walletsEvents } from './events.ts';
export { refreshBalances, walletKeys, walletQueries } from './queries.ts';
export { useBalances } from './use-balances.ts';
export { walletsPage } from './page.ts';
