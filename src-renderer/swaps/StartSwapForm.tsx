// "Start a swap with a peer" (advanced): two people who agreed on a trade outside the order
// network. The taker allows the exact swap first (swaps.allow); the maker then starts it
// (swaps.start) and locks first. Amounts are validated as typed and sent as decimal strings.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { Params } from '../../src-shared/api/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href, navigate } from '../app/routes.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { TextField } from '../components/fields.tsx';
import { shortenMiddle } from '../format/text.ts';
import { p2pQueries } from '../p2p/index.ts';
import { putSwapInList } from './events.ts';
import { DateTime, SwapErrorNote, type CoinFacts } from './parts.tsx';
import {
  DEFAULT_TTL_MINUTES,
  validateSwapForm,
  type SwapFormErrors,
  type SwapFormValues,
  type SwapRole,
} from './swap-form.ts';

function CoinSelect(props: {
  label: ReactNode;
  value: string;
  tickers: string[];
  onChange(t: string): void;
  testId: string;
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <div className="field coin-field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        className="input"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
      >
        {props.tickers.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      {props.error ? (
        <div id={`${id}-error`} className="field-error" role="alert" data-testid={`${props.testId}-error`}>
          {props.error}
        </div>
      ) : null}
    </div>
  );
}

function Leg(props: {
  legend: string;
  side: 'sell' | 'buy';
  ticker: string;
  amount: string;
  tickers: string[];
  errors: SwapFormErrors;
  hint: ReactNode;
  onTicker(t: string): void;
  onAmount(a: string): void;
}) {
  const s = props.side;
  return (
    <fieldset className="leg">
      <legend>{props.legend}</legend>
      <div className="leg-fields">
        <TextField
          label={
            <>
              <span className="sr-only">{props.legend}: </span>Amount
            </>
          }
          testId={`swap-${s}-amount`}
          className="input num-input"
          value={props.amount}
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          placeholder="0.00000000"
          onChange={(e) => props.onAmount(e.target.value)}
          error={props.errors[s === 'sell' ? 'sellAmount' : 'buyAmount']}
        />
        <CoinSelect
          label={
            <>
              <span className="sr-only">{props.legend}: </span>Coin
            </>
          }
          value={props.ticker}
          tickers={props.tickers}
          onChange={props.onTicker}
          testId={`swap-${s}-ticker`}
          error={props.errors[s === 'sell' ? 'sellTicker' : 'buyTicker']}
        />
      </div>
      <p className="field-hint">{props.hint}</p>
    </fieldset>
  );
}

function OwnPeerId() {
  const api = useApi();
  const info = useQuery(p2pQueries(api).info());
  if (!info.data) return null;
  return (
    <p className="own-peer muted small">
      Your peer ID, for the other person:{' '}
      <span className="mono" title={info.data.peerId}>
        {shortenMiddle(info.data.peerId, 12, 8)}
      </span>{' '}
      <CopyButton text={info.data.peerId} what="your peer ID" testId="swap-own-peer-copy" />
    </p>
  );
}

export function StartSwapForm(props: { coins: CoinFacts }) {
  const api = useApi();
  const qc = useQueryClient();
  const peers = useQuery(p2pQueries(api).peers());
  const datalistId = useId();
  const { tickers } = props.coins;
  const [v, setV] = useState<SwapFormValues>({
    role: 'maker',
    peerId: '',
    sellTicker: '',
    sellAmount: '',
    buyTicker: '',
    buyAmount: '',
    ttlMinutes: DEFAULT_TTL_MINUTES,
  });
  const [showErrors, setShowErrors] = useState(false);

  // Until the user picks, the first two coins the node knows.
  const values: SwapFormValues = {
    ...v,
    sellTicker: v.sellTicker || tickers[0] || '',
    buyTicker: v.buyTicker || tickers[1] || tickers[0] || '',
  };
  const checked = validateSwapForm(values, props.coins);
  const errors = showErrors && !checked.ok ? checked.errors : {};

  const start = useMutation({
    mutationFn: (params: Params<'swaps.start'>) => api.call('swaps.start', params),
    onSuccess: (summary) => {
      putSwapInList(qc, summary);
      navigate(href('swaps', summary.swapId));
    },
  });
  const allow = useMutation({ mutationFn: (params: Params<'swaps.allow'>) => api.call('swaps.allow', params) });
  const pending = start.isPending || allow.isPending;

  const set = (patch: Partial<SwapFormValues>) => {
    setV({ ...values, ...patch });
    if (!pending) {
      start.reset();
      allow.reset();
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setShowErrors(true);
    if (!checked.ok) return;
    if (checked.role === 'maker') start.mutate(checked.params);
    else allow.mutate(checked.params);
  };

  const maker = values.role === 'maker';
  const setRole = (role: SwapRole) => set({ role });
  return (
    <details className="panel start-swap" data-testid="swap-start-panel">
      <summary>
        Start a swap with a peer <span className="muted">(advanced)</span>
      </summary>
      <form className="stack" onSubmit={submit} noValidate data-testid="swap-start-form" data-role={values.role}>
        <p className="muted">
          For two people who have agreed on a trade and know each other&rsquo;s peer ID. One of you allows the swap
          first (&ldquo;The peer locks first&rdquo;); the other then starts it (&ldquo;I lock first&rdquo;) with the
          same amounts, seen from their side.
        </p>
        <OwnPeerId />
        <fieldset className="field">
          <legend>Who locks first</legend>
          <div className="segmented">
            <label className="segmented-option">
              <input
                type="radio"
                name="swap-role"
                checked={maker}
                onChange={() => setRole('maker')}
                data-testid="swap-role-maker"
              />
              <span>I lock first (maker)</span>
            </label>
            <label className="segmented-option">
              <input
                type="radio"
                name="swap-role"
                checked={!maker}
                onChange={() => setRole('taker')}
                data-testid="swap-role-taker"
              />
              <span>The peer locks first (taker)</span>
            </label>
          </div>
          <div className="field-hint">
            {maker
              ? 'You start the swap and lock your coins first, with the longer lock. The peer must have allowed exactly this swap on their node.'
              : 'You agree now to one swap from this peer with exactly these amounts. The peer starts it and locks first; your node locks only after checking their lock.'}
          </div>
        </fieldset>

        <TextField
          label="Peer ID"
          testId="swap-peer"
          className="input mono"
          value={values.peerId}
          list={datalistId}
          autoComplete="off"
          spellCheck={false}
          placeholder="12D3KooW…"
          onChange={(e) => set({ peerId: e.target.value })}
          error={errors.peerId}
          hint={
            peers.data && peers.data.length > 0 ? (
              'Connected peers are suggested as you type.'
            ) : (
              <>
                No peers connected; you can connect to one on the <a href={href('network')}>Network</a> page.
              </>
            )
          }
        />
        <datalist id={datalistId}>
          {peers.data?.map((p) => (
            <option key={p.peerId} value={p.peerId} />
          ))}
        </datalist>

        <div className="legs">
          <Leg
            legend="You send"
            side="sell"
            ticker={values.sellTicker}
            amount={values.sellAmount}
            tickers={tickers}
            errors={errors}
            hint={maker ? 'Locked first, from your wallet.' : 'Locked after the peer\u2019s coins, from your wallet.'}
            onTicker={(t) => set({ sellTicker: t })}
            onAmount={(a) => set({ sellAmount: a })}
          />
          <span className="legs-arrow" aria-hidden="true">
            {'\u21c4'}
          </span>
          <Leg
            legend="You receive"
            side="buy"
            ticker={values.buyTicker}
            amount={values.buyAmount}
            tickers={tickers}
            errors={errors}
            hint="Claimed into your wallet when the swap completes."
            onTicker={(t) => set({ buyTicker: t })}
            onAmount={(a) => set({ buyAmount: a })}
          />
        </div>

        {!maker ? (
          <TextField
            label="Agreement stands for (minutes)"
            testId="swap-ttl"
            className="input narrow num-input"
            inputMode="numeric"
            value={values.ttlMinutes}
            onChange={(e) => set({ ttlMinutes: e.target.value })}
            error={errors.ttlMinutes}
            hint="If the peer does not start the swap within this time, the agreement lapses and nothing happens."
          />
        ) : null}

        <div className="actions start">
          {maker ? (
            <button
              type="submit"
              className="btn btn-primary"
              disabled={pending || tickers.length < 2}
              data-testid="swap-start-submit"
            >
              {start.isPending ? 'Starting\u2026' : 'Start the swap'}
            </button>
          ) : (
            <button
              type="submit"
              className="btn btn-primary"
              disabled={pending || tickers.length < 2}
              data-testid="swap-allow-submit"
            >
              {allow.isPending ? 'Agreeing\u2026' : 'Allow this swap'}
            </button>
          )}
          {showErrors && !checked.ok ? (
            <span className="field-error" data-testid="swap-form-invalid">
              Check the fields marked above.
            </span>
          ) : null}
        </div>

        {start.isError ? (
          <SwapErrorNote error={start.error} testId="swap-start-error" title="The swap was not started." />
        ) : null}
        {allow.isError ? (
          <SwapErrorNote error={allow.error} testId="swap-allow-error" title="The swap was not allowed." />
        ) : null}
        {allow.isSuccess && !maker ? (
          <div
            className="note note-ok"
            role="status"
            data-testid="swap-allow-result"
            data-expires-at={allow.data.expiresAt}
          >
            <p>
              Allowed. The peer can start this swap until <DateTime ms={allow.data.expiresAt} />. It appears in the list
              above as soon as they do.
            </p>
          </div>
        ) : null}
      </form>
    </details>
  );
}
