// Payments' public surface: what other features and the app may use.
export { paymentsPage } from './page.tsx';
