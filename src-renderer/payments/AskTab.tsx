// Ask to be paid: pick an identity (or none), a coin, an amount, words and an expiry; the node takes
// a fresh address from the wallet, signs the request and watches the address. Below, every request
// with what it has received.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/ApiProvider.tsx';
import { href, navigate } from '../app/routes.ts';
import { Amount } from '../components/Amount.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextField } from '../components/fields.tsx';
import { shortTime } from '../format/time.ts';
import { walletQueries } from '../wallets/index.ts';
import { upsertRequest } from './events.ts';
import { paymentKeys, paymentQueries } from './queries.ts';

const EXPIRIES = [
  { sec: 900, label: '15 minutes' },
  { sec: 3600, label: '1 hour' },
  { sec: 86_400, label: '1 day' },
  { sec: 604_800, label: '1 week' },
];

export function AskTab() {
  return (
    <div className="stack">
      <AskForm />
      <RequestList />
    </div>
  );
}

function AskForm() {
  const api = useApi();
  const qc = useQueryClient();
  const signers = useQuery({
    queryKey: [...paymentKeys.all, 'signers'],
    queryFn: () => api.call('payments.signers', {}),
  });
  const coins = useQuery(walletQueries(api).coins());
  const [identity, setIdentity] = useState('');
  const [ticker, setTicker] = useState('');
  const [amount, setAmount] = useState('');
  const [label, setLabel] = useState('');
  const [message, setMessage] = useState('');
  const [expiresInSec, setExpiresInSec] = useState(3600);
  const [identityKey, setIdentityKey] = useState('');
  const coin = ticker || coins.data?.[0]?.ticker || '';
  const create = useMutation({
    mutationFn: () =>
      api.call('payments.requestCreate', {
        ticker: coin,
        expiresInSec,
        ...(amount !== '' ? { amount } : {}),
        ...(label !== '' ? { label } : {}),
        ...(message !== '' ? { message } : {}),
        ...(identity !== '' ? { identity } : {}),
        ...(identity !== '' && identityKey !== '' ? { identityKey } : {}),
      }),
    onSuccess: (r) => {
      qc.setQueryData(paymentKeys.request(r.id), r);
      qc.setQueryData(paymentKeys.requests, (list: Parameters<typeof upsertRequest>[0] | undefined) =>
        list ? upsertRequest(list, r) : list,
      );
      navigate(href('pay', 'request', r.id));
    },
  });
  const amountOk = amount === '' || /^[0-9]+(\.[0-9]+)?$/.test(amount);
  return (
    <form
      className="panel panel-pad stack"
      data-testid="ask-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (amountOk && coin) create.mutate();
      }}
    >
      <h2>Ask to be paid</h2>
      <div className="form-row">
        <div className="field">
          <label htmlFor="ask-identity">Signed by</label>
          <select
            id="ask-identity"
            className="input"
            value={identity}
            onChange={(e) => setIdentity(e.target.value)}
            data-testid="ask-identity"
          >
            <option value="">No identity (a plain request)</option>
            {signers.data?.map((s) => (
              <option key={s.did} value={s.did}>
                {s.name ? `${s.name} (${s.did.slice(0, 16)}\u2026)` : s.did}
              </option>
            ))}
          </select>
          <div className="field-hint">
            A signed request lets the payer see that it comes from your identity, unchanged.
          </div>
        </div>
        <div className="field">
          <label htmlFor="ask-ticker">Coin</label>
          <select
            id="ask-ticker"
            className="input"
            value={coin}
            onChange={(e) => setTicker(e.target.value)}
            data-testid="ask-ticker"
          >
            {coins.data?.map((c) => (
              <option key={c.ticker} value={c.ticker}>
                {c.ticker} ({c.name})
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="form-row">
        <TextField
          label={`Amount${coin ? ` (${coin})` : ''}`}
          hint="Leave empty to let the payer choose."
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value.trim())}
          error={amountOk ? null : 'Digits with one dot, e.g. 0.25.'}
          testId="ask-amount"
        />
        <div className="field">
          <label htmlFor="ask-expiry">Expires after</label>
          <select
            id="ask-expiry"
            className="input"
            value={expiresInSec}
            onChange={(e) => setExpiresInSec(Number(e.target.value))}
            data-testid="ask-expiry"
          >
            {EXPIRIES.map((x) => (
              <option key={x.sec} value={x.sec}>
                {x.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <TextField
        label="Label"
        hint="Your name or the shop's, as the payer's wallet shows it."
        value={label}
        maxLength={256}
        onChange={(e) => setLabel(e.target.value)}
        testId="ask-label"
      />
      <TextField
        label="Message"
        hint="What it is for, e.g. an order number."
        value={message}
        maxLength={1024}
        onChange={(e) => setMessage(e.target.value)}
        testId="ask-message"
      />
      {identity !== '' ? (
        <TextField
          label="Private details key (optional)"
          hint="The identity-key Identity → private details gave you: payers with this request can read those details."
          value={identityKey}
          onChange={(e) => setIdentityKey(e.target.value.trim())}
          spellCheck={false}
          testId="ask-identity-key"
        />
      ) : null}
      <div className="actions start">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={create.isPending || !coin || !amountOk}
          data-testid="ask-submit"
        >
          {create.isPending ? 'Making the request\u2026' : 'Make the request'}
        </button>
      </div>
      {create.isError ? <ErrorNote error={create.error} testId="ask-error" /> : null}
    </form>
  );
}

function RequestList() {
  const api = useApi();
  const requests = useQuery(paymentQueries(api).requests());
  return (
    <div className="panel flush">
      <div className="panel-head">
        <h2>Your requests</h2>
      </div>
      {requests.isError ? <ErrorNote error={requests.error} /> : null}
      <table className="table" data-testid="requests-table">
        <thead>
          <tr>
            <th scope="col">Made</th>
            <th scope="col">Label</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col" className="num">
              Received
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {requests.data?.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted empty" data-testid="requests-empty">
                No requests yet.
              </td>
            </tr>
          ) : null}
          {requests.data?.map((r) => (
            <tr key={r.id} data-testid={`request-row-${r.id}`} data-status={r.status.status}>
              <td>
                <a href={href('pay', 'request', r.id)}>{shortTime(r.createdAt)}</a>
              </td>
              <td>{r.label ?? <span className="muted">{'\u2014'}</span>}</td>
              <td className="num">
                <Amount value={r.amount} unit={r.ticker} />
              </td>
              <td className="num">
                <Amount value={r.status.received} unit={r.ticker} />
              </td>
              <td>
                <span className="request-status" data-status={r.status.status}>
                  {r.canceled ? 'Canceled \u00b7 ' : ''}
                  {r.status.words}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
