// Payments: the Pay page, coming in a later release.
import type { PageEntry } from '../app/routes.ts';
import { ComingSoon } from '../components/ComingSoon.tsx';

function PayPage() {
  return (
    <ComingSoon
      id="pay"
      title="Pay"
      body="Payments are coming. You will be able to open a payment request (a BIP21 link or QR code), see whether the merchant behind it has a verified identity, and pay it from one of your connected wallets, as well as create requests of your own."
    />
  );
}

export const paymentsPage: PageEntry<'pay'> = {
  id: 'pay',
  nav: { label: 'Pay', icon: 'pay', order: 40 },
  component: PayPage,
};
