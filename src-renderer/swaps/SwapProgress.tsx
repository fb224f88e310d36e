// A swap in progress, compact enough for a table row: the steps as a line of dots (the same
// derivation as the Swaps page), the next deadline as blocks and approximate time, and, when
// the swap stopped, the plain explanation of the refund. "Details" opens the full Swaps page.
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/ApiProvider.tsx';
import { href } from '../app/routes.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { shortenMiddle } from '../format/text.ts';
import { useFormatDecimal } from '../format/number-format.tsx';
import { nextDeadline } from './deadlines.ts';
import { StateBadge, type CoinFacts } from './parts.tsx';
import { swapQueries } from './queries.ts';
import { deriveSteps, type StepName } from './steps.ts';
import { explainSwap } from './swap-words.ts';

const SHORT: Record<StepName, string> = {
  agree: 'Agreed',
  'own-lock': 'You lock',
  'their-lock': 'They lock',
  'their-claim': 'They claim',
  claim: 'You claim',
  refund: 'Refund',
};

const STOPPED = new Set(['refunding', 'refunded', 'failedBeforeFunding', 'lost']);

/** `coins` is the caller's: the Trade screen counts with the confirmations the user set. */
export function SwapProgress(props: { swapId: string; coins: Pick<CoinFacts, 'blockTimeOf' | 'confirmationsOf'> }) {
  const api = useApi();
  const coins = props.coins;
  const fmt = useFormatDecimal();
  const id = props.swapId;
  const detail = useQuery(swapQueries(api).detail(id));
  const d = detail.data;

  if (!d) {
    return (
      <div className="swap-progress" data-testid={`swap-progress-${id}`} data-state="loading">
        {detail.isError ? (
          <ErrorNote error={detail.error} />
        ) : (
          <span className="muted small">
            Loading swap {shortenMiddle(id, 8, 6)}
            {'\u2026'}
          </span>
        )}
      </div>
    );
  }

  const steps = deriveSteps(d, { blockTimeOf: coins.blockTimeOf, confirmationsOf: coins.confirmationsOf });
  const deadline = nextDeadline(d, coins.blockTimeOf);
  const stopped = STOPPED.has(d.state);
  const explanation = stopped ? explainSwap(d, { blockTimeOf: coins.blockTimeOf }) : null;
  // Refunds are by lock time: the steps stay visible (what happened) above the explanation.
  return (
    <div
      className={`swap-progress${stopped ? ' stopped' : ''}`}
      data-testid={`swap-progress-${id}`}
      data-state={d.state}
    >
      <div className="sp-head">
        <span className="sp-legs num">
          {fmt(d.sell.amount)} {d.sell.ticker} {'\u2192'} {fmt(d.buy.amount)} {d.buy.ticker}
        </span>
        <StateBadge state={d.state} />
        <span className="muted small">{d.role}</span>
        <a className="sp-link" href={href('swaps', id)} data-testid={`swap-progress-link-${id}`}>
          Details
        </a>
      </div>
      <ol className="sp-steps" aria-label="Swap steps">
        {steps.map((s) => (
          <li
            key={s.name}
            className={`sp-step sp-${s.status}`}
            data-testid={`swap-progress-${id}-step-${s.name}`}
            data-status={s.status}
            title={`${s.title}${s.note ? ` \u2014 ${s.note}` : ''}`}
            aria-current={s.status === 'current' ? 'step' : undefined}
          >
            <span className="sp-dot" aria-hidden="true" />
            <span className="sp-label">{SHORT[s.name]}</span>
          </li>
        ))}
      </ol>
      {deadline ? (
        <p
          className={`sp-countdown${deadline.countdown.open ? ' open' : ''}`}
          data-testid={`swap-progress-countdown-${id}`}
          data-kind={deadline.kind}
          data-blocks-left={deadline.countdown.blocksLeft ?? undefined}
          data-seconds-left={deadline.countdown.secondsLeft ?? undefined}
        >
          {deadline.kind === 'claim'
            ? 'Your claim: '
            : d.state === 'refunding'
              ? 'Refund: '
              : 'If the swap stops, your coins come back by refund: '}
          {deadline.text}
        </p>
      ) : null}
      {explanation ? (
        <div className={`sp-explain tone-${explanation.tone}`} data-testid={`swap-progress-explain-${id}`}>
          <p className="strong">{explanation.title}</p>
          {explanation.paragraphs.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      ) : null}
    </div>
  );
}
