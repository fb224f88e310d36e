// Payments' public surface: what other features and the app may use.
export { paymentsEvents } from './events.ts';
export { paymentsPage } from './page.tsx';
export { paymentKeys, paymentQueries } from './queries.ts';
export { RequestNoticeTracker, requestNotice, type PaymentNotice } from './notices.ts';
