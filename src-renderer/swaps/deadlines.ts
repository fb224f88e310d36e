// Countdowns to the refund locks of a swap and its "give-up" deadlines (by which block the peer
// must lock, we must claim, ...), from the heights the node reports: blocks left and an
// approximate time. Block counts are exact for the tip the node saw; time is only an estimate
// (blocks arrive irregularly), which is why every duration is written with "~".
import type { SwapDetail } from '../../src-shared/api/schemas.ts';
import { formatDuration } from '../format/text.ts';

export type SwapLock = SwapDetail['locks'][number];
export type SwapDeadline = SwapDetail['deadlines'][number];

export interface Countdown {
  ticker: string;
  /** Block height from which the HTLC's funder may refund. */
  locktime: number;
  /** The chain's tip as the node last saw it. */
  height: number | null;
  blocksLeft: number | null;
  /** blocksLeft × the coin's block time. */
  secondsLeft: number | null;
  /** The tip reached the locktime: a refund is valid now. */
  open: boolean;
}

/**
 * Blocks and approximate seconds until a lock opens. Computed from the tip and the coin's block
 * time when both are known (so it agrees with the numbers shown next to it); otherwise the
 * node's own estimate is used.
 */
export function lockCountdown(lock: SwapLock, blockTimeSec: number | undefined): Countdown {
  const blocksLeft = lock.height !== null ? Math.max(0, lock.locktime - lock.height) : lock.blocksLeft;
  const secondsLeft =
    blocksLeft === null
      ? null
      : blockTimeSec !== undefined && blockTimeSec > 0
        ? blocksLeft * blockTimeSec
        : lock.secondsLeft;
  return {
    ticker: lock.ticker,
    locktime: lock.locktime,
    height: lock.height,
    blocksLeft,
    secondsLeft,
    open: blocksLeft === 0,
  };
}

/** 1 → "1 block", 32 → "32 blocks". */
export function blocksText(n: number): string {
  return n === 1 ? '1 block' : `${n} blocks`;
}

/** An estimate in minutes: 0 → "now", 20 → "under 1 min", 150 → "~3 min", 7500 → "~2 h 5 min". */
export function approxDuration(seconds: number): string {
  if (seconds <= 0) return 'now';
  const minutes = Math.round(seconds / 60);
  if (minutes === 0) return 'under 1 min';
  return `~${formatDuration(minutes * 60)}`;
}

/** "~32 blocks (~3 min)"; without a known tip, "after block 1234". */
export function countdownText(c: Countdown): string {
  if (c.blocksLeft === null) return `after ${c.ticker} block ${c.locktime}`;
  if (c.open) return 'now';
  const time = c.secondsLeft === null ? '' : ` (${approxDuration(c.secondsLeft)})`;
  return `in ~${blocksText(c.blocksLeft)}${time}`;
}

/** Our own lock (when our coins come back) and the counterparty's (when theirs may go back to them). */
export function swapCountdowns(
  detail: Pick<SwapDetail, 'locks'>,
  blockTimeOf: (ticker: string) => number | undefined,
): { own: Countdown | null; counterparty: Countdown | null } {
  const own = detail.locks.find((l) => l.side === 'own');
  const theirs = detail.locks.find((l) => l.side === 'counterparty');
  return {
    own: own ? lockCountdown(own, blockTimeOf(own.ticker)) : null,
    counterparty: theirs ? lockCountdown(theirs, blockTimeOf(theirs.ticker)) : null,
  };
}

export interface NextDeadline {
  /** refund: when our locked coins can come back; claim: our claim must confirm before the counterparty's lock opens. */
  kind: 'refund' | 'claim';
  countdown: Countdown;
  /** label + when, e.g. "refund possible" + "in ~32 blocks (~3 min)". */
  label: string;
  when: string;
  text: string;
}

function deadline(kind: NextDeadline['kind'], countdown: Countdown, label: string, when: string): NextDeadline {
  return { kind, countdown, label, when, text: `${label} ${when}` };
}

/**
 * The deadline that matters most to the user right now, or null when none does: before our
 * coins are locked nothing of ours is at stake, and a finished swap has no deadlines.
 */
export function nextDeadline(
  detail: Pick<SwapDetail, 'state' | 'terminal' | 'locks' | 'txs'>,
  blockTimeOf: (ticker: string) => number | undefined,
): NextDeadline | null {
  if (detail.terminal) return null;
  const { own, counterparty } = swapCountdowns(detail, blockTimeOf);
  if (detail.state === 'claiming' && counterparty) {
    return counterparty.open
      ? deadline('claim', counterparty, 'claim is late:', 'the peer may refund now')
      : deadline('claim', counterparty, 'claim must confirm', countdownText(counterparty));
  }
  const ownLocked = detail.txs.some((t) => t.kind === 'ownFunding');
  if (!own || !ownLocked) return null;
  return deadline('refund', own, 'refund possible', countdownText(own));
}

/** The deadline at which `party` must `action` (e.g. the peer must lock), when the node reported one. */
export function deadlineOf(
  d: Pick<SwapDetail, 'deadlines'>,
  party: SwapDeadline['party'],
  action: SwapDeadline['action'],
): SwapDeadline | null {
  return d.deadlines.find((x) => x.party === party && x.action === action) ?? null;
}

/** "by DEVB block 213, in ~3 blocks (under 1 min)"; "by DEVB block 213 (reached)" once the tip is there. */
export function byBlockText(dl: SwapDeadline): string {
  const at = `by ${dl.ticker} block ${dl.height}`;
  if (dl.blocksLeft === null) return at;
  if (dl.blocksLeft === 0) return `${at} (reached)`;
  const time = dl.secondsLeft === null ? '' : ` (${approxDuration(dl.secondsLeft)})`;
  return `${at}, in ~${blocksText(dl.blocksLeft)}${time}`;
}
