// Which swaps the Trade screen's Swaps tab shows: every running one, those that ended without
// completing in the last day (refunds are shown, not hidden), and those completed in the last
// hour, so a swap the user followed there does not vanish the moment it completes.
import type { SwapSummary } from '../../src-shared/api/schemas.ts';

const DAY_MS = 86_400_000;
const COMPLETED_SHOWN_MS = 3_600_000;

export function relevantSwaps<S extends Pick<SwapSummary, 'terminal' | 'outcome' | 'updatedAt'>>(
  swaps: readonly S[],
  now: number,
): { list: S[]; running: number } {
  const list = swaps.filter(
    (s) => !s.terminal || now - s.updatedAt < (s.outcome === 'completed' ? COMPLETED_SHOWN_MS : DAY_MS),
  );
  return { list, running: list.filter((s) => !s.terminal).length };
}
