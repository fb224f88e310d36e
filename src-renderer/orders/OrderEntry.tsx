// Order entry: buy or sell, limit / market (with its price cap) / stop, exact or partial with a
// minimum fill. Values stay the strings the user typed, checked as they type against the coins'
// decimals and the spendable balance; Review asks the node for a dry run and shows the preview
// dialog; only Confirm places the order. Taking one order picked in the book works the same way.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  memo,
  useEffect,
  useRef,
  useState,
  type Dispatch,
  type FormEvent,
  type ReactNode,
  type SetStateAction,
} from 'react';
import type { Params } from '../../src-shared/api/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href } from '../app/routes.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextField } from '../components/fields.tsx';
import { shortenMiddle } from '../format/text.ts';
import { useFormatDecimal, useNumberFormat } from '../format/number-format.tsx';
import { compareDecimal } from '../format/decimal.ts';
import { useSettings } from '../settings/index.ts';
import { refreshBalances, useBalances } from '../wallets/index.ts';
import type { MarketView } from './market.ts';
import type { BookOrder } from './OrderBook.tsx';
import {
  boundingPriceField,
  checkOrder,
  checkTake,
  maxAmount,
  partialApplies,
  type OrderField,
  type OrderFormContext,
  type OrderFormValues,
} from './order-form.ts';
import { stateWords } from './order-states.ts';
import { MakerLine } from './MakerLine.tsx';
import { PreviewDialog, type MakeOrderResult, type PreviewRequest } from './PreviewDialog.tsx';
import { orderKeys } from './queries.ts';
import { useCoins } from './use-trade-context.ts';

type Pending =
  | { kind: 'make'; params: Params<'orders.make'>; request: PreviewRequest }
  | { kind: 'take'; params: Params<'orders.take'>; request: PreviewRequest };

const FIELD_IDS: Record<OrderField, string> = {
  amount: 'order-amount',
  price: 'order-price',
  priceCap: 'order-price-cap',
  triggerPrice: 'order-trigger',
  minAmount: 'order-min-amount',
};

