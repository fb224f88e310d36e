// Identity's public surface: what other features and the app may use.
export { identityPage } from './page.tsx';
