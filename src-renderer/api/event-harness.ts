// Test support: a dispatcher over a fresh query client whose frames and clock the test drives,
// so batched handlers can be checked frame by frame.
import { QueryClient } from '@tanstack/react-query';
import { createEventDispatcher, type FeatureEventsFactory } from './events.ts';

export function eventHarness(features: readonly FeatureEventsFactory[]) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const frames: Array<() => void> = [];
  let clock = 1000;
  const events = createEventDispatcher(qc, features, { schedule: (run) => frames.push(run), now: () => clock });
  return {
    qc,
    events,
    frames,
    /** Runs the frame callbacks waiting now; returns how many there were. */
    frame(): number {
      const run = frames.splice(0);
      for (const r of run) r();
      return run.length;
    },
    advance(ms: number): void {
      clock += ms;
    },
  };
}

/** Lets query functions and cache notifications run. */
export const settle = () => new Promise((r) => setTimeout(r, 0));
