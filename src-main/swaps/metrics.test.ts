import { describe, expect, it } from 'vitest';
import type { SwapSummary } from '../../src-shared/api/schemas.ts';
import { createMetricsRegistry } from '../metrics/registry.ts';
import { createSwapStepTimes } from './metrics.ts';

const summary = (state: SwapSummary['state'], updatedAt: number, terminal = false): SwapSummary =>
  ({ swapId: 's1', state, updatedAt, terminal, outcome: terminal ? 'completed' : null }) as SwapSummary;

describe('swap step times', () => {
  it('time each state until the next, and count an end once', () => {
    const r = createMetricsRegistry();
    const t = createSwapStepTimes(r);
    t.update(summary('proposed', 0));
    t.update(summary('proposed', 500)); // same state again: no step
    t.update(summary('funding', 2000));
    t.update(summary('completed', 5000, true));
    t.update(summary('completed', 6000, true)); // a repeat of the end
    const fams = Object.fromEntries(r.collect().map((f) => [f.name, f.series]));
    const count = (step: string) =>
      fams.hashlock_swaps_step_seconds!.find((s) => s.suffix === '_count' && s.labels.step === step)?.value;
    const sum = (step: string) =>
      fams.hashlock_swaps_step_seconds!.find((s) => s.suffix === '_sum' && s.labels.step === step)?.value;
    expect([count('proposed'), sum('proposed'), count('funding'), sum('funding')]).toEqual([1, 2, 1, 3]);
    expect(fams.hashlock_swaps_ended_total).toEqual([{ labels: { outcome: 'completed' }, value: 1 }]);
  });
});
