// The vertical step timeline of one swap: each step's status, time, transaction (chain, txid,
// confirmations of the agreed depth), the block by which a step to come must happen, and, where a
// refund lock applies, the blocks and approximate time left.
import { byBlockText, countdownText } from './deadlines.ts';
import { Time, Txid } from './parts.tsx';
import type { StepStatus, StepView } from './steps.ts';

const STATUS_WORDS: Record<StepStatus, string> = {
  done: 'Done',
  current: 'Now',
  waiting: 'Waiting',
  skipped: 'Skipped',
  failed: 'Failed',
};

function Confirmations(props: { step: StepView; testId: string }) {
  const { confirmations, required, status } = props.step;
  if (confirmations === null) {
    // Claims and refunds are reported once confirmed at the agreed depth; the count itself is not sent.
    if (status === 'done' && (props.step.name === 'claim' || props.step.name === 'refund'))
      return (
        <span className="small muted" data-testid={props.testId}>
          confirmed
        </span>
      );
    if (status === 'current' && props.step.txid)
      return (
        <span className="small muted" data-testid={props.testId}>
          waiting for confirmations
        </span>
      );
    return null;
  }
  // A step the swap stopped at (or skipped) is no longer followed: its depth is as the node last recorded it.
  const stale = status === 'failed' || status === 'skipped';
  const text = `${confirmations}${required !== null ? ` of ${required}` : ''} ${(required ?? confirmations) === 1 ? 'confirmation' : 'confirmations'}${stale ? ' when last seen' : ''}`;
  const deep = required !== null && confirmations >= required;
  return (
    <span
      className={deep ? 'small confs confs-deep' : 'small confs'}
      data-testid={props.testId}
      data-confirmations={confirmations}
      data-required={required ?? undefined}
    >
      {text}
    </span>
  );
}

function Countdown(props: { step: StepView; testId: string }) {
  const c = props.step.countdown;
  if (!c) return null;
  const claim = props.step.name === 'claim';
  const lead = claim ? 'Must confirm before the peer\u2019s lock ends' : 'Refund possible';
  let text: string;
  if (c.open)
    text = claim
      ? 'The peer\u2019s lock has ended: they could refund now'
      : `Refund possible now (${c.ticker} block ${c.locktime} reached)`;
  else
    text = `${lead} ${countdownText(c)} \u00b7 ${c.ticker} block ${c.locktime}${c.height !== null ? `, now ${c.height}` : ''}`;
  return (
    <p
      className={c.open ? 'step-countdown open' : 'step-countdown'}
      data-testid={props.testId}
      data-blocks-left={c.blocksLeft ?? undefined}
      data-seconds-left={c.secondsLeft ?? undefined}
      data-locktime={c.locktime}
      data-open={c.open}
    >
      {text}
    </p>
  );
}

const DEADLINE_LEAD: Record<string, string> = {
  'own-lock': 'Your node locks',
  'their-lock': 'The peer must lock',
  'their-claim': 'The peer must claim',
  claim: 'Your claim is due',
};

function StepDeadline(props: { step: StepView; testId: string }) {
  const dl = props.step.deadline;
  if (!dl) return null;
  return (
    <p
      className="step-countdown"
      data-testid={props.testId}
      data-ticker={dl.ticker}
      data-height={dl.height}
      data-blocks-left={dl.blocksLeft ?? undefined}
    >
      {DEADLINE_LEAD[props.step.name] ?? 'Due'} {byBlockText(dl)}
    </p>
  );
}

export function SwapTimeline(props: { steps: StepView[] }) {
  return (
    <ol className="timeline" data-testid="swap-steps">
      {props.steps.map((s) => {
        const id = `swap-step-${s.name}`;
        return (
          <li
            key={s.name}
            className={`tl-step tl-${s.status}`}
            data-testid={id}
            data-status={s.status}
            aria-current={s.status === 'current' ? 'step' : undefined}
          >
            <span className="tl-marker" aria-hidden="true" />
            <div className="tl-body">
              <div className="tl-head">
                <span className="tl-title">{s.title}</span>
                <span className={`tl-status tl-status-${s.status}`}>{STATUS_WORDS[s.status]}</span>
                <span className="tl-time muted small">{s.at !== null ? <Time ms={s.at} /> : null}</span>
              </div>
              {s.note && s.status !== 'skipped' ? <p className="tl-note muted small">{s.note}</p> : null}
              {s.txid ? (
                <div className="tl-tx">
                  {s.ticker ? <span className="chain-tag">{s.ticker}</span> : null}
                  <Txid txid={s.txid} testId={`${id}-txid`} />
                  <Confirmations step={s} testId={`${id}-confirmations`} />
                </div>
              ) : null}
              <StepDeadline step={s} testId={`${id}-deadline`} />
              <Countdown step={s} testId={`${id}-countdown`} />
            </div>
          </li>
        );
      })}
    </ol>
  );
}
