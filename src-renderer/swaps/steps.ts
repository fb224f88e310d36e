// The swap detail's step timeline, derived from what the node reports (state, transactions,
// the event timeline, locks, deadlines, the agreed confirmations). Each side sees its own path:
// the maker locks first and claims first; the taker locks second and claims with the secret the
// maker's claim revealed.
import type { SwapDetail } from '../../src-shared/api/schemas.ts';
import { formatDecimalForDisplay } from '../format/amount.ts';
import { deadlineOf, lockCountdown, type Countdown, type SwapDeadline } from './deadlines.ts';

export type StepName = 'agree' | 'own-lock' | 'their-lock' | 'their-claim' | 'claim' | 'refund';
export type StepStatus = 'done' | 'current' | 'waiting' | 'skipped' | 'failed';

export interface StepView {
  name: StepName;
  title: string;
  /** One line on what the step means for the user, or null. */
  note: string | null;
  status: StepStatus;
  /** When the step happened (or stopped), ms since the epoch. */
  at: number | null;
  /** The chain the step's transaction is on. */
  ticker: string | null;
  txid: string | null;
  confirmations: number | null;
  /** Depth at which the node acts on the transaction: the swap's agreed confirmations for that chain. */
  required: number | null;
  /** Refund step: until our lock opens. Current claim step: until the counterparty's lock opens. */
  countdown: Countdown | null;
  /** A step still to come: the block by which it must happen, or the swap gives up on it. */
  deadline: SwapDeadline | null;
}

export interface StepContext {
  blockTimeOf(ticker: string): number | undefined;
  /** Only for a detail without agreed confirmations (a node before they were reported): the coin's setting. */
  confirmationsOf?(ticker: string): number | undefined;
}

type Phase = SwapDetail['state'];
type TxKind = SwapDetail['txs'][number]['kind'];

const MAIN_PATH: Record<SwapDetail['role'], readonly StepName[]> = {
  maker: ['agree', 'own-lock', 'their-lock', 'claim'],
  taker: ['agree', 'their-lock', 'own-lock', 'their-claim', 'claim'],
};

/** The event that marks each step as having happened, as the node's timeline names it. */
const STEP_EVENT: Record<SwapDetail['role'], Record<StepName, string>> = {
  maker: {
    agree: 'CounterpartyAccepted',
    'own-lock': 'OwnFundingBroadcast',
    'their-lock': 'CounterpartyFundingSeen',
    'their-claim': 'CounterpartyClaimSeen',
    claim: 'ClaimBroadcast',
    refund: 'RefundBroadcast',
  },
  taker: {
    agree: 'TakerStarted',
    'own-lock': 'OwnFundingBroadcast',
    'their-lock': 'CounterpartyFundingSeen',
    'their-claim': 'CounterpartyClaimSeen',
    claim: 'ClaimBroadcast',
    refund: 'RefundBroadcast',
  },
};

const STEP_TX: Partial<Record<StepName, TxKind>> = {
  'own-lock': 'ownFunding',
  'their-lock': 'theirFunding',
  'their-claim': 'theirClaim',
  claim: 'claim',
  refund: 'refund',
};

const STOPPED: ReadonlySet<Phase> = new Set(['refunding', 'refunded', 'failedBeforeFunding', 'lost']);

function amount(leg: { amount: string; ticker: string }): string {
  return `${formatDecimalForDisplay(leg.amount)} ${leg.ticker}`;
}

