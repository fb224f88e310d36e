// One swap (#/swaps/<id>): its facts, the step timeline, a plain-words box on where it stands
// and what happens next (or how it ended), the two refund locks, its transactions, and Stop
// where the node still allows it. Kept current by swap.updated (no polling).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { SwapDetail } from '../../src-shared/api/schemas.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { SwapChatButton } from '../communities/index.ts';
import { href } from '../app/routes.ts';
import { Amount } from '../components/Amount.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { countdownText, swapCountdowns, type Countdown } from './deadlines.ts';
import { putSwapInList } from './events.ts';
import { CopyIcon, DateTime, PeerId, StateBadge, SwapErrorNote, Txid, type CoinFacts } from './parts.tsx';
import { swapKeys, swapQueries } from './queries.ts';
import { deriveSteps, requiredConfirmations } from './steps.ts';
import { abortConsequence, explainSwap, shortStatus, whyNoAbort } from './swap-words.ts';
import { SwapTimeline } from './SwapTimeline.tsx';

const TX_WORDS: Record<SwapDetail['txs'][number]['kind'], string> = {
  ownFunding: 'Your lock',
  theirFunding: 'Peer\u2019s lock',
  claim: 'Your claim',
  refund: 'Your refund',
  theirClaim: 'Peer\u2019s claim of your lock',
  theirRefund: 'Peer\u2019s refund',
  claimFeeChild: 'Fee top-up of your claim',
  refundFeeChild: 'Fee top-up of your refund',
};

function Explanation(props: { detail: SwapDetail; coins: CoinFacts }) {
  const e = explainSwap(props.detail, props.coins);
  const noteTone =
    e.tone === 'ok'
      ? 'note-ok'
      : e.tone === 'warn'
        ? 'note-warn'
        : e.tone === 'danger'
          ? 'note-error'
          : e.tone === 'muted'
            ? 'note-muted'
            : 'note-info';
  return (
    <div
      className={`note swap-explain ${noteTone}`}
      data-testid="swap-explain"
      data-state={props.detail.state}
      role="status"
    >
      <p className="note-title">{e.title}</p>
      {e.paragraphs.map((p) => (
        <p key={p}>{p}</p>
      ))}
    </div>
  );
}

function LockRow(props: { label: string; lock: Countdown | null; testId: string }) {
  const c = props.lock;
  if (!c) return null;
  return (
    <tr
      data-testid={props.testId}
      data-locktime={c.locktime}
      data-blocks-left={c.blocksLeft ?? undefined}
      data-open={c.open}
    >
      <th scope="row" className="nowrap">
        {props.label} <span className="chain-tag">{c.ticker}</span>
      </th>
      <td className="num">{c.locktime}</td>
      <td className="num">{c.height ?? <span className="muted">{'\u2014'}</span>}</td>
      <td>{c.open ? <span className="strong">ended</span> : countdownText(c)}</td>
    </tr>
  );
}

/** While the swap runs: when each side's coins could go back to it. A finished swap has no deadlines left. */
function Locks(props: { detail: SwapDetail; coins: CoinFacts }) {
  const { own, counterparty } = swapCountdowns(props.detail, props.coins.blockTimeOf);
  if (props.detail.terminal || (!own && !counterparty)) return null;
  return (
    <div className="panel flush" data-testid="swap-locks">
      <div className="panel-head">
        <h2>Refund locks</h2>
      </div>
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">Lock</th>
            <th scope="col" className="num">
              Ends at
            </th>
            <th scope="col" className="num">
              Tip
            </th>
            <th scope="col">Ends</th>
          </tr>
        </thead>
        <tbody>
          <LockRow label="Yours" lock={own} testId="swap-lock-own" />
          <LockRow label="Peer's" lock={counterparty} testId="swap-lock-counterparty" />
        </tbody>
      </table>
      <p className="panel-pad muted small">
        {props.detail.role === 'maker'
          ? 'Your claim must confirm before the peer\u2019s lock ends; the peer then has until your lock ends to claim with the secret. '
          : 'The peer must claim before your lock ends; you then have until the peer\u2019s lock ends to claim with the secret it revealed. '}
        Coins still unclaimed when their lock ends go back to their owner. Times are estimates from the coins&rsquo;
        block times.
      </p>
    </div>
  );
}

