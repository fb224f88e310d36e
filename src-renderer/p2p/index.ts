// The peer-to-peer network's public surface: what the app and other features may use.
export { p2pEvents } from './events.ts';
export { networkPage } from './page.ts';
export { p2pKeys, p2pQueries } from './queries.ts';
