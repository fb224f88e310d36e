// Payments events → the payments' cache: a payment or request the node reports is written in place
// in its list and its own entry (the merchant looked up for the book stays until the next fetch),
// and the vault-bound lists go when the vault locks.
import type { EventPayload, Result } from '../../src-shared/api/contract.ts';
import type { FeatureEventsFactory } from '../api/events.ts';
import { paymentKeys } from './queries.ts';

type Book = Result<'payments.book'>;
type Payment = EventPayload<'payments.paymentUpdated'>;
type Requests = Result<'payments.requests'>;
type Request = EventPayload<'payments.requestUpdated'>;

/** The list with `item` replaced in place (keeping what the event does not carry), or put first. */
export function upsertPayment(list: Book, p: Payment): Book {
  const at = list.findIndex((x) => x.key === p.key);
  if (at < 0) return [p, ...list];
  return list.map((x, i) => (i === at ? { ...p, ...(x.merchant && !p.merchant ? { merchant: x.merchant } : {}) } : x));
}

export function upsertRequest(list: Requests, r: Request): Requests {
  const at = list.findIndex((x) => x.id === r.id);
  return at < 0 ? [r, ...list] : list.map((x, i) => (i === at ? r : x));
}

export const paymentsEvents: FeatureEventsFactory = ({ qc }) => ({
  on: {
    'payments.paymentUpdated': (p) => {
      qc.setQueryData<Book>(paymentKeys.book, (list) => (list ? upsertPayment(list, p) : list));
      qc.setQueryData<Payment>(paymentKeys.payment(p.key), (old) =>
        old ? { ...p, ...(old.merchant && !p.merchant ? { merchant: old.merchant } : {}) } : old,
      );
      // A paid identity becomes a contact (the lookalike list) once it is sent.
      if (p.phase === 'sent') void qc.invalidateQueries({ queryKey: paymentKeys.contacts });
    },
    'payments.requestUpdated': (r) => {
      qc.setQueryData<Requests>(paymentKeys.requests, (list) => (list ? upsertRequest(list, r) : list));
      qc.setQueryData(paymentKeys.request(r.id), r);
    },
    'vault.state': ({ state }) => {
      if (state !== 'unlocked') qc.removeQueries({ queryKey: paymentKeys.all });
    },
  },
});
