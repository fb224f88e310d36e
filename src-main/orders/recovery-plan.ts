// What is done with a fill not at an end, after a restart and at every check while it waits
// (docs/orders.md §9): follow its swap, send the take again, release the fee's coins, start the
// maker's swap, or end the fill saying what happened to the taker fee. Pure: the caller reads the
// swap engine and the clock and does the I/O.
import { isTerminal } from '../../src-shared/orders/state.ts';
import type { FillRecord } from './records.ts';

export type FillStep =
  | { readonly do: 'nothing' }
  /** Its swap exists: the fill follows it. */
  | { readonly do: 'follow' }
  /** Taker: the take never reached the service node, so no fee was paid; unlock its coins and end. */
  | { readonly do: 'release'; readonly reason: string }
  /** Taker: the take may have reached the service node: send the same take again. */
  | { readonly do: 'retake' }
  /** Taker: the service node never answered in time: end the fill, saying whether the fee went out. */
  | { readonly do: 'give-up' }
  /** Maker: the hold is stored and its swap was never started. */
  | { readonly do: 'start-swap' }
  /** Taker: held; the maker may still propose. */
  | { readonly do: 'wait' }
  /** Taker: held, and no swap can come any more: end it, the fee paid. */
  | { readonly do: 'expire'; readonly reason: string };

export interface StepFacts {
  readonly role: 'maker' | 'taker';
  /** The swap engine knows the swap of the fill's hold. */
  readonly swapKnown: boolean;
  readonly now: number;
  /** How long the taker's agreement to the maker's swap lasts (orders.swapStartMs). */
  readonly swapStartMs: number;
}

/** A held taker fill ends this long after its agreement did: a proposal at its last moment is still followed. */
export const SWAP_START_GRACE_MS = 60_000;

/** The reason of a taker fill whose fee was paid and that will not swap, as the user reads it. */
export function feePaidNoSwap(f: Pick<FillRecord, 'feeTxid'>, why: string): string {
  return `fee paid, no swap: ${why} (the fee transaction ${f.feeTxid} is spent)`;
}

const minutes = (ms: number): string => `${Math.round(ms / 60_000)} min`;

function takerStep(f: FillRecord, x: StepFacts): FillStep {
  if (f.state === 'accepting') {
    if (f.take?.ack === undefined)
      return { do: 'release', reason: 'the node stopped before the take was sent; no fee was paid' };
    return x.now >= f.at + x.swapStartMs ? { do: 'give-up' } : { do: 'retake' };
  }
  if (f.state === 'hold' && f.holdId) {
    if (x.now < f.at + x.swapStartMs + SWAP_START_GRACE_MS) return { do: 'wait' };
    return {
      do: 'expire',
      reason: feePaidNoSwap(f, `the maker did not start the swap within ${minutes(x.swapStartMs)}`),
    };
  }
  return { do: 'nothing' };
}

/** The next step for fill `f` of a `role` record. */
export function recoveryStep(f: FillRecord, x: StepFacts): FillStep {
  if (isTerminal(f.state)) return { do: 'nothing' };
  if (f.holdId && x.swapKnown) return { do: 'follow' };
  if (x.role === 'maker') return f.state === 'hold' && f.holdId ? { do: 'start-swap' } : { do: 'nothing' };
  return takerStep(f, x);
}
