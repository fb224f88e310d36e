// A swap's state in plain words: the badge in the list, a short line of what is happening,
// the explanation box of the detail page (including what each ending means for the user's
// coins), and what stopping the swap would do. docs/swap.md is what these words describe.
import type { SwapDetail, SwapSummary } from '../../src-shared/api/schemas.ts';
import { formatDecimalForDisplay } from '../format/amount.ts';
import { sentence } from '../format/errors.ts';
import { blocksText, byBlockText, countdownText, deadlineOf, swapCountdowns, type Countdown } from './deadlines.ts';

type Phase = SwapSummary['state'];
export type Tone = 'info' | 'ok' | 'warn' | 'muted' | 'danger';
export type BadgeKind = 'in-progress' | 'refunding' | 'completed' | 'refunded' | 'failed-before-funding' | 'lost';

export interface Badge {
  kind: BadgeKind;
  label: string;
  tone: Tone;
}

export function swapBadge(state: Phase): Badge {
  switch (state) {
    case 'completed':
      return { kind: 'completed', label: 'Completed', tone: 'ok' };
    case 'refunded':
      return { kind: 'refunded', label: 'Refunded', tone: 'warn' };
    case 'failedBeforeFunding':
      return { kind: 'failed-before-funding', label: 'Failed before funding', tone: 'muted' };
    case 'lost':
      return { kind: 'lost', label: 'Lost', tone: 'danger' };
    case 'refunding':
      return { kind: 'refunding', label: 'Refunding', tone: 'warn' };
    default:
      return { kind: 'in-progress', label: 'In progress', tone: 'info' };
  }
}

const amount = (leg: { amount: string; ticker: string }) => `${formatDecimalForDisplay(leg.amount)} ${leg.ticker}`;

/** The node's reason as a sentence ("The taker did not lock its coins in time."), or null. */
export function reasonText(s: Pick<SwapSummary, 'reason'>): string | null {
  return s.reason ? sentence(s.reason.message) : null;
}

/** One short line for the list: where the swap stands. */
export function shortStatus(s: SwapSummary): string {
  const sell = s.sell.ticker;
  const buy = s.buy.ticker;
  const maker = s.role === 'maker';
  switch (s.state) {
    case 'new':
      return 'Starting';
    case 'proposed':
      return 'Waiting for the peer to accept';
    case 'accepted':
      return `Waiting for the peer to lock ${buy}`;
    case 'funding':
      return `Locking your ${sell}`;
    case 'funded':
      return maker ? `Waiting for the peer to lock ${buy}` : `Waiting for the peer to claim your ${sell}`;
    case 'claiming':
      return `Claiming ${buy}`;
    case 'refunding':
      return `Stopped; your ${sell} comes back after its lock`;
    case 'completed':
      return `Received ${amount(s.buy)}`;
    case 'refunded':
      return reasonText(s) ?? `Your ${sell} came back`;
    case 'failedBeforeFunding':
      return reasonText(s) ?? 'Nothing moved';
    case 'lost':
      return `Your ${sell} went to the peer`;
  }
}

export interface Explanation {
  tone: Tone;
  title: string;
  paragraphs: string[];
}

export interface WordsContext {
  blockTimeOf(ticker: string): number | undefined;
}

function refundLine(sell: string, lock: Countdown | null, what: string): string {
  if (!lock) return `${what} your ${sell} is refunded automatically once its lock ends.`;
  if (lock.open)
    return `${what} your ${sell} can be refunded now: its lock ended at block ${lock.locktime}. Your node sends the refund by itself.`;
  const when = lock.blocksLeft === null ? '' : `, ${countdownText(lock)}`;
  return `${what} your ${sell} is refunded automatically after ${lock.ticker} block ${lock.locktime}${when}, minus the network fee.`;
}

