// A read request: its merchant card, what it asks for, the payer's amount when it names none, the
// fee level with the network fee the wallet would pay, the balance, and Pay. After Pay, the
// payment as the node reports it: txid and confirmations as they come.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Result } from '../../src-shared/api/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { Amount } from '../components/Amount.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextField } from '../components/fields.tsx';
import { fullTime } from '../format/time.ts';
import { useBalances } from '../wallets/index.ts';
import { MerchantCard } from './MerchantCard.tsx';
import { PaymentStatus } from './PaymentStatus.tsx';
import { usePay } from './PayTab.tsx';
import { paymentKeys, paymentQueries, type FeeLevel } from './queries.ts';

type Parsed = Result<'payments.parse'>;
const FEES: Array<{ id: FeeLevel; label: string; hint: string }> = [
  { id: 'economy', label: 'Economy', hint: 'about a day' },
  { id: 'normal', label: 'Normal', hint: 'about an hour' },
  { id: 'priority', label: 'Priority', hint: 'next blocks' },
];

/** What the user chose (amount, fee, acknowledgement), the quote for it, the pay call, and whether Pay may run. */
function usePayDetails(uri: string, parsed: Parsed) {
  const { request, card } = parsed;
  const api = useApi();
  const [amount, setAmount] = useState('');
  const [fee, setFee] = useState<FeeLevel>('normal');
  const [acknowledged, setAcknowledged] = useState(false);
  const fixed = request.amount !== undefined;
  const amountOk = fixed || /^[0-9]+(\.[0-9]+)?$/.test(amount);
  const canQuote = request.payable && !card.blocked && amountOk;
  const quote = useQuery({ ...paymentQueries(api).quote(uri, fixed ? '' : amount, fee), enabled: canQuote });
  const pay = usePay(uri);
  const ticker = request.ticker ?? '';
  const ready =
    canQuote && quote.data?.enough === true && (!card.confirm || acknowledged) && !pay.isPending && !pay.data;
  return {
    amount,
    setAmount,
    fee,
    setFee,
    acknowledged,
    setAcknowledged,
    fixed,
    amountOk,
    canQuote,
    quote,
    pay,
    ticker,
    ready,
  };
}

type PayDetailsState = ReturnType<typeof usePayDetails>;

export function PayDetails(props: { uri: string; parsed: Parsed }) {
  const { request, card, merchant } = props.parsed;
  const state = usePayDetails(props.uri, props.parsed);
  const { amount, amountOk, fee, quote, pay, ticker } = state;

  return (
    <>
      <MerchantCard card={card} merchant={merchant} actions={<SaveContact card={card} />} />
      <div className="panel panel-pad stack" data-testid="pay-details">
        <h2>What you pay</h2>
        <PaySummary request={request} ticker={ticker} fixed={state.fixed} />
        {!request.payable ? (
          <p className="note note-error" role="alert" data-testid="pay-unpayable">
            {request.unpayable}
          </p>
        ) : null}
        {request.payable && !state.fixed ? (
          <TextField
            label={`Amount (${ticker})`}
            hint="This request lets you choose the amount."
            inputMode="decimal"
            value={amount}
            onChange={(e) => state.setAmount(e.target.value.trim())}
            error={amount !== '' && !amountOk ? 'Digits with one dot, e.g. 0.25.' : null}
            testId="pay-amount"
          />
        ) : null}
        {request.payable && !card.blocked ? <FeeChoice fee={fee} onChange={state.setFee} /> : null}
        {state.canQuote ? <QuoteLines quote={quote.data} error={quote.error} ticker={ticker} /> : null}
        <PayAction card={card} state={state} />
        {pay.isError ? <ErrorNote error={pay.error} testId="pay-error" title="Nothing was sent." /> : null}
        {pay.data ? <PaymentStatus paymentKey={pay.data.key} /> : null}
      </div>
    </>
  );
}

