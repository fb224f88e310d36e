// Small pieces shared by the swap list, detail and form: coin facts from coins.list, the state
// badge, a peer id and a txid with copy buttons, times, and errors with swap-specific hints.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { SwapSummary } from '../../src-shared/api/schemas.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { walletQueries } from '../wallets/index.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { describeError } from '../format/errors.ts';
import { shortenMiddle } from '../format/text.ts';
import { swapBadge } from './swap-words.ts';

export interface CoinFacts {
  tickers: string[];
  decimalsOf(ticker: string): number | undefined;
  blockTimeOf(ticker: string): number | undefined;
  confirmationsOf(ticker: string): number | undefined;
}

/** Per-coin facts the swap pages compute with; empty until coins.list has answered. */
export function useCoinFacts(): CoinFacts {
  const api = useApi();
  const coins = useQuery(walletQueries(api).coins());
  const find = (t: string) => coins.data?.find((c) => c.ticker === t);
  return {
    tickers: coins.data?.map((c) => c.ticker) ?? [],
    decimalsOf: (t) => find(t)?.decimals,
    blockTimeOf: (t) => find(t)?.blockTimeSec,
    confirmationsOf: (t) => find(t)?.defaultConfirmations,
  };
}

export function StateBadge(props: { state: SwapSummary['state']; testId?: string }) {
  const b = swapBadge(props.state);
  return (
    <span
      className={`badge swap-badge tone-${b.tone}`}
      data-testid={props.testId}
      data-state={props.state}
      data-kind={b.kind}
    >
      {b.label}
    </span>
  );
}

/** A copy button that is only an icon (dense table rows); says "Copied" to screen readers and in its tooltip. */
export function CopyIcon(props: { text: string; what: string; testId?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 1600);
    return () => clearTimeout(t);
  }, [state]);
  const label = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : `Copy ${props.what}`;
  return (
    <button
      type="button"
      className={`btn btn-small btn-ghost copy-icon copy-${state}`}
      title={label}
      aria-label={label}
      data-testid={props.testId}
      onClick={() =>
        navigator.clipboard.writeText(props.text).then(
          () => setState('copied'),
          () => setState('failed'),
        )
      }
    >
      <svg
        viewBox="0 0 24 24"
        className="icon"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.75"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        focusable="false"
      >
        {state === 'copied' ? (
          <path d="M5 12.5l4.5 4.5L19 7.5" />
        ) : (
          <>
            <rect x="8.5" y="8.5" width="11" height="11" rx="2" />
            <path d="M15.5 8.5V6a1.5 1.5 0 0 0-1.5-1.5H6A1.5 1.5 0 0 0 4.5 6v8A1.5 1.5 0 0 0 6 15.5h2.5" />
          </>
        )}
      </svg>
      <span className="sr-only" aria-live="polite">
        {state === 'idle' ? '' : label}
      </span>
    </button>
  );
}

export function PeerId(props: { peerId: string; testId?: string; compact?: boolean }) {
  return (
    <span className="with-copy nowrap">
      <span className="mono" title={props.peerId} data-testid={props.testId} data-peer-id={props.peerId}>
        {shortenMiddle(props.peerId, 8, 4)}
      </span>
      {props.compact ? (
        <CopyIcon text={props.peerId} what="peer ID" testId={props.testId ? `${props.testId}-copy` : undefined} />
      ) : (
        <CopyButton text={props.peerId} what="peer ID" testId={props.testId ? `${props.testId}-copy` : undefined} />
      )}
    </span>
  );
}

export function Txid(props: { txid: string; testId: string }) {
  return (
    <span className="with-copy txid-line">
      <code className="mono txid" title={props.txid} data-testid={props.testId} data-txid={props.txid}>
        {shortenMiddle(props.txid, 12, 12)}
      </code>
      <CopyButton text={props.txid} what="transaction ID" testId={`${props.testId}-copy`} />
    </span>
  );
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const thisYear = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Date and time; the year only when it is not this year (dense tables). */
export function DateTime(props: { ms: number }) {
  const d = new Date(props.ms);
  const short = d.getFullYear() === new Date().getFullYear();
  return (
    <time dateTime={d.toISOString()} title={dateTime.format(d)} className="nowrap">
      {(short ? thisYear : dateTime).format(d)}
    </time>
  );
}

const dayOnly = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const dayWithYear = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const hourMinute = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** Day over time, for narrow table columns. */
export function DateStacked(props: { ms: number }) {
  const d = new Date(props.ms);
  const day = d.getFullYear() === new Date().getFullYear() ? dayOnly : dayWithYear;
  return (
    <time dateTime={d.toISOString()} title={dateTime.format(d)}>
      <span className="nowrap">{day.format(d)}</span>
      <span className="sub muted nowrap">{hourMinute.format(d)}</span>
    </time>
  );
}

export function Time(props: { ms: number }) {
  const d = new Date(props.ms);
  return (
    <time dateTime={d.toISOString()} title={dateTime.format(d)} className="nowrap num">
      {timeOnly.format(d)}
    </time>
  );
}

/** What to do about a refusal, for the codes the swap methods answer with. */
const SWAP_HINTS: Partial<Record<string, string>> = {
  SWAP_REFUSED: 'The node would not propose these terms; the message says which part to change.',
  PEER_REFUSED: 'This node refuses that peer for a while because it broke the swap protocol before.',
  NOT_FOUND: 'This node does not know that coin or swap.',
  CONFLICT: 'The swap has moved on since this page showed it; the page now shows where it stands.',
  INVALID_PARAMS: 'Check the peer ID, the two coins and the amounts.',
};

export function SwapErrorNote(props: { error: unknown; testId?: string; title?: string }) {
  const d = describeError(props.error);
  const hint = d.hint ?? SWAP_HINTS[d.code] ?? null;
  return (
    <div className="note note-error" role="alert" data-testid={props.testId} data-code={d.code}>
      {props.title ? <p className="note-title">{props.title}</p> : null}
      <p>{d.message}</p>
      {hint ? <p className="note-hint">{hint}</p> : null}
    </div>
  );
}