function Segmented<T extends string>(props: {
  name: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange(v: T): void;
  testId: string;
  className?: string;
  label: string;
}) {
  return (
    <div className={`segmented segmented-fill ${props.className ?? ''}`} role="radiogroup" aria-label={props.label}>
      {props.options.map((o) => (
        <label key={o.value} className={`segmented-option opt-${o.value}`}>
          <input
            type="radio"
            name={props.name}
            value={o.value}
            checked={props.value === o.value}
            onChange={() => props.onChange(o.value)}
            data-testid={`${props.testId}-${o.value}`}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </div>
  );
}

function Outcome(props: { result: MakeOrderResult; onDismiss(): void }) {
  const { order, swapIds } = props.result;
  const ref = useRef<HTMLDivElement>(null);
  // The form scrolls inside its panel (its button stays in reach): bring the outcome, on top, into view.
  // (A block body: Chromium's scrollIntoView returns a promise, which React would take for a cleanup.)
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [props.result]);
  return (
    <div
      ref={ref}
      className="note note-ok order-result"
      data-testid="order-result"
      data-order-id={order?.id}
      role="status"
    >
      <p className="note-title">
        {swapIds.length > 0
          ? 'Trade started'
          : order?.kind === 'stop'
            ? 'Stop order placed'
            : order
              ? 'Order placed'
              : 'Done'}
      </p>
      {order ? (
        <p className="small">
          Order <span className="mono">{shortenMiddle(order.id, 8, 6)}</span>{' '}
          {order.kind === 'stop' && order.state === 'new'
            ? 'waits in your node until the last trade price reaches its trigger.'
            : `: ${stateWords(order).toLowerCase()}.`}
        </p>
      ) : null}
      {swapIds.map((id) => (
        <p key={id} className="small">
          Swap{' '}
          <a href={href('swaps', id)} data-testid={`order-result-swap-${id}`}>
            {shortenMiddle(id, 8, 6)}
          </a>{' '}
          is under way: follow each step on Swaps.
        </p>
      ))}
      <button type="button" className="btn btn-small btn-ghost" onClick={props.onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

export const OrderEntry = memo(function OrderEntry(props: {
  market: MarketView;
  values: OrderFormValues;
  setValues: Dispatch<SetStateAction<OrderFormValues>>;
  taking: BookOrder | null;
  onStopTaking(): void;
  lastPrice: string | null;
}) {
  const api = useApi();
  const qc = useQueryClient();
  const fmt = useFormatDecimal();
  const numberFormat = useNumberFormat();
  const coins = useCoins();
  const balances = useBalances();
  const settings = useSettings();
  const { base, quote } = props.market;
  const v = props.values;
  const set = props.setValues;
  const [submitted, setSubmitted] = useState(false);
  const [takeAmount, setTakeAmount] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [result, setResult] = useState<MakeOrderResult | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const ctx: OrderFormContext = {
    base,
    quote,
    baseDecimals: coins.decimalsOf(base),
    quoteDecimals: coins.decimalsOf(quote),
    decimalSeparator: numberFormat.decimalSeparator,
    spendable: { base: balances.data?.[base]?.spendable, quote: balances.data?.[quote]?.spendable },
  };
  const check = checkOrder(v, ctx);
  const take = props.taking ? checkTake(props.taking, takeAmount, ctx) : null;
  const max = maxAmount(v, ctx);
  const feePreference = settings.data?.feePreference ?? null;
  const tradable = props.market.bothWalletsConnected;
  const sum = take ?? check;
  // Taking a sell order buys base.
  const buying = props.taking ? props.taking.side === 'sell' : v.side === 'buy';

  const preview = useMutation({
    mutationFn: async (
      p: { kind: 'make'; params: Params<'orders.make'> } | { kind: 'take'; params: Params<'orders.take'> },
    ): Promise<Pending> => {
      if (p.kind === 'make') {
        const r = await api.call('orders.make', { ...p.params, dryRun: true });
        // A stop that fires as a market order takes from the book: its fees and locks are a taker's.
        const role =
          p.params.kind === 'market' || (p.params.kind === 'stop' && p.params.price === undefined) ? 'taker' : 'maker';
        const title = `${p.params.side === 'buy' ? 'Buy' : 'Sell'} ${base} \u00b7 ${p.params.kind === 'stop' ? 'stop' : p.params.kind} order`;
        const stop = p.params.kind === 'stop' && p.params.triggerPrice ? { trigger: p.params.triggerPrice } : null;
        return {
          kind: 'make',
          params: p.params,
          request: {
            title,
            role,
            side: p.params.side,
            base,
            quote,
            price: p.params.price ?? null,
            preview: r.preview,
            feePreference,
            stop,
          },
        };
      }
      const r = await api.call('orders.take', { ...p.params, dryRun: true });
      const side = props.taking?.side === 'sell' ? 'buy' : 'sell';
      return {
        kind: 'take',
        params: p.params,
        request: {
          title: `${side === 'buy' ? 'Buy' : 'Sell'} ${base} \u00b7 take one order`,
          role: 'taker',
          side,
          base,
          quote,
          price: props.taking?.price ?? null,
          preview: r.preview,
          feePreference,
          stop: null,
        },
      };
    },
    onSuccess: (p) => setPending(p),
  });

  const confirm = useMutation({
    mutationFn: (p: Pending) =>
      p.kind === 'make' ? api.call('orders.make', p.params) : api.call('orders.take', p.params),
    onSuccess: (r, p) => {
      setPending(null);
      setResult(r);
      setSubmitted(false);
      setTakeAmount('');
      if (p.kind === 'take') props.onStopTaking();
      else set((f) => ({ ...f, amount: '', minAmount: '' }));
      // The node pushes order.updated as well; these make sure the form's balance is current at once.
      void qc.invalidateQueries({ queryKey: orderKeys.myOrders(false) });
      refreshBalances(qc);
    },
  });

  const onReview = (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    preview.reset();
    confirm.reset();
    if (take) {
      if (take.params) preview.mutate({ kind: 'take', params: take.params });
      else setSubmitted(true);
      return;
    }
    if (check.params) {
      preview.mutate({ kind: 'make', params: check.params });
      return;
    }
    setSubmitted(true);
    const first = (Object.keys(FIELD_IDS) as OrderField[]).find((f) => check.errors[f]);
    if (first) formRef.current?.querySelector<HTMLInputElement>(`[data-testid="${FIELD_IDS[first]}"]`)?.focus();
  };

  // A message is shown once the field has something in it, or after Review was pressed.
  const err = (f: OrderField) => (submitted || v[f].trim() !== '' ? (check.errors[f] ?? null) : null);
  const input = (f: OrderField, label: string, hint?: ReactNode, unit = quote) => (
    <TextField
      label={
        <>
          {label} <span className="unit">{unit}</span>
        </>
      }
      testId={FIELD_IDS[f]}
      className="input input-compact num"
      inputMode="decimal"
      autoComplete="off"
      spellCheck={false}
      value={v[f]}
      error={err(f)}
      hint={hint}
      onChange={(e) => set((prev) => ({ ...prev, [f]: e.target.value }))}
    />
  );

  const spendable = v.side === 'buy' ? ctx.spendable.quote : ctx.spendable.base;
  const spendTicker = v.side === 'buy' ? quote : base;
  const triggerHint = (() => {
    if (v.kind !== 'stop' || !props.lastPrice || check.errors.triggerPrice || v.triggerPrice.trim() === '')
      return 'Fires when the last trade price reaches it.';
    try {
      const c = compareDecimal(v.triggerPrice.trim().replace(',', '.'), props.lastPrice);
      return `Fires when the last trade price ${c > 0 ? 'rises to' : c < 0 ? 'falls to' : 'is at'} this (last: ${fmt(props.lastPrice)}).`;
    } catch {
      return 'Fires when the last trade price reaches it.';
    }
  })();

  return (
    <section
      className={`tpanel entry entry-${buying ? 'buy' : 'sell'}`}
      aria-labelledby="entry-title"
      data-testid="order-form"
    >
      <div className="tpanel-bar">
        <h2 id="entry-title">{props.taking ? 'Take an order' : 'Place an order'}</h2>
      </div>
      <form ref={formRef} className="entry-form" onSubmit={onReview} noValidate>
        {result ? <Outcome result={result} onDismiss={() => setResult(null)} /> : null}
        {!tradable ? (
          <p className="note note-warn small" data-testid="order-not-tradable">
            View only: connect the {base} and {quote} wallets on <a href={href('wallets')}>Wallets</a> to trade this
            market.
          </p>
        ) : null}
        {props.taking ? (
          <div className="take-box" data-testid="take-order" data-order-id={props.taking.id}>
            <p>
              {props.taking.side === 'sell' ? 'Buy' : 'Sell'} {base} from a {props.taking.side} order at{' '}
              <span className="num strong">{fmt(props.taking.price)}</span> {quote}.
            </p>
            <MakerLine order={props.taking} />
            <p className="small muted">
              {fmt(props.taking.remainingBase)} {base} left
              {props.taking.partial.allowed
                ? `; the maker accepts fills from ${fmt(props.taking.partial.minBase)} ${base}`
                : '; all or nothing'}
              .
            </p>
            {props.taking.partial.allowed ? (
              <TextField
                label={
                  <>
                    Amount <span className="unit">{base}</span>
                  </>
                }
                testId="take-amount"
                className="input input-compact num"
                inputMode="decimal"
                autoComplete="off"
                value={takeAmount}
                placeholder={props.taking.remainingBase}
                onChange={(e) => setTakeAmount(e.target.value)}
                error={submitted || takeAmount.trim() !== '' ? (take?.error ?? null) : null}
                hint="Empty takes all that is left."
              />
            ) : take?.error ? (
              <p className="field-error" data-testid="take-amount-error">
                {take.error}
              </p>
            ) : null}
            <button
              type="button"
              className="btn btn-small btn-ghost"
              data-testid="take-cancel"
              onClick={props.onStopTaking}
            >
              Back to the order form
            </button>
          </div>
        ) : (
          <>
            <Segmented
              name="order-side"
              label="Side"
              value={v.side}
              testId="order-side"
              className="side-toggle"
              options={[
                { value: 'buy', label: `Buy ${base}` },
                { value: 'sell', label: `Sell ${base}` },
              ]}
              onChange={(side) => set((f) => ({ ...f, side }))}
            />
            <Segmented
              name="order-kind"
              label="Order type"
              value={v.kind}
              testId="order-kind"
              options={[
                { value: 'limit', label: 'Limit' },
                { value: 'market', label: 'Market' },
                { value: 'stop', label: 'Stop' },
              ]}
              onChange={(kind) => set((f) => ({ ...f, kind }))}
            />
            {v.kind === 'stop' ? (
              <>
                {input('triggerPrice', 'Trigger price', triggerHint)}
                <Segmented
                  name="order-stop-then"
                  label="Then"
                  value={v.stopThen}
                  testId="order-stop-then"
                  options={[
                    { value: 'market', label: 'Then market' },
                    { value: 'limit', label: 'Then limit' },
                  ]}
                  onChange={(stopThen) => set((f) => ({ ...f, stopThen }))}
                />
              </>
            ) : null}
            {boundingPriceField(v) === 'price'
              ? input('price', 'Price')
              : input(
                  'priceCap',
                  'Price cap',
                  v.side === 'buy' ? `Pays at most this per ${base}.` : `Gets at least this per ${base}.`,
                )}
            {input(
              'amount',
              'Amount',
              <span className="avail">
                <span data-testid="order-available" data-value={spendable}>
                  Available {spendable !== undefined ? `${fmt(spendable)} ${spendTicker}` : '\u2014'}
                </span>
                <button
                  type="button"
                  className="link-btn"
                  data-testid="order-max"
                  disabled={max === null}
                  title={
                    max === null
                      ? v.side === 'buy'
                        ? 'Enter a price first'
                        : 'Balance not known'
                      : `Use ${max} ${base}`
                  }
                  onClick={() => max !== null && set((f) => ({ ...f, amount: max }))}
                >
                  Max
                </button>
              </span>,
              base,
            )}
            {v.kind === 'limit' ? (
              <label
                className="check"
                title="Otherwise the order locks whole wallet coins, which can be far more than it offers."
              >
                <input
                  type="checkbox"
                  checked={v.prepareCoins}
                  data-testid="order-prepare-coins"
                  onChange={(e) => set((f) => ({ ...f, prepareCoins: e.target.checked }))}
                />
                <span>Split a coin of this size first if needed (network fee shown in the preview)</span>
              </label>
            ) : null}
            {partialApplies(v) ? (
              <div className="partial">
                <label className="check">
                  <input
                    type="checkbox"
                    checked={v.partial}
                    data-testid="order-partial"
                    onChange={(e) => set((f) => ({ ...f, partial: e.target.checked }))}
                  />
                  <span>Allow partial fills</span>
                </label>
                {v.partial ? (
                  input(
                    'minAmount',
                    'Minimum fill',
                    'After each partial fill the rest is posted again (repost) until it fills, is canceled or expires.',
                    base,
                  )
                ) : (
                  <p className="field-hint">Exact: filled all at once or not at all.</p>
                )}
              </div>
            ) : null}
          </>
        )}

        <dl className="entry-sum">
          <dt>You give{sum.spend && buying && !take ? ' (at most)' : ''}</dt>
          <dd className="num" data-testid="order-spend" data-value={sum.spend?.amount}>
            {sum.spend ? `${fmt(sum.spend.amount)} ${sum.spend.ticker}` : '\u2014'}
          </dd>
          <dt>You get{sum.receive && !buying && !take ? ' (at least)' : ''}</dt>
          <dd className="num" data-testid="order-receive" data-value={sum.receive?.amount}>
            {sum.receive ? `${fmt(sum.receive.amount)} ${sum.receive.ticker}` : '\u2014'}
          </dd>
        </dl>

        {preview.isError ? (
          <ErrorNote error={preview.error} testId="order-error" title="The node did not accept this order" />
        ) : null}

        <button
          type="submit"
          className={`btn entry-submit ${buying ? 'btn-buy' : 'btn-sell'}`}
          data-testid="order-review"
          disabled={!tradable || preview.isPending}
        >
          {preview.isPending ? 'Asking the node\u2026' : take ? 'Review trade' : `Review ${v.side} order`}
        </button>
      </form>
      {pending ? (
        <PreviewDialog
          request={pending.request}
          pending={confirm.isPending}
          error={confirm.error}
          onConfirm={() => confirm.mutate(pending)}
          onClose={() => {
            if (!confirm.isPending) {
              setPending(null);
              confirm.reset();
            }
          }}
        />
      ) : null}
    </section>
  );
});
