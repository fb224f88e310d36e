// Fees that rise (docs/swap.md §8.8): the rate a claim or refund should pay at the current tip, from
// the rate it was first sent at up to the user's cap by the height it must be mined by, and whether
// that is enough above the rate already out there to replace it (BIP 125).
import type { Effect } from './types.ts';

/** A refund races nobody honest: its rate reaches the cap only this many blocks after it was first sent. */
export const REFUND_FEE_WINDOW_BLOCKS = 24;

export interface FeeSchedule {
  /** The rate it was first built at (the estimate, clamped), sat/vB. */
  readonly base: bigint;
  /** The highest rate the user allows, sat/vB. */
  readonly cap: bigint;
  /** The height it was first sent at. */
  readonly firstHeight: number;
  /** The height it must be mined by. */
  readonly mineBy: number;
}

/** The rate at `tip`: a straight line from `base` at `firstHeight` to `cap` at `mineBy`, the cap after it. */
export function spendFeeRate(s: FeeSchedule, tip: number): bigint {
  if (s.base >= s.cap) return s.cap;
  if (tip <= s.firstHeight) return s.base;
  if (tip >= s.mineBy) return s.cap;
  const window = BigInt(s.mineBy - s.firstHeight);
  const elapsed = BigInt(tip - s.firstHeight);
  return s.base + ((s.cap - s.base) * elapsed) / window;
}

/** A replacement must pay at least the relay increment per vbyte more than what it replaces. */
export function worthReplacing(current: bigint, next: bigint, increment: bigint): boolean {
  return next >= current + (increment > 0n ? increment : 1n);
}

type SpendEffect = Extract<Effect, { type: 'BroadcastClaim' | 'BroadcastRefund' }>;

/** The height a spend must be mined by: the lock its claim races, or a slow window for a refund. */
export function mineByOf(e: SpendEffect, firstHeight: number): number {
  if (e.type === 'BroadcastRefund') return firstHeight + REFUND_FEE_WINDOW_BLOCKS;
  return e.raceBy;
}
