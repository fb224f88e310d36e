// The last step before an order goes out: what the node says will happen (makeOrder/takeOrder
// with dryRun): price, amounts, the taker fee, network fees, each side's lock time and what
// happens if the counterparty disappears. Nothing is posted or locked until Confirm.
import { useEffect, useRef } from 'react';
import type { Result } from '../../src-shared/api/contract.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { isZeroDecimal } from '../format/amount.ts';
import { useFormatDecimal } from '../format/number-format.tsx';
import { backingWarning } from './backing.ts';

export type MakeOrderResult = Result<'orders.make'>;

export interface PreviewRequest {
  title: string;
  /** maker: the order rests on the book (limit, stop); taker: it takes existing orders now. */
  role: 'maker' | 'taker';
  side: 'buy' | 'sell';
  base: string;
  quote: string;
  /** Limit price asked for, shown when no fill sets an average. */
  price: string | null;
  preview: MakeOrderResult['preview'];
  feePreference: string | null;
  /** A stop order: nothing happens until the last trade price reaches the trigger. */
  stop: { trigger: string } | null;
}

function minutes(n: number): string {
  if (n < 60) return `~${n} min`;
  const h = Math.floor(n / 60);
  const m = n % 60;
  return m ? `~${h} h ${m} min` : `~${h} h`;
}

