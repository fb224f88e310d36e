// The API tokens' public surface: the panel the Node page shows, and its queries.
export { TokensPanel } from './TokensPanel.tsx';
export { tokensKeys, tokensQueries } from './queries.ts';