function titles(d: SwapDetail): Record<StepName, { title: string; note: string | null; ticker: string | null }> {
  const sell = d.sell.ticker;
  const buy = d.buy.ticker;
  const maker = d.role === 'maker';
  return {
    agree: maker
      ? {
          title: 'The peer accepts the terms',
          note: `You proposed ${amount(d.sell)} for ${amount(d.buy)}.`,
          ticker: null,
        }
      : {
          title: 'You accept the peer\u2019s terms',
          note: `${amount(d.buy)} for your ${amount(d.sell)}, as you allowed.`,
          ticker: null,
        },
    'own-lock': {
      title: `You lock ${amount(d.sell)}`,
      note: maker
        ? 'Your coins go first, into a contract only the peer can claim, and only with your secret.'
        : 'Only after the peer\u2019s coins are locked deep enough.',
      ticker: sell,
    },
    'their-lock': {
      title: `The peer locks ${amount(d.buy)}`,
      note: maker
        ? 'Your node checks the contract, amount and lock time before going on.'
        : 'Your node checks the contract, amount and lock time before locking anything.',
      ticker: buy,
    },
    'their-claim': {
      title: `The peer claims your ${sell}`,
      note: 'Their claim reveals the secret your node needs.',
      ticker: sell,
    },
    claim: {
      title: `You claim ${amount(d.buy)}`,
      note: maker
        ? 'This reveals the secret; the peer then uses it to claim your coins.'
        : 'With the secret from the peer\u2019s claim.',
      ticker: buy,
    },
    refund: {
      title: `Refund of your ${sell}`,
      note:
        d.state === 'refunded'
          ? 'Your node took your coins back once the lock ended.'
          : d.state === 'refunding'
            ? 'Your node sends it by itself once the lock ends.'
            : 'Only if the swap stops after your coins are locked. Your node sends it by itself.',
      ticker: sell,
    },
  };
}

/** Whether the swap ever was in one of these phases (the timeline keeps every step it took). */
function reached(d: SwapDetail, phases: readonly Phase[]): boolean {
  return phases.includes(d.state) || d.timeline.some((s) => phases.includes(s.state));
}

function txOf(d: SwapDetail, kind: TxKind | undefined) {
  return kind === undefined ? undefined : d.txs.find((t) => t.kind === kind);
}

/** The depth agreed in the swap's terms for a chain; a node that does not report it leaves the app's setting. */
export function requiredConfirmations(
  d: Pick<SwapDetail, 'confirmations'>,
  ticker: string,
  ctx: Pick<StepContext, 'confirmationsOf'>,
): number | undefined {
  return d.confirmations.find((c) => c.ticker === ticker)?.confirmations ?? ctx.confirmationsOf?.(ticker);
}

/** Which deadline a step still to come is held to: [who acts, what it does]. */
const STEP_DEADLINE: Partial<Record<StepName, [SwapDeadline['party'], SwapDeadline['action']]>> = {
  'own-lock': ['own', 'lock'],
  'their-lock': ['counterparty', 'lock'],
  'their-claim': ['counterparty', 'claim'],
  claim: ['own', 'claim'],
};

function happened(d: SwapDetail, step: StepName, ctx: StepContext): boolean {
  switch (step) {
    case 'agree':
      return reached(
        d,
        d.role === 'maker'
          ? ['funding', 'funded', 'claiming', 'refunding', 'completed', 'refunded', 'lost']
          : ['accepted', 'funding', 'funded', 'claiming', 'refunding', 'completed', 'refunded', 'lost'],
      );
    case 'own-lock':
      return txOf(d, 'ownFunding') !== undefined;
    case 'their-lock': {
      // The node goes on only once their lock is deep enough, so a later phase proves it.
      if (reached(d, d.role === 'maker' ? ['claiming', 'completed'] : ['funding', 'funded', 'claiming', 'completed']))
        return true;
      const tx = txOf(d, 'theirFunding');
      const required = requiredConfirmations(d, d.buy.ticker, ctx);
      return tx?.confirmations !== undefined && required !== undefined && tx.confirmations >= required;
    }
    case 'their-claim':
      return txOf(d, 'theirClaim') !== undefined || reached(d, ['claiming', 'completed']);
    case 'claim':
      return d.state === 'completed';
    case 'refund':
      return d.state === 'refunded' || (d.state === 'completed' && txOf(d, 'refund') !== undefined);
  }
}