/** The detail page's box: what is happening now and what happens next, or how the swap ended. */
export function explainSwap(d: SwapDetail, ctx: WordsContext): Explanation {
  const { own, counterparty } = swapCountdowns(d, ctx.blockTimeOf);
  const sell = d.sell.ticker;
  const buy = d.buy.ticker;
  const maker = d.role === 'maker';
  const why = reasonText(d);
  const ownLocked = d.txs.some((t) => t.kind === 'ownFunding');
  // The "give-up" heights (docs/swap.md §4): by when the peer must act, or the swap stops.
  const theirLockBy = deadlineOf(d, 'counterparty', 'lock');
  const ownLockBy = deadlineOf(d, 'own', 'lock');
  const theirClaimBy = deadlineOf(d, 'counterparty', 'claim');
  const ownClaimBy = deadlineOf(d, 'own', 'claim');

  switch (d.state) {
    case 'new':
      return {
        tone: 'info',
        title: 'Starting the swap',
        paragraphs: ['Your node is setting up the swap. Nothing has been locked.'],
      };
    case 'proposed':
      return {
        tone: 'info',
        title: 'Waiting for the peer to accept',
        paragraphs: [
          `Your node proposed ${amount(d.sell)} for ${amount(d.buy)}. The peer accepts only a swap it agreed to in advance.`,
          'If it does not answer soon, the swap stops. Nothing has been locked yet, so nothing moves.',
        ],
      };
    case 'accepted':
      return {
        tone: 'info',
        title: `Waiting for the peer to lock ${buy}`,
        paragraphs: [
          `You accepted the peer's terms. The peer locks ${amount(d.buy)} first${theirLockBy ? `, ${byBlockText(theirLockBy)}` : ''}; your node locks your ${amount(d.sell)} only after checking the peer's lock on the ${buy} chain.`,
          ownLockBy
            ? `If the peer's lock is not confirmed in time for your node to lock ${byBlockText(ownLockBy)}, the swap stops and nothing of yours moves.`
            : 'If the peer does not lock in time, the swap stops and nothing of yours moves.',
        ],
      };
    case 'funding':
      return {
        tone: 'info',
        title: `Locking your ${sell}`,
        paragraphs: [
          `Your wallet is paying ${amount(d.sell)} into the swap's contract on the ${sell} chain.`,
          refundLine(sell, own, 'If the swap does not go through,'),
        ],
      };
    case 'funded':
      if (maker) {
        return {
          tone: 'info',
          title: `Waiting for the peer to lock ${buy}`,
          paragraphs: [
            `Your ${amount(d.sell)} is locked. The peer must now lock ${amount(d.buy)}${theirLockBy ? ` ${byBlockText(theirLockBy)}` : ''}; once it is confirmed, your node claims it${ownClaimBy ? ` (it can until ${ownClaimBy.ticker} block ${ownClaimBy.height})` : ''}.`,
            refundLine(sell, own, 'If they don\u2019t lock in time, the swap stops and'),
          ],
        };
      }
      return {
        tone: 'info',
        title: `Waiting for the peer to claim your ${sell}`,
        paragraphs: [
          `Both sides have locked. When the peer claims your ${amount(d.sell)}, its claim reveals the secret, and your node uses it at once to claim ${amount(d.buy)}.`,
          refundLine(
            sell,
            own,
            theirClaimBy
              ? `If they don\u2019t claim ${byBlockText(theirClaimBy)},`
              : 'If they don\u2019t claim in time,',
          ),
        ],
      };
    case 'claiming': {
      // The taker's claim has its own deadline, a margin before the maker's lock ends.
      const deadline =
        !maker && ownClaimBy && ownClaimBy.blocksLeft !== 0
          ? ` It should confirm ${byBlockText(ownClaimBy)}, before the peer's lock ends at ${ownClaimBy.ticker} block ${counterparty?.locktime ?? ownClaimBy.height}.`
          : counterparty && !counterparty.open
            ? ` It should confirm before the peer's lock ends at ${counterparty.ticker} block ${counterparty.locktime}${counterparty.blocksLeft === null ? '' : `, ${countdownText(counterparty)}`}.`
            : '';
      return {
        tone: 'info',
        title: `Claiming ${buy}`,
        paragraphs: [
          maker
            ? `The peer's ${amount(d.buy)} is locked and confirmed. Your node has claimed it; the claim reveals the secret, so the swap can no longer be stopped.${deadline}`
            : `The peer claimed your ${sell} and so revealed the secret. Your node is claiming ${amount(d.buy)} with it.${deadline}`,
        ],
      };
    }
    case 'refunding':
      return {
        tone: 'warn',
        title: `Stopped: your ${sell} is on its way back`,
        paragraphs: [
          ...(why ? [`Why: ${why}`] : []),
          ownLocked
            ? refundLine(sell, own, 'Nothing else is needed:')
            : `Nothing else is needed: your node refunds your ${sell} by itself.`,
          'Keep the node running around that time; if it is off, it sends the refund as soon as it starts again. You will not receive ' +
            buy +
            '.',
        ],
      };
    case 'completed':
      return {
        tone: 'ok',
        title: 'Swap completed',
        paragraphs: [
          `You received ${amount(d.buy)} for your ${amount(d.sell)}. The ${buy} is in your ${buy} wallet, less the network fee of the claim.`,
        ],
      };
    case 'refunded':
      return {
        tone: 'warn',
        title: `Refunded: your ${sell} is back`,
        paragraphs: [
          ...(why ? [`Why: ${why}`] : []),
          `The swap did not go through, so your node took back the ${amount(d.sell)} it had locked. It is in your ${sell} wallet again, minus the network fees of the lock and the refund. You did not receive ${buy}.`,
        ],
      };
    case 'failedBeforeFunding':
      return {
        tone: 'muted',
        title: 'Stopped before any coins were locked',
        paragraphs: [
          ...(why ? [`Why: ${why}`] : []),
          'Nothing moved: no coins of yours were locked, and no network fees were paid.',
        ],
      };
    case 'lost':
      return {
        tone: 'danger',
        title: `Lost: your ${sell} went to the peer`,
        paragraphs: [
          maker
            ? `Your node claimed the peer's ${buy}, and that claim made the secret public. But the claim did not confirm in time: the peer took its ${buy} back with a refund, then used the secret to claim your ${amount(d.sell)}.`
            : `The peer claimed your ${amount(d.sell)}, which revealed the secret. But before your node's claim of their ${buy} confirmed, the peer took its ${buy} back with a refund.`,
          'This can only happen when a claim is held up (a fee spike above the coin\u2019s cap, a congested or censoring network, or the node offline right after claiming) and the peer acts against the protocol, which an honest node never does.',
          ...(why ? [`What the node recorded: ${why}`] : []),
        ],
      };
  }
}

