// One wallet in the table: status and balances, and when opened its receive address,
// fee estimate and unspent outputs. Disconnecting asks first.
import { CoinsBlock } from './CoinsBlock.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Result } from '../../src-shared/api/contract.ts';
import type { WalletSummary } from '../../src-shared/api/schemas.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href } from '../app/routes.ts';
import { Amount } from '../components/Amount.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { describeError } from '../format/errors.ts';
import { shortenMiddle } from '../format/text.ts';
import { walletKeys, walletQueries } from './queries.ts';

const FEE_TARGET_BLOCKS = 6;

function StatusCell(props: { wallet: WalletSummary }) {
  const w = props.wallet;
  if (w.status === 'connected') {
    const facts = [
      w.blocks !== undefined ? `block ${w.blocks}` : null,
      w.wallet ? `wallet \u201c${w.wallet}\u201d` : null,
    ].filter((x) => x !== null);
    return (
      <td data-testid={`wallet-status-${w.ticker}`} data-status="connected">
        <span className="status-line">
          <span className="badge badge-ok">Connected</span>
          {w.endpoint ? <span className="mono muted small">{w.endpoint}</span> : null}
        </span>
        {facts.length > 0 ? <span className="sub muted nowrap">{facts.join(' \u00b7 ')}</span> : null}
      </td>
    );
  }
  if (w.status === 'error') {
    const d = w.error ? describeError(w.error) : null;
    return (
      <td data-testid={`wallet-status-${w.ticker}`} data-status="error">
        <span className="badge badge-error">Not reachable</span>
        <div className="sub error-text" title={d?.hint ?? undefined}>
          {d?.message ?? 'The wallet does not answer.'}
        </div>
      </td>
    );
  }
  return (
    <td data-testid={`wallet-status-${w.ticker}`} data-status="unconfigured">
      <span className="badge badge-muted">Not set up</span>
    </td>
  );
}

function ReceiveBlock(props: {
  ticker: string;
  address: Result<'wallets.newAddress'> | undefined;
  pending: boolean;
  error: unknown;
  onNew(): void;
}) {
  const { ticker } = props;
  return (
    <div className="detail-block">
      <h3>Receive</h3>
      {props.address ? (
        <div className="address-line">
          <code className="mono address" data-testid={`receive-address-${ticker}`}>
            {props.address.address}
          </code>
          <CopyButton text={props.address.address} what={`${ticker} address`} testId={`receive-copy-${ticker}`} />
        </div>
      ) : props.pending ? (
        <p className="muted">Asking the wallet for an address&hellip;</p>
      ) : null}
      {props.error ? <ErrorNote error={props.error} testId={`receive-error-${ticker}`} /> : null}
      <p className="muted small">
        Each address comes from your own wallet. A fresh one for every payment keeps them apart.
      </p>
      <button
        type="button"
        className="btn btn-small"
        onClick={props.onNew}
        disabled={props.pending}
        data-testid={`receive-new-${ticker}`}
      >
        {props.address ? 'Another address' : 'Get an address'}
      </button>
    </div>
  );
}

function FeeBlock(props: { ticker: string }) {
  const api = useApi();
  const fee = useQuery(walletQueries(api).fee(props.ticker, FEE_TARGET_BLOCKS));
  const source =
    fee.data?.source === 'floor'
      ? 'the coin\u2019s minimum'
      : fee.data?.source === 'cap'
        ? 'capped at the coin\u2019s maximum'
        : 'the wallet\u2019s estimate';
  return (
    <div className="detail-block">
      <h3>Network fee</h3>
      {fee.data ? (
        <p data-testid={`wallet-fee-${props.ticker}`}>
          <span className="num strong">{fee.data.satPerVb}</span> sat/vB{' '}
          <span className="muted">
            for confirmation within {FEE_TARGET_BLOCKS} blocks ({source})
          </span>
        </p>
      ) : fee.isError ? (
        <ErrorNote error={fee.error} />
      ) : (
        <p className="muted">Loading&hellip;</p>
      )}
    </div>
  );
}