export function PreviewDialog(props: {
  request: PreviewRequest;
  pending: boolean;
  error: unknown;
  onConfirm(): void;
  onClose(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const fmt = useFormatDecimal();
  const { request: r } = props;
  const p = r.preview;

  // Modal: focus starts on Back (the first control), so a stray Enter never places an order.
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  const pays = r.side === 'buy' ? { amount: p.quoteAmount, ticker: r.quote } : { amount: p.baseAmount, ticker: r.base };
  const gets = r.side === 'buy' ? { amount: p.baseAmount, ticker: r.base } : { amount: p.quoteAmount, ticker: r.quote };
  const price = p.averagePrice ?? r.price;

  return (
    <dialog
      ref={ref}
      className="dialog preview"
      data-testid="preview-dialog"
      aria-labelledby="preview-title"
      onClose={props.onClose}
      onCancel={(e) => {
        if (props.pending) e.preventDefault();
      }}
    >
      <form
        method="dialog"
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          props.onConfirm();
        }}
      >
        <h2 id="preview-title">{r.title}</h2>
        {r.stop ? (
          <p className="note note-info small" data-testid="preview-stop">
            Your node keeps this order until the last trade price reaches {fmt(r.stop.trigger)} {r.quote}; nothing is
            posted or locked before. The figures below are what it would do if it fired now
            {r.role === 'taker'
              ? ': when it fires, it takes the best orders on the book then, within your price cap'
              : ''}
            .
          </p>
        ) : null}
        <dl className="facts preview-facts">
          <dt>{p.fills.length > 1 ? 'Average price' : 'Price'}</dt>
          <dd className="num" data-testid="preview-price" data-value={price ?? undefined}>
            {price ? `${fmt(price)} ${r.quote}` : '\u2014'}
          </dd>
          <dt>You give</dt>
          <dd className="num" data-testid="preview-give" data-value={pays.amount}>
            {fmt(pays.amount)} {pays.ticker}
          </dd>
          <dt>You get</dt>
          <dd className="num" data-testid="preview-get" data-value={gets.amount}>
            {fmt(gets.amount)} {gets.ticker}
          </dd>
          {p.fills.map((f) =>
            backingWarning(f.backing) ? (
              <p
                key={`backing-${f.orderId}`}
                className="note note-warn small"
                data-testid="preview-backing"
                data-backing={f.backing}
                data-order-id={f.orderId}
              >
                {backingWarning(f.backing)}
              </p>
            ) : null,
          )}
          {p.coinSplit ? (
            <p className="note note-info small" data-testid="preview-coin-split" data-fee={p.coinSplit.fee}>
              A {p.coinSplit.ticker} coin of exactly {p.coinSplit.amount} is split off your wallet first (network fee{' '}
              {p.coinSplit.fee} {p.coinSplit.ticker}); the order is marked as backed by an unconfirmed coin until it
              confirms.
            </p>
          ) : null}
          {!isZeroDecimal(p.unfilled) ? (
            <>
              <dt>Not filled</dt>
              <dd className="num" data-testid="preview-unfilled" data-value={p.unfilled}>
                {fmt(p.unfilled)} {r.base}
              </dd>
            </>
          ) : null}
          {p.fills.length > 0 ? (
            <>
              <dt>Takes</dt>
              <dd data-testid="preview-fills" data-count={p.fills.length}>
                {p.fills.length === 1 ? '1 order' : `${p.fills.length} orders`} from the book
              </dd>
            </>
          ) : null}
        </dl>
        {!isZeroDecimal(p.unfilled) ? (
          <p className="muted small" data-testid="preview-unfilled-note">
            Not enough orders within your price cap for all of it: the part not filled is not posted, nothing of it is
            bought or sold.
          </p>
        ) : null}

        <h3>Fees</h3>
        <ul className="fee-lines">
          <li data-testid="preview-taker-fee" data-value={p.fees.takerFee?.amount ?? '0'}>
            <span>Taker fee</span>
            <span className="num">
              {p.fees.takerFee ? `${fmt(p.fees.takerFee.amount)} ${p.fees.takerFee.ticker}` : 'None for this order'}
            </span>
          </li>
          {p.fees.takerFee ? (
            <li className="fee-note muted small">
              Paid to the service node that matched the trade, with the order id on chain.
            </li>
          ) : null}
          {p.fees.networkFees.map((f, i) => (
            <li
              key={`${f.ticker}-${f.what}`}
              data-testid={`preview-network-fee-${i}`}
              data-value={f.amount}
              data-ticker={f.ticker}
              data-estimate="true"
            >
              <span>Network fee: {f.what}</span>
              <span className="num" title="An estimate">
                {'\u2248\u202f'}
                {fmt(f.amount)} {f.ticker}
              </span>
            </li>
          ))}
          {p.fees.networkFees.length === 0 ? (
            <li className="muted">No network fees reported.</li>
          ) : (
            <li className="fee-note muted small" data-testid="preview-fee-estimates">
              Network fees ({'\u2248'}) are estimates at today{'\u2019'}s fee rate for typical transaction sizes; each
              transaction pays its own fee when it is made.
              {p.fees.takerFee ? ' The taker fee is exact.' : ''}
            </li>
          )}
          {r.feePreference ? (
            <li className="fee-note muted small">Network fees follow your preference: {r.feePreference} (Settings).</li>
          ) : null}
        </ul>

        <h3>Lock times</h3>
        <ul className="lock-lines">
          {p.fees.locks.map((l, i) => (
            <li key={`${l.who}-${l.ticker}`} data-testid={`preview-lock-${i}`} data-who={l.who} data-blocks={l.blocks}>
              <span>
                {l.who === r.role ? 'Your' : 'The other side\u2019s'} {l.ticker} lock ({l.who})
              </span>
              <span className="num">
                {l.blocks} blocks, {minutes(l.approxMinutes)}
              </span>
            </li>
          ))}
        </ul>
        <p className="muted small">
          The maker locks first and for longer; the taker locks second, for about half as long.
        </p>

        <div className="note note-warn vanish" data-testid="preview-vanish">
          <p className="note-title">If the other side disappears</p>
          <p>{p.fees.ifCounterpartyVanishes}</p>
        </div>

        {props.error ? <ErrorNote error={props.error} testId="preview-error" /> : null}

        <div className="actions">
          <button
            type="button"
            className="btn"
            data-testid="preview-cancel"
            disabled={props.pending}
            onClick={() => ref.current?.close()}
          >
            Back
          </button>
          <button
            type="submit"
            className={`btn ${r.side === 'buy' ? 'btn-buy' : 'btn-sell'}`}
            data-testid="preview-confirm"
            disabled={props.pending}
          >
            {props.pending ? 'Sending\u2026' : r.role === 'maker' ? 'Place order' : 'Confirm trade'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
