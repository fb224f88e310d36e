import { describe, expect, it } from 'vitest';
import { relevantSwaps } from './relevant-swaps.ts';

const NOW = 1_800_000_000_000;
const MIN = 60_000;
const swap = (id: string, outcome: 'completed' | 'refunded' | 'failedBeforeFunding' | null, agoMs: number) => ({
  id,
  terminal: outcome !== null,
  outcome,
  updatedAt: NOW - agoMs,
});

describe('the Swaps tab of the Trade screen', () => {
  it('keeps a swap that just completed in view, and counts only running swaps', () => {
    const r = relevantSwaps([swap('running', null, 5 * MIN), swap('done', 'completed', 1 * MIN)], NOW);
    expect(r.list.map((s) => s.id)).toEqual(['running', 'done']);
    expect(r.running).toBe(1);
  });

  it.each([
    ['a completion of an hour ago', swap('x', 'completed', 61 * MIN), false],
    ['a refund of yesterday morning', swap('x', 'refunded', 23 * 60 * MIN), true],
    ['a refund of two days ago', swap('x', 'refunded', 48 * 60 * MIN), false],
    ['a swap that failed before funding a minute ago', swap('x', 'failedBeforeFunding', MIN), true],
    ['a swap running for a week', swap('x', null, 7 * 24 * 60 * MIN), true],
  ])('%s: shown %s', (_what, s, shown) => {
    expect(relevantSwaps([s], NOW).list.length).toBe(shown ? 1 : 0);
  });
});
