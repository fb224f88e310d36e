// The swaps' public surface: what the app and other features may use.
export { swapsEvents } from './events.ts';
export { swapsPage } from './page.ts';
export { swapKeys, swapQueries } from './queries.ts';
export { SwapProgress } from './SwapProgress.tsx';
