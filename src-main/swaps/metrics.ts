// Swap step times for the node dashboard: how long each swap stayed in each state, and how
// swaps ended. Fed by the engine's updates; a swap's last state is remembered only while it runs.
import type { SwapSummary } from '../../src-shared/api/schemas.ts';
import type { MetricsRegistry } from '../metrics/index.ts';

export function createSwapStepTimes(metrics: MetricsRegistry): { update(s: SwapSummary): void } {
  const steps = metrics.summary('hashlock_swaps_step_seconds', 'Seconds a swap spent in a state before the next one.');
  const ended = metrics.counter('hashlock_swaps_ended_total', 'Swaps that reached an end state, by outcome.');
  const last = new Map<string, { state: string; at: number }>();
  return {
    update(s) {
      const prev = last.get(s.swapId);
      if (prev && prev.state !== s.state)
        steps.observe({ step: prev.state }, Math.max(0, (s.updatedAt - prev.at) / 1000));
      if (s.terminal) {
        // Counted once: the first terminal update of a swap seen running by this process.
        if (prev) ended.inc({ outcome: s.outcome ?? s.state });
        last.delete(s.swapId);
        return;
      }
      if (!prev || prev.state !== s.state) last.set(s.swapId, { state: s.state, at: s.updatedAt });
    },
  };
}
