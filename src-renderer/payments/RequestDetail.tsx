// One of the user's requests: the QR code (byte mode), the URI to copy, its status as the node
// judges what the address received, and the counter view: full screen, logo, amount and code for
// the customer, with the status updating as the payment arrives.
import { useMutation, useQuery, type UseMutationResult } from '@tanstack/react-query';
import type { Result } from '../../src-shared/api/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href, navigate } from '../app/routes.ts';
import { Amount } from '../components/Amount.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { fullTime } from '../format/time.ts';
import { Logo } from './MerchantCard.tsx';
import { paymentQueries } from './queries.ts';
import { QrCode } from './QrCode.tsx';

type RequestView = Result<'payments.request'>;

export function RequestDetail(props: { id: string; counter: boolean }) {
  const api = useApi();
  const q = useQuery(paymentQueries(api).request(props.id));
  // Our own request read as a payer would: the card names our identity, with its logo.
  const self = useQuery({ ...paymentQueries(api).parse(q.data?.uri ?? ''), enabled: q.data !== undefined });
  const cancel = useMutation({ mutationFn: () => api.call('payments.requestCancel', { id: props.id }) });
  if (q.isError) return <ErrorNote error={q.error} testId="request-error" />;
  const r = q.data;
  if (!r) return <p className="muted">Loading the request&hellip;</p>;
  const name = self.data?.card.name ?? r.label;
  const image = self.data?.card.verified ? self.data.merchant?.image : undefined;
  if (props.counter) return <CounterView r={r} name={name} image={image} />;
  return (
    <div className="pay-grid" data-testid="request-detail" data-status={r.status.status} data-id={r.id}>
      <RequestOffer r={r} cancel={cancel} />
      <div className="panel panel-pad stack">
        <p className="request-status" data-status={r.status.status} data-testid="request-status">
          {r.canceled ? 'Canceled. ' : ''}
          {r.status.words}
        </p>
        <RequestSummary r={r} />
        {r.status.payments.length > 0 ? <RequestPayments r={r} /> : null}
      </div>
    </div>
  );
}

/** The request to hand over: its QR code and URI, copy, the counter view, and stop offering it. */
function RequestOffer(props: { r: RequestView; cancel: UseMutationResult<unknown, Error, void> }) {
  const { r, cancel } = props;
  return (
    <div className="panel panel-pad stack">
      <h2>{r.label ?? 'Payment request'}</h2>
      <QrCode text={r.uri} testId="request-qr" />
      <p className="uri-text" data-testid="request-uri">
        {r.uri}
      </p>
      <div className="actions start">
        <CopyButton text={r.uri} label="Copy the request" what="payment request" testId="request-copy" />
        <a
          className="btn btn-primary"
          href={href('pay', 'request', r.id, 'counter')}
          data-testid="request-counter-open"
        >
          Show to the customer
        </a>
        {!r.canceled ? (
          <button type="button" className="btn btn-ghost" onClick={() => cancel.mutate()} data-testid="request-cancel">
            Stop offering it
          </button>
        ) : null}
      </div>
      {cancel.isError ? <ErrorNote error={cancel.error} /> : null}
    </div>
  );
}

/** What was asked and what the address received, with who signed it and when it expires. */
function RequestSummary(props: { r: RequestView }) {
  const { r } = props;
  return (
    <dl className="pay-summary">
      <dt>Asked</dt>
      <dd>{r.amount ? <Amount value={r.amount} unit={r.ticker} testId="request-amount" /> : 'any amount'}</dd>
      <dt>Received</dt>
      <dd>
        <Amount value={r.status.received} unit={r.ticker} testId="request-received" />
      </dd>
      <dt>Confirmed</dt>
      <dd>
        <Amount value={r.status.confirmed} unit={r.ticker} testId="request-confirmed" />
      </dd>
      <dt>Address</dt>
      <dd className="mono">{r.address}</dd>
      {r.identity ? (
        <>
          <dt>Signed by</dt>
          <dd className="mono">{r.identity}</dd>
        </>
      ) : null}
      {r.expiresAt ? (
        <>
          <dt>Expires</dt>
          <dd>{fullTime(r.expiresAt)}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** The transactions paying the request's address, with their confirmations. */
function RequestPayments(props: { r: RequestView }) {
  const { r } = props;
  return (
    <table className="table compact" data-testid="request-payments">
      <thead>
        <tr>
          <th scope="col">Transaction</th>
          <th scope="col" className="num">
            Amount
          </th>
          <th scope="col" className="num">
            Confirmations
          </th>
        </tr>
      </thead>
      <tbody>
        {r.status.payments.map((p) => (
          <tr key={`${p.txid}:${p.vout}`}>
            <td className="mono small">{`${p.txid.slice(0, 16)}\u2026:${p.vout}`}</td>
            <td className="num">
              <Amount value={p.amount} unit={r.ticker} />
            </td>
            <td className="num">{p.confirmations}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CounterView(props: { r: RequestView; name: string | undefined; image: string | undefined }) {
  const { r } = props;
  const paid = r.status.settled;
  return (
    <div
      className="counter"
      data-testid="counter-view"
      data-status={r.status.status}
      role="dialog"
      aria-modal="true"
      aria-label="Payment request for the customer"
    >
      <button
        type="button"
        className="btn counter-close"
        onClick={() => navigate(href('pay', 'request', r.id))}
        data-testid="counter-close"
      >
        Close
      </button>
      <Logo image={props.image} name={props.name} testId="counter-logo" />
      {props.name ? (
        <div className="counter-name" data-testid="counter-name">
          {props.name}
        </div>
      ) : null}
      <div className="counter-amount" data-testid="counter-amount">
        {r.amount ? <Amount value={r.amount} decimals={0} unit={r.ticker} /> : `Any amount of ${r.ticker}`}
      </div>
      {paid ? null : <QrCode text={r.uri} size={360} testId="counter-qr" label="Scan to pay" />}
      <p
        className={`counter-status request-status`}
        data-status={r.status.status}
        data-testid="counter-status"
        role="status"
      >
        {r.status.words}
      </p>
      {r.message ? <p className="muted">{r.message}</p> : null}
    </div>
  );
}
