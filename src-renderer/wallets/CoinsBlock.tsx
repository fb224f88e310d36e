// The Coins view of one wallet (docs/orders.md §10): every coin, free or locked and what locks
// it, and the Split dialog — a preview (dry run) with the network fee, sent only when the user
// confirms, for the fee it showed.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Params, Result } from '../../src-shared/api/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { Amount } from '../components/Amount.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextField } from '../components/fields.tsx';
import { useNumberFormat } from '../format/number-format.tsx';
import { shortenMiddle } from '../format/text.ts';
import { lockText, splitParams, type SplitForm } from './coin-words.ts';
import { refreshBalances, walletKeys, walletQueries } from './queries.ts';

type SplitView = Result<'orders.splitCoins'>;

function SplitPreview(props: { preview: SplitView; decimals: number }) {
  const p = props.preview;
  return (
    <dl className="facts" data-testid={`split-preview-${p.ticker}`} data-fee={p.fee}>
      <dt>New coins</dt>
      <dd data-testid="split-preview-outputs" data-count={p.outputs.length}>
        {p.outputs.length} × <Amount value={p.outputs[0]} decimals={props.decimals} unit={p.ticker} />
      </dd>
      <dt>Spends</dt>
      <dd>{p.inputs.length === 1 ? '1 coin' : `${p.inputs.length} coins`}</dd>
      <dt>Change</dt>
      <dd>
        <Amount value={p.change} decimals={props.decimals} unit={p.ticker} />
        {p.changeToFee !== '0' ? ' (too small to keep: added to the fee)' : ''}
      </dd>
      <dt>Network fee</dt>
      <dd data-testid="split-preview-fee">
        <Amount value={p.fee} decimals={props.decimals} unit={p.ticker} /> ({p.feeRate} sat/vB × {p.vsize} vB)
      </dd>
    </dl>
  );
}

function SplitFields(props: {
  form: SplitForm;
  setForm: (f: (old: SplitForm) => SplitForm) => void;
  error: string | null;
}) {
  return (
    <div className="split-fields">
      <TextField
        label="Amount of each coin"
        value={props.form.amount}
        inputMode="decimal"
        testId="split-amount"
        error={props.error && props.form.amount !== '' ? props.error : null}
        onChange={(e) => props.setForm((f) => ({ ...f, amount: e.target.value }))}
      />
      <TextField
        label="How many"
        value={props.form.count}
        inputMode="numeric"
        testId="split-count"
        onChange={(e) => props.setForm((f) => ({ ...f, count: e.target.value }))}
      />
    </div>
  );
}

function SplitDialog(props: { ticker: string; decimals: number; onClose(): void }) {
  const api = useApi();
  const qc = useQueryClient();
  const fmt = useNumberFormat();
  const [form, setForm] = useState<SplitForm>({ amount: '', count: '2' });
  const checked = splitParams(props.ticker, form, fmt.decimalSeparator);
  const preview = useMutation({
    mutationFn: (p: Params<'orders.splitCoins'>) => api.call('orders.splitCoins', p),
  });
  const send = useMutation({
    mutationFn: (p: SplitView) =>
      api.call('orders.splitCoins', {
        ticker: p.ticker,
        amount: p.outputs[0]!,
        count: p.outputs.length,
        maxFee: p.fee,
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: walletKeys.coin(props.ticker) });
      refreshBalances(qc);
    },
  });
  return (
    <div
      className="panel split-dialog"
      role="dialog"
      aria-label={`Split ${props.ticker} coins`}
      data-testid={`split-dialog-${props.ticker}`}
    >
      <p className="muted small">
        Each order locks whole coins. Splitting makes coins of an order&rsquo;s size, paid to new addresses of this
        wallet, so one large coin does not lock far more than an order offers.
      </p>
      <SplitFields form={form} setForm={setForm} error={checked.ok ? null : checked.message} />
      {preview.data && !send.data ? <SplitPreview preview={preview.data} decimals={props.decimals} /> : null}
      {preview.isError ? <ErrorNote error={preview.error} testId="split-preview-error" /> : null}
      {send.isError ? <ErrorNote error={send.error} testId="split-send-error" /> : null}
      {send.data ? (
        <p className="note note-ok" data-testid="split-sent" data-txid={send.data.txid ?? undefined}>
          Sent: {send.data.outputs.length} new coins, unconfirmed until the next block (
          {shortenMiddle(send.data.txid ?? '', 10, 6)}).
        </p>
      ) : null}
      <div className="actions">
        <button type="button" className="btn" onClick={props.onClose} data-testid="split-close">
          {send.data ? 'Close' : 'Cancel'}
        </button>
        {!send.data ? (
          <button
            type="button"
            className="btn"
            disabled={!checked.ok || preview.isPending}
            data-testid="split-preview"
            onClick={() => checked.ok && preview.mutate(checked.params)}
          >
            Preview
          </button>
        ) : null}
        {preview.data && !send.data ? (
          <button
            type="button"
            className="btn btn-primary"
            disabled={send.isPending}
            data-testid="split-confirm"
            onClick={() => send.mutate(preview.data)}
          >
            Split for a fee of <Amount value={preview.data.fee} decimals={props.decimals} unit={props.ticker} />
          </button>
        ) : null}
      </div>
    </div>
  );
}

export function CoinsBlock(props: { ticker: string; decimals: number }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [splitting, setSplitting] = useState(false);
  const coins = useQuery({ ...walletQueries(api).coinLocks(props.ticker), enabled: open });
  return (
    <details
      className="detail-block coins"
      onToggle={(e) => setOpen(e.currentTarget.open)}
      data-testid={`wallet-coins-${props.ticker}`}
    >
      <summary>
        Coins
        {coins.data ? (
          <span className="muted" data-testid={`wallet-coins-summary-${props.ticker}`}>
            {' '}
            ({coins.data.coins.length === 1 ? '1 coin' : `${coins.data.coins.length} coins`}:{' '}
            <Amount value={coins.data.free} decimals={props.decimals} unit={props.ticker} /> free,{' '}
            <Amount value={coins.data.locked} decimals={props.decimals} unit={props.ticker} /> locked)
          </span>
        ) : null}
      </summary>
      {coins.isError ? <ErrorNote error={coins.error} /> : null}
      {coins.data && coins.data.coins.length > 0 ? (
        <div className="scroll-y">
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Coin</th>
                <th scope="col">Held by</th>
                <th scope="col" className="num">
                  Confirmations
                </th>
                <th scope="col" className="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {coins.data.coins.map((c) => (
                <tr
                  key={c.outpoint}
                  data-testid="coin-row"
                  data-state={c.state}
                  data-lock={c.lockedBy?.kind ?? 'free'}
                  data-amount={c.amount}
                  data-confirmations={c.confirmations}
                >
                  <td className="mono" title={c.outpoint}>
                    {shortenMiddle(c.outpoint, 10, 8)}
                  </td>
                  <td>{lockText(c.lockedBy)}</td>
                  <td className="num">{c.confirmations === 0 ? 'unconfirmed' : c.confirmations}</td>
                  <td className="num">
                    <Amount value={c.amount} decimals={props.decimals} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {splitting ? (
        <SplitDialog ticker={props.ticker} decimals={props.decimals} onClose={() => setSplitting(false)} />
      ) : (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setSplitting(true)}
          data-testid={`wallet-split-${props.ticker}`}
        >
          Split coins&hellip;
        </button>
      )}
    </details>
  );
}