/** When the swap stopped going forward: its first step into refunding or a failed end. */
function stoppedAt(d: SwapDetail): number | null {
  return d.timeline.find((s) => STOPPED.has(s.state))?.at ?? (STOPPED.has(d.state) ? d.updatedAt : null);
}

function firstAt(d: SwapDetail, event: string): number | null {
  return d.timeline.find((s) => s.event === event)?.at ?? null;
}

function lastConfirmations(d: SwapDetail, event: string): number | undefined {
  for (let i = d.timeline.length - 1; i >= 0; i--) {
    const s = d.timeline[i];
    if (s?.event === event && s.confirmations !== undefined) return s.confirmations;
  }
  return undefined;
}

export function deriveSteps(d: SwapDetail, ctx: StepContext): StepView[] {
  const path = MAIN_PATH[d.role];
  const words = titles(d);
  const firstMissing = path.findIndex((step) => !happened(d, step, ctx));
  const userStopped = d.reason?.code === 'user-abort';
  const stoppedStatus: StepStatus = d.state === 'lost' || !userStopped ? 'failed' : 'skipped';
  const stopped = STOPPED.has(d.state);

  const statusOf = (step: StepName, i: number): StepStatus => {
    if (happened(d, step, ctx)) return 'done';
    if (i === firstMissing) return stopped ? stoppedStatus : 'current';
    return stopped ? 'skipped' : 'waiting';
  };

  const ownLock = d.locks.find((l) => l.side === 'own');
  const theirLock = d.locks.find((l) => l.side === 'counterparty');
  const ownLocked = txOf(d, 'ownFunding') !== undefined;

  const view = (step: StepName, status: StepStatus, stopPoint: boolean): StepView => {
    const event = STEP_EVENT[d.role][step];
    const tx = txOf(d, STEP_TX[step]);
    const ticker = tx?.ticker ?? words[step].ticker;
    const confirmations =
      tx?.confirmations ?? (step === 'their-lock' || step === 'own-lock' ? lastConfirmations(d, event) : undefined);
    const txid = tx?.txid ?? (step === 'agree' ? undefined : d.timeline.find((s) => s.event === event && s.txid)?.txid);
    let countdown: Countdown | null = null;
    if (step === 'refund' && ownLock && ownLocked && (status === 'waiting' || status === 'current'))
      countdown = lockCountdown(ownLock, ctx.blockTimeOf(ownLock.ticker));
    if (step === 'claim' && theirLock && status === 'current')
      countdown = lockCountdown(theirLock, ctx.blockTimeOf(theirLock.ticker));
    const held = STEP_DEADLINE[step];
    // Only for what has not happened yet: a claim already sent races the lock (the countdown), not this.
    const deadline =
      held && (status === 'waiting' || (status === 'current' && !tx)) ? deadlineOf(d, held[0], held[1]) : null;
    const at = stopPoint ? stoppedAt(d) : status === 'waiting' || status === 'skipped' ? null : firstAt(d, event);
    return {
      name: step,
      title: words[step].title,
      note: words[step].note,
      status,
      at,
      ticker,
      txid: txid ?? null,
      confirmations: confirmations ?? null,
      required:
        ticker !== null && (step === 'own-lock' || step === 'their-lock' || step === 'their-claim')
          ? (requiredConfirmations(d, ticker, ctx) ?? null)
          : null,
      countdown,
      deadline,
    };
  };

  const steps = path.map((step, i) => view(step, statusOf(step, i), stopped && i === firstMissing));

  let refund: StepStatus;
  if (happened(d, 'refund', ctx)) refund = 'done';
  else if (d.state === 'refunding') refund = 'current';
  else if (d.state === 'lost') refund = 'failed';
  else if (d.terminal) refund = 'skipped';
  else refund = 'waiting';
  steps.push(view('refund', refund, false));
  return steps;
}
