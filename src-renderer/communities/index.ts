// Communities' public surface: what other features and the app may use.
export { communitiesPage } from './page.tsx';
