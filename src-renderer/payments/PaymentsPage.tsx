// The Pay page (#/pay): pay a request, ask to be paid, the payment book, contacts. A request the
// app was opened with arrives as #/pay/open/<uri> (the desktop's bitcoin:/litecoin: link handler,
// or a link pasted into a browser tab).
import type { PageProps } from '../app/routes.ts';
import { href } from '../app/routes.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { AskTab } from './AskTab.tsx';
import { BookTab } from './BookTab.tsx';
import { ContactsTab } from './ContactsTab.tsx';
import { PayTab } from './PayTab.tsx';
import { RequestDetail } from './RequestDetail.tsx';
import './payments.css';

const TABS = [
  { id: 'pay', label: 'Pay', path: [] as string[] },
  { id: 'ask', label: 'Ask to be paid', path: ['ask'] },
  { id: 'book', label: 'Payment book', path: ['book'] },
  { id: 'contacts', label: 'Contacts', path: ['contacts'] },
] as const;

export function PaymentsPage(props: PageProps) {
  const [section, arg, extra] = props.rest;
  if (section === 'request' && arg && extra === 'counter') return <RequestDetail id={arg} counter />;
  const tab = section === 'request' ? 'ask' : (TABS.find((t) => t.path[0] === section)?.id ?? 'pay');
  return (
    <section>
      <PageHeader
        title="Pay"
        description="Pay a payment request from your own wallet, with its merchant checked, or ask to be paid with a request signed by your identity."
      />
      <nav className="pay-tabs" aria-label="Payments">
        {TABS.map((t) => (
          <a
            key={t.id}
            href={href('pay', ...t.path)}
            aria-current={tab === t.id ? 'page' : undefined}
            data-testid={`pay-tab-${t.id}`}
          >
            {t.label}
          </a>
        ))}
      </nav>
      {tab === 'pay' ? <PayTab initialUri={section === 'open' ? arg : undefined} /> : null}
      {tab === 'ask' && section === 'request' && arg ? <RequestDetail id={arg} counter={false} /> : null}
      {tab === 'ask' && section !== 'request' ? <AskTab /> : null}
      {tab === 'book' ? <BookTab /> : null}
      {tab === 'contacts' ? <ContactsTab /> : null}
    </section>
  );
}
