// Communities' public surface: what other features and the app may use.
export { communitiesEvents } from './events.ts';
export { communityKeys, communityQueries } from './queries.ts';
export { communitiesPage } from './page.ts';
export { SwapChatButton } from './SwapChat.tsx';
