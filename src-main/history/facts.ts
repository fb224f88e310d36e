// Facts the trade history tells other domains over the internal bus (src-main/kernel/bus.ts).
import type { z } from 'zod';
import type { TradeView } from '../../src-shared/api/order-schemas.ts';

declare module '../kernel/bus.ts' {
  interface InternalEvents {
    /** A countersigned trade record was stored. */
    'trade.recorded': z.output<typeof TradeView>;
  }
}
