// Identity's public surface: what other features and the app may use.
export { identityPage } from './page.tsx';
export { identityEvents } from './events.ts';
export { identityKeys, identityQueries } from './queries.ts';