/** What stopping the swap now does to the user's coins, or null when it cannot be stopped. */
export function abortConsequence(d: SwapDetail, ctx: WordsContext): string | null {
  const { own } = swapCountdowns(d, ctx.blockTimeOf);
  const sell = d.sell.ticker;
  const whenBack = own
    ? own.open
      ? 'now (its lock has ended)'
      : `after ${own.ticker} block ${own.locktime}${own.blocksLeft !== null ? `, in about ${blocksText(own.blocksLeft)}` : ''}`
    : 'when its lock ends';
  switch (d.state) {
    case 'new':
    case 'proposed':
    case 'accepted':
      return 'Nothing has been locked yet, so the swap ends at once and nothing moves. The peer is told.';
    case 'funding':
      return `Your wallet may already be paying your ${sell} into the contract. If it did, those coins are locked and come back ${whenBack}, minus network fees; otherwise the swap ends at once.`;
    case 'funded':
      return d.role === 'maker'
        ? `Your ${amount(d.sell)} is already locked and cannot come back before the lock ends: it is refunded ${whenBack}, minus the network fee. You will not receive ${d.buy.ticker}.`
        : `Your ${amount(d.sell)} is already locked and cannot come back before the lock ends: it is refunded ${whenBack}, minus the network fee. If the peer claims it before then, your node still claims ${d.buy.ticker}, so you are never left with neither.`;
    default:
      return null;
  }
}

/** Why the Stop button is missing while the swap runs (a stopped or finished swap says so in its explanation). */
export function whyNoAbort(d: Pick<SwapSummary, 'state'>): string | null {
  return d.state === 'claiming'
    ? 'This swap can no longer be stopped: a claim has revealed the secret, so it has to finish.'
    : null;
}
