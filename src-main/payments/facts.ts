// What the payments domain tells other domains on the internal bus.
import type { RequestStatusName } from '../../src-shared/payments/status.ts';

declare module '../kernel/bus.ts' {
  interface InternalEvents {
    /** Money first arrived at one of our requests, or the request became settled. */
    'payment.received': {
      requestId: string;
      ticker: string;
      status: RequestStatusName;
      /** Decimal string. */
      received: string;
      settled: boolean;
    };
    /** A payment we make changed phase. */
    'payment.updated': { key: string; ticker: string; phase: string; txid?: string };
  }
}