function Transactions(props: { detail: SwapDetail; coins: CoinFacts }) {
  if (props.detail.txs.length === 0) return null;
  // Depths against the swap's agreed confirmations for that chain ("2 of 3").
  const required = (ticker: string) => requiredConfirmations(props.detail, ticker, props.coins);
  return (
    <div className="panel flush" data-testid="swap-txs">
      <div className="panel-head">
        <h2>Transactions</h2>
      </div>
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col">Chain</th>
            <th scope="col">Transaction</th>
            <th scope="col" className="num">
              Confirmations
            </th>
          </tr>
        </thead>
        <tbody>
          {props.detail.txs.map((t) => (
            <tr key={`${t.kind}-${t.txid}`} data-testid={`swap-tx-${t.kind}`}>
              <td>
                {TX_WORDS[t.kind]}
                {t.fee !== undefined && (
                  <span className="muted">
                    {' '}
                    (fee{' '}
                    <Amount
                      value={t.fee}
                      decimals={props.coins.decimalsOf(t.ticker)}
                      unit={t.ticker}
                      testId={`swap-tx-${t.kind}-fee`}
                    />
                    )
                  </span>
                )}
              </td>
              <td>
                <span className="chain-tag">{t.ticker}</span>
              </td>
              <td>
                <Txid txid={t.txid} testId={`swap-tx-${t.kind}-txid`} />
              </td>
              <td className="num" data-required={required(t.ticker)}>
                {t.confirmations === undefined ? (
                  <span className="muted">{'\u2014'}</span>
                ) : required(t.ticker) === undefined ? (
                  t.confirmations
                ) : (
                  `${t.confirmations} of ${required(t.ticker)}`
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AbortSwap(props: { detail: SwapDetail; coins: CoinFacts }) {
  const api = useApi();
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const d = props.detail;
  const abort = useMutation({
    mutationFn: () => api.call('swaps.abort', { swapId: d.swapId }),
    onSuccess: (summary) => {
      putSwapInList(qc, summary);
      void qc.invalidateQueries({ queryKey: swapKeys.detail(d.swapId) });
      setConfirming(false);
    },
    // The swap may have moved on (CONFLICT): show where it stands now.
    onError: () => void qc.invalidateQueries({ queryKey: swapKeys.detail(d.swapId) }),
  });
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const consequence = abortConsequence(d, props.coins);
  const why = whyNoAbort(d);
  if (!consequence) {
    return why ? (
      <p className="muted small" data-testid="swap-abort-unavailable">
        {why}
      </p>
    ) : null;
  }
  return (
    <div className="abort-block">
      {confirming ? (
        <div
          className="confirm"
          role="group"
          aria-label="Stop this swap?"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setConfirming(false);
          }}
        >
          <p className="note-title">Stop this swap?</p>
          <p data-testid="swap-abort-consequence">{consequence}</p>
          {abort.isError ? <SwapErrorNote error={abort.error} testId="swap-abort-error" /> : null}
          <div className="actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setConfirming(false)}
              data-testid="swap-abort-cancel"
            >
              Keep going
            </button>
            <button
              type="button"
              ref={confirmRef}
              className="btn btn-small btn-danger"
              onClick={() => abort.mutate()}
              disabled={abort.isPending}
              data-testid="swap-abort-confirm"
            >
              {abort.isPending ? 'Stopping\u2026' : 'Stop the swap'}
            </button>
          </div>
        </div>
      ) : (
        <>
          {abort.isError ? <SwapErrorNote error={abort.error} testId="swap-abort-error" /> : null}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              abort.reset();
              setConfirming(true);
            }}
            data-testid="swap-abort"
          >
            Stop this swap&hellip;
          </button>
        </>
      )}
    </div>
  );
}

function Facts(props: { detail: SwapDetail; coins: CoinFacts }) {
  const d = props.detail;
  return (
    <div className="panel swap-facts">
      <dl className="facts-row">
        <div>
          <dt>You send</dt>
          <dd className="strong">
            <Amount
              value={d.sell.amount}
              decimals={props.coins.decimalsOf(d.sell.ticker)}
              unit={d.sell.ticker}
              testId="swap-detail-sent"
            />
          </dd>
        </div>
        <div>
          <dt>You receive</dt>
          <dd className="strong">
            <Amount
              value={d.buy.amount}
              decimals={props.coins.decimalsOf(d.buy.ticker)}
              unit={d.buy.ticker}
              testId="swap-detail-received"
            />
          </dd>
        </div>
        <div>
          <dt>Your role</dt>
          <dd data-testid="swap-detail-role">{d.role === 'maker' ? 'Maker, locks first' : 'Taker, locks second'}</dd>
        </div>
        <div>
          <dt>Peer</dt>
          <dd>
            <PeerId peerId={d.counterparty} testId="swap-detail-peer" compact />
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <DateTime ms={d.createdAt} />
          </dd>
        </div>
        <div>
          <dt>Swap ID</dt>
          <dd className="with-copy">
            <span className="mono" title={d.swapId} data-testid="swap-detail-id">
              {d.swapId.length > 14 ? `${d.swapId.slice(0, 12)}\u2026` : d.swapId}
            </span>
            <CopyIcon text={d.swapId} what="swap ID" testId="swap-detail-id-copy" />
          </dd>
        </div>
      </dl>
    </div>
  );
}

export function SwapDetailPage(props: { swapId: string; coins: CoinFacts }) {
  const api = useApi();
  const detail = useQuery(swapQueries(api).detail(props.swapId));
  const back = (
    <a href={href('swaps')} className="back-link" data-testid="swap-detail-back">
      {'\u2190'} All swaps
    </a>
  );

  if (!detail.data) {
    return (
      <section>
        {back}
        <PageHeader title="Swap" />
        {detail.isError ? (
          <SwapErrorNote error={detail.error} testId="swap-detail-error" title="This swap could not be loaded." />
        ) : (
          <p className="muted">Loading the swap&hellip;</p>
        )}
      </section>
    );
  }

  const d = detail.data;
  const steps = deriveSteps(d, props.coins);
  return (
    <section data-testid="swap-detail" data-swap-id={d.swapId} data-state={d.state} data-role={d.role}>
      {back}
      <div className="page-header">
        <div>
          <div className="title-line">
            <h1 tabIndex={-1}>
              Swap {d.sell.ticker} {'\u2192'} {d.buy.ticker}
            </h1>
            <StateBadge state={d.state} testId="swap-detail-state" />
          </div>
          <p className="page-description">{shortStatus(d)}</p>
        </div>
        <div className="page-actions">
          <SwapChatButton swapId={d.swapId} />
        </div>
      </div>
      {detail.isError ? (
        <SwapErrorNote error={detail.error} title="Could not refresh this swap; what you see may be out of date." />
      ) : null}
      <Facts detail={d} coins={props.coins} />
      <div className="swap-detail-grid">
        <div className="panel">
          <h2 className="panel-title">Steps</h2>
          <SwapTimeline steps={steps} />
        </div>
        <div className="swap-side">
          <Explanation detail={d} coins={props.coins} />
          <AbortSwap detail={d} coins={props.coins} />
          <Locks detail={d} coins={props.coins} />
        </div>
      </div>
      <Transactions detail={d} coins={props.coins} />
    </section>
  );
}
