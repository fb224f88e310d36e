// The registry feature's public surface.
export { registryPage } from './page.tsx';
export { registryEvents } from './events.ts';
export { registryKeys, registryQueries } from './queries.ts';
