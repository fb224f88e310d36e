// The Pay page's registry entry (app/pages.ts): #/pay, #/pay/ask, #/pay/request/<id>[/counter],
// #/pay/book, #/pay/contacts, #/pay/open/<uri>.
import type { PageEntry } from '../app/routes.ts';
import { PaymentsPage } from './PaymentsPage.tsx';

export const paymentsPage: PageEntry<'pay'> = {
  id: 'pay',
  nav: { label: 'Pay', icon: 'pay', order: 40 },
  component: PaymentsPage,
};