/** What the request asks for: coin, address, its words, expiry and, when it names one, the amount. */
function PaySummary(props: { request: Parsed['request']; ticker: string; fixed: boolean }) {
  const { request, ticker } = props;
  return (
    <dl className="pay-summary">
      <dt>Coin</dt>
      <dd data-testid="pay-ticker">{ticker || request.scheme}</dd>
      <dt>To address</dt>
      <dd className="mono" data-testid="pay-address">
        {request.address ?? '\u2014'}
      </dd>
      {request.label ? (
        <>
          <dt>Label</dt>
          <dd data-testid="pay-label">{request.label}</dd>
        </>
      ) : null}
      {request.message ? (
        <>
          <dt>Message</dt>
          <dd data-testid="pay-message">{request.message}</dd>
        </>
      ) : null}
      {request.identity?.expiresAt ? (
        <>
          <dt>Expires</dt>
          <dd data-testid="pay-expires">{fullTime(request.identity.expiresAt)}</dd>
        </>
      ) : null}
      {props.fixed ? (
        <>
          <dt>Amount</dt>
          <dd>
            <Amount value={request.amount} unit={ticker} testId="pay-amount-fixed" />
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** The acknowledgement the card asks for, then Pay, or why Hashlock will not pay. */
function PayAction(props: { card: Parsed['card']; state: PayDetailsState }) {
  const { card, state } = props;
  const { pay, fee, acknowledged, fixed, amount } = state;
  return (
    <>
      {card.confirm && !card.blocked ? (
        <label className="check" data-testid="pay-acknowledge-label">
          <input
            type="checkbox"
            checked={acknowledged}
            onChange={(e) => state.setAcknowledged(e.target.checked)}
            data-testid="pay-acknowledge"
          />
          <span>I checked who I am paying, outside this app.</span>
        </label>
      ) : null}
      {card.blocked ? (
        <p className="note note-error" role="alert" data-testid="pay-blocked">
          Hashlock will not pay this request: {card.title.toLowerCase()}.
        </p>
      ) : (
        <div className="actions start">
          <button
            type="button"
            className="btn btn-primary"
            disabled={!state.ready}
            onClick={() => pay.mutate({ fee, acknowledged, ...(fixed ? {} : { amount }) })}
            data-testid="pay-submit"
          >
            {pay.isPending ? 'Sending\u2026' : pay.data && pay.data.phase !== 'failed' ? 'Sent' : 'Pay'}
          </button>
        </div>
      )}
    </>
  );
}

function FeeChoice(props: { fee: FeeLevel; onChange: (f: FeeLevel) => void }) {
  return (
    <fieldset className="field">
      <legend>Network fee</legend>
      <div className="segmented">
        {FEES.map((f) => (
          <label key={f.id} className="segmented-option">
            <input
              type="radio"
              name="pay-fee"
              checked={props.fee === f.id}
              onChange={() => props.onChange(f.id)}
              data-testid={`pay-fee-${f.id}`}
            />
            <span title={f.hint}>{f.label}</span>
          </label>
        ))}
      </div>
      <div className="field-hint">Economy: about a day. Normal: about an hour. Priority: the next blocks.</div>
    </fieldset>
  );
}

function QuoteLines(props: { quote: Result<'payments.quote'> | undefined; error: unknown; ticker: string }) {
  const q = props.quote;
  // The wallet's balance as the node pushes it (it moves when this payment leaves).
  const live = useBalances().data?.[props.ticker]?.spendable;
  if (props.error) return <ErrorNote error={props.error} testId="pay-quote-error" />;
  if (!q) return <p className="muted">Asking the wallet for the fee&hellip;</p>;
  return (
    <dl className="pay-summary" data-testid="pay-quote">
      <dt>Network fee</dt>
      <dd>
        <Amount value={q.fee} unit={props.ticker} testId="pay-fee" />{' '}
        <span className="muted small">({q.feeRate} sat/vB)</span>
      </dd>
      <dt>Total</dt>
      <dd className="pay-total">
        <Amount value={q.total} unit={props.ticker} testId="pay-total" />
      </dd>
      <dt>Your wallet</dt>
      <dd>
        <Amount value={live ?? q.spendable} unit={props.ticker} testId="pay-balance" />{' '}
        {q.enough ? null : (
          <span className="error-text" data-testid="pay-not-enough">
            not enough for this payment
          </span>
        )}
      </dd>
    </dl>
  );
}

/** A signed identity can be kept as a contact: its later requests show as a verified contact. */
function SaveContact(props: { card: Parsed['card'] }) {
  const { card } = props;
  const api = useApi();
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () => api.call('payments.contactSave', { did: card.did!, name: card.name! }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: paymentKeys.all }),
  });
  if (card.state !== 'new' || !card.did || !card.name) return null;
  return (
    <div className="actions start">
      <button
        type="button"
        className="btn btn-small"
        onClick={() => save.mutate()}
        disabled={save.isPending || save.isSuccess}
        data-testid="contact-save"
      >
        {save.isSuccess ? 'Saved as a contact' : `Save ${card.name} as a contact`}
      </button>
      {save.isError ? <ErrorNote error={save.error} /> : null}
    </div>
  );
}
