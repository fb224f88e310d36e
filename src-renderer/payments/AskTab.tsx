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

/** The form's state: the signers and coins to pick from, what the user typed, and the create call. */
function useAskForm() {
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
  return {
    signers: signers.data,
    coins: coins.data,
    coin,
    setTicker,
    identity,
    setIdentity,
    amount,
    setAmount,
    amountOk,
    label,
    setLabel,
    message,
    setMessage,
    expiresInSec,
    setExpiresInSec,
    identityKey,
    setIdentityKey,
    create,
  };
}

type AskFormState = ReturnType<typeof useAskForm>;

function AskForm() {
  const form = useAskForm();
  const { create } = form;
  return (
    <form
      className="panel panel-pad stack"
      data-testid="ask-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (form.amountOk && form.coin) create.mutate();
      }}
    >
      <h2>Ask to be paid</h2>
      <div className="form-row">
        <SignerField form={form} />
        <CoinField form={form} />
      </div>
      <div className="form-row">
        <TextField
          label={`Amount${form.coin ? ` (${form.coin})` : ''}`}
          hint="Leave empty to let the payer choose."
          inputMode="decimal"
          value={form.amount}
          onChange={(e) => form.setAmount(e.target.value.trim())}
          error={form.amountOk ? null : 'Digits with one dot, e.g. 0.25.'}
          testId="ask-amount"
        />
        <ExpiryField form={form} />
      </div>
      <AskWords form={form} />
      <div className="actions start">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={create.isPending || !form.coin || !form.amountOk}
          data-testid="ask-submit"
        >
          {create.isPending ? 'Making the request\u2026' : 'Make the request'}
        </button>
      </div>
      {create.isError ? <ErrorNote error={create.error} testId="ask-error" /> : null}
    </form>
  );
}

function SignerField(props: { form: AskFormState }) {
  const { form } = props;
  return (
    <div className="field">
      <label htmlFor="ask-identity">Signed by</label>
      <select
        id="ask-identity"
        className="input"
        value={form.identity}
        onChange={(e) => form.setIdentity(e.target.value)}
        data-testid="ask-identity"
      >
        <option value="">No identity (a plain request)</option>
        {form.signers?.map((s) => (
          <option key={s.did} value={s.did}>
            {s.name ? `${s.name} (${s.did.slice(0, 16)}\u2026)` : s.did}
          </option>
        ))}
      </select>
      <div className="field-hint">A signed request lets the payer see that it comes from your identity, unchanged.</div>
    </div>
  );
}

function CoinField(props: { form: AskFormState }) {
  const { form } = props;
  return (
    <div className="field">
      <label htmlFor="ask-ticker">Coin</label>
      <select
        id="ask-ticker"
        className="input"
        value={form.coin}
        onChange={(e) => form.setTicker(e.target.value)}
        data-testid="ask-ticker"
      >
        {form.coins?.map((c) => (
          <option key={c.ticker} value={c.ticker}>
            {c.ticker} ({c.name})
          </option>
        ))}
      </select>
    </div>
  );
}

function ExpiryField(props: { form: AskFormState }) {
  const { form } = props;
  return (
    <div className="field">
      <label htmlFor="ask-expiry">Expires after</label>
      <select
        id="ask-expiry"
        className="input"
        value={form.expiresInSec}
        onChange={(e) => form.setExpiresInSec(Number(e.target.value))}
        data-testid="ask-expiry"
      >
        {EXPIRIES.map((x) => (
          <option key={x.sec} value={x.sec}>
            {x.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The words the payer's wallet shows (label, message) and, for a signed request, the private details key. */
function AskWords(props: { form: AskFormState }) {
  const { form } = props;
  return (
    <>
      <TextField
        label="Label"
        hint="Your name or the shop's, as the payer's wallet shows it."
        value={form.label}
        maxLength={256}
        onChange={(e) => form.setLabel(e.target.value)}
        testId="ask-label"
      />
      <TextField
        label="Message"
        hint="What it is for, e.g. an order number."
        value={form.message}
        maxLength={1024}
        onChange={(e) => form.setMessage(e.target.value)}
        testId="ask-message"
      />
      {form.identity !== '' ? (
        <TextField
          label="Private details key (optional)"
          hint="The identity-key Identity → private details gave you: payers with this request can read those details."
          value={form.identityKey}
          onChange={(e) => form.setIdentityKey(e.target.value.trim())}
          spellCheck={false}
          testId="ask-identity-key"
        />
      ) : null}
    </>
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
