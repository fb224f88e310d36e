// Protocol judgements the engine asks of a swap's state, decided here once and tested without I/O:
// what counts as the counterparty's breach, which phases hold no coins in an HTLC yet, when a claim
// or refund is still wanted, when the clock must be fed, and what a peer's refusal means.
import type { HtlcProblemCode } from './verify.ts';
import type { Chain, Effect, Heights, Role, SwapEvent, SwapMessage, SwapState } from './types.ts';

export const ownChain = (role: Role): Chain => (role === 'maker' ? 'makerChain' : 'takerChain');
export const otherChain = (role: Role): Chain => (role === 'maker' ? 'takerChain' : 'makerChain');

/** Every way an HTLC can be wrong is the counterparty breaking the protocol on chain, not bad luck. */
export const BREACH_CODES: ReadonlySet<string> = new Set<HtlcProblemCode>([
  'script-not-htlc',
  'wrong-secret-hash',
  'wrong-claim-key',
  'wrong-refund-key',
  'lock-too-short',
  'wrong-locktime',
  'output-script-mismatch',
  'wrong-amount',
]);

export function reasonCode(s: SwapState): string | undefined {
  return 'reason' in s && s.reason ? s.reason.code : undefined;
}

/** The breach a step newly recorded (the problem code), or undefined: each one is punished once. */
export function newBreach(before: SwapState, after: SwapState): string | undefined {
  const code = reasonCode(after);
  return code !== undefined && BREACH_CODES.has(code) && reasonCode(before) !== code ? code : undefined;
}

/** Phases in which our coins are promised to the swap but not yet paid into our HTLC. */
export const PRE_FUNDING: Readonly<Record<Role, ReadonlySet<SwapState['phase']>>> = {
  maker: new Set(['new', 'proposed', 'funding']),
  taker: new Set(['new', 'accepted', 'funding']),
};

export function holdsNoFundsYet(s: SwapState): boolean {
  return PRE_FUNDING[s.role].has(s.phase);
}

export type SpendKind = 'claim' | 'refund';
export type SpendEffect = Extract<Effect, { type: 'BroadcastClaim' | 'BroadcastRefund' }>;

export const spendKindOf = (e: SpendEffect): SpendKind => (e.type === 'BroadcastClaim' ? 'claim' : 'refund');

/** A claim is pushed while claiming; a refund only once the machine asked for it (its lock is open). */
export function spendWanted(s: SwapState, kind: SpendKind): boolean {
  if (kind === 'claim') return s.phase === 'claiming';
  return s.phase === 'refunding' && s.refund !== undefined;
}

/**
 * Whether a claim may go out now. A claim with our own secret reveals it: the first broadcast must
 * happen before its deadline (`makerClaimBy`), judged on a fresh tip so a resume cannot race the
 * machine's first tick. Once it went out (or the chain shows it) resending only helps it confirm; a
 * claim with a learned secret reveals nothing and is always worth sending.
 */
export function claimMayGo(e: Extract<Effect, { type: 'BroadcastClaim' }>, tip: number, alreadyOut: boolean): boolean {
  return alreadyOut || e.preimage.kind !== 'own' || tip < e.deadline;
}

/** Fee targets in blocks: a funding and a claim race deadlines, a refund after its lock does not. */
export const FEE_TARGET_BLOCKS: Readonly<Record<'fund' | SpendKind, number>> = { fund: 2, claim: 2, refund: 6 };

/**
 * A taker waiting for the maker's HTLC judges no deadline before its watcher searched the maker
 * chain since the swap began: a maker HTLC that confirmed while this node was away must be found
 * (and judged at today's tips) before "the maker did not lock in time" can be said.
 */
export function searchesBeforeJudging(s: SwapState): boolean {
  return s.role === 'taker' && s.phase === 'accepted';
}

/** Whether the clock must be fed: a tip moved, or the maker waits for the accept (a wall-clock timeout). */
export function tickDue(s: SwapState, heights: Heights): boolean {
  if (!('heights' in s)) return false;
  const moved = s.heights.makerChain !== heights.makerChain || s.heights.takerChain !== heights.takerChain;
  return moved || s.phase === 'proposed';
}

/** The chain a counterparty's notice says to look at now (the chain decides, the notice only hurries it). */
export function noticeChain(role: Role, e: SwapEvent): Chain | undefined {
  if (e.type === 'CounterpartyFunded') return otherChain(role);
  // The maker claimed the taker's HTLC, which lives on the taker chain.
  if (e.type === 'CounterpartyClaimed') return 'takerChain';
  return undefined;
}

/**
 * What a peer's refusal to take a message means for the swap: a refused proposal is the taker saying
 * no (in its own words), which ends the maker's swap at once. Any other refused message is dropped.
 */
export function refusalEvent(m: SwapMessage, words: string): SwapEvent | undefined {
  return m.type === 'swap.propose'
    ? { type: 'CounterpartyAborted', reason: 'terms-rejected', message: words }
    : undefined;
}
