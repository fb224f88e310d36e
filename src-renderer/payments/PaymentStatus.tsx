// One payment as the node reports it (kept current by payments.paymentUpdated): sending, sent with
// its txid and confirmations, confirmed, or what went wrong and whether anything left the wallet.
import { useQuery } from '@tanstack/react-query';
import type { Result } from '../../src-shared/api/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { Amount } from '../components/Amount.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { paymentQueries } from './queries.ts';

type Payment = Result<'payments.payment'>;

export function phaseWords(p: Payment): string {
  switch (p.phase) {
    case 'ready':
      return p.note === 'not-sent'
        ? 'The send was interrupted and the wallet shows nothing sent. Pay again, or cancel.'
        : 'Not sent yet.';
    case 'sending':
      return 'Sending through your wallet\u2026';
    case 'reconciling':
      return "The wallet's answer was lost. Hashlock is checking whether it was sent; do not pay it elsewhere.";
    case 'sent':
      return p.confirmations < 0
        ? 'Sent, but the transaction conflicts with another one in the chain.'
        : `Sent. ${p.confirmations} of ${p.requiredConfirmations} confirmations.`;
    case 'confirmed':
      return `Paid and confirmed (${p.confirmations} confirmations).`;
    case 'failed':
      return `Not sent: ${p.error?.message ?? 'the wallet refused it'}. Nothing left your wallet.`;
    case 'canceled':
      return 'Canceled; nothing was sent.';
  }
}

export function PaymentStatus(props: { paymentKey: string }) {
  const api = useApi();
  const q = useQuery(paymentQueries(api).payment(props.paymentKey));
  const p = q.data;
  if (!p) return null;
  return (
    <div
      className={`note ${p.phase === 'failed' ? 'note-error' : p.phase === 'confirmed' ? 'note-ok' : 'note-warn'}`}
      role="status"
      data-testid="pay-result"
      data-phase={p.phase}
      data-confirmations={p.confirmations}
    >
      <p className="note-title" data-testid="pay-result-words">
        {phaseWords(p)}
      </p>
      {p.txid ? (
        <p className="with-copy">
          <span className="mono small pay-txid" data-testid="pay-txid" data-txid={p.txid}>
            {p.txid}
          </span>
          <CopyButton text={p.txid} what="transaction id" />
        </p>
      ) : null}
      {p.fee ? (
        <p className="small">
          Network fee paid: <Amount value={p.fee} unit={p.ticker} testId="pay-result-fee" />
        </p>
      ) : null}
    </div>
  );
}