function UtxoBlock(props: { ticker: string; decimals: number }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const utxos = useQuery({ ...walletQueries(api).utxos(props.ticker), enabled: open });
  return (
    <details
      className="detail-block utxos"
      onToggle={(e) => setOpen(e.currentTarget.open)}
      data-testid={`wallet-utxos-${props.ticker}`}
    >
      <summary>Unspent outputs{utxos.data ? ` (${utxos.data.length})` : ''}</summary>
      {utxos.isError ? <ErrorNote error={utxos.error} /> : null}
      {utxos.isPending && open ? <p className="muted">Loading&hellip;</p> : null}
      {utxos.data && utxos.data.length === 0 ? (
        <p className="muted">No unspent outputs: the wallet holds no coins yet.</p>
      ) : null}
      {utxos.data && utxos.data.length > 0 ? (
        <div className="scroll-y">
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Output</th>
                <th scope="col">Address</th>
                <th scope="col" className="num">
                  Confirmations
                </th>
                <th scope="col" className="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {utxos.data.map((u) => (
                <tr key={`${u.txid}:${u.vout}`}>
                  <td className="mono" title={`${u.txid}:${u.vout}`}>
                    {shortenMiddle(u.txid, 10, 6)}:{u.vout}
                  </td>
                  <td className="mono">{u.address ? shortenMiddle(u.address, 12, 8) : '\u2014'}</td>
                  <td className="num">{u.confirmations}</td>
                  <td className="num">
                    <Amount value={u.amount} decimals={props.decimals} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </details>
  );
}

function DisconnectConfirm(props: { wallet: WalletSummary; onDone(): void }) {
  const api = useApi();
  const qc = useQueryClient();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const { ticker } = props.wallet;
  const disconnect = useMutation({
    mutationFn: () => api.call('wallets.disconnect', { ticker }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: walletKeys.all });
      props.onDone();
    },
  });
  useEffect(() => confirmRef.current?.focus(), []);
  return (
    <div
      className="confirm"
      role="group"
      aria-label={`Disconnect ${ticker}?`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onDone();
      }}
    >
      <p>
        Disconnect <strong>{ticker}</strong>? Hashlock forgets how to reach this wallet. The wallet and its coins are
        not touched, and you can set it up again at any time.
      </p>
      {disconnect.isError ? <ErrorNote error={disconnect.error} /> : null}
      <div className="actions">
        <button type="button" className="btn btn-small" onClick={props.onDone}>
          Cancel
        </button>
        <button
          type="button"
          ref={confirmRef}
          className="btn btn-small btn-danger"
          onClick={() => disconnect.mutate()}
          disabled={disconnect.isPending}
          data-testid={`wallet-disconnect-confirm-${ticker}`}
        >
          Disconnect
        </button>
      </div>
    </div>
  );
}

export function WalletRows(props: { wallet: WalletSummary; decimals: number }) {
  const api = useApi();
  const w = props.wallet;
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const receive = useMutation({ mutationFn: () => api.call('wallets.newAddress', { ticker: w.ticker }) });
  const configured = w.status !== 'unconfigured';
  const detailsId = `wallet-details-${w.ticker}`;

  const openReceive = () => {
    setOpen(true);
    if (!receive.data && !receive.isPending) receive.mutate();
  };

  return (
    <tbody className={open ? 'wallet open' : 'wallet'}>
      <tr data-testid={`wallet-row-${w.ticker}`} data-status={w.status}>
        <th scope="row" className="coin-cell">
          <span className="ticker">{w.ticker}</span>
          <span className="sub muted nowrap">{w.name}</span>
        </th>
        <StatusCell wallet={w} />
        <td className="num">
          <Amount
            value={w.balance?.spendable}
            decimals={props.decimals}
            testId={`wallet-balance-${w.ticker}-spendable`}
          />
        </td>
        <td className="num">
          <Amount
            value={w.balance?.unconfirmed}
            decimals={props.decimals}
            testId={`wallet-balance-${w.ticker}-unconfirmed`}
          />
        </td>
        <td className="num">
          <Amount value={w.balance?.locked} decimals={props.decimals} testId={`wallet-balance-${w.ticker}-locked`} />
        </td>
        <td className="actions-col">
          <div className="row-actions">
            {w.status === 'connected' ? (
              <button
                type="button"
                className="btn btn-small"
                onClick={openReceive}
                data-testid={`wallet-receive-${w.ticker}`}
              >
                Receive
              </button>
            ) : null}
            {w.status !== 'connected' ? (
              <a
                className="btn btn-small btn-primary"
                href={href('wallets', 'setup', w.ticker)}
                data-testid={`wallet-setup-${w.ticker}`}
              >
                {w.status === 'error' ? 'Fix connection' : 'Set up'}
              </a>
            ) : null}
            {configured ? (
              <button
                type="button"
                className="btn btn-small btn-ghost details-toggle"
                aria-expanded={open}
                aria-controls={detailsId}
                onClick={() => setOpen(!open)}
                data-testid={`wallet-details-toggle-${w.ticker}`}
              >
                Details <span className="chevron" aria-hidden="true" />
              </button>
            ) : null}
          </div>
        </td>
      </tr>
      {open && configured ? (
        <tr className="detail-row" id={detailsId} data-testid={detailsId}>
          <td colSpan={6}>
            {w.status === 'connected' ? (
              <div className="detail-grid">
                <ReceiveBlock
                  ticker={w.ticker}
                  address={receive.data}
                  pending={receive.isPending}
                  error={receive.isError ? receive.error : null}
                  onNew={() => receive.mutate()}
                />
                <FeeBlock ticker={w.ticker} />
                <UtxoBlock ticker={w.ticker} decimals={props.decimals} />
                <CoinsBlock ticker={w.ticker} decimals={props.decimals} />
              </div>
            ) : w.error ? (
              <ErrorNote error={w.error} />
            ) : null}
            <div className="detail-footer">
              {confirming ? (
                <DisconnectConfirm wallet={w} onDone={() => setConfirming(false)} />
              ) : (
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  onClick={() => setConfirming(true)}
                  data-testid={`wallet-disconnect-${w.ticker}`}
                >
                  Disconnect {w.ticker}&hellip;
                </button>
              )}
            </div>
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}
