// Facts the swap engine tells other domains over the internal bus (src-main/kernel/bus.ts).
import type { SwapSummary } from '../../src-shared/api/schemas.ts';

declare module '../kernel/bus.ts' {
  interface InternalEvents {
    /** A swap changed state (the same summary clients get as `swaps.updated`). */
    'swaps.updated': SwapSummary;
  }
}
