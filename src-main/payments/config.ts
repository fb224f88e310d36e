// The payments section of config.json: how often the node looks at the wallet for payments it
// sent (confirmations) and requests it made (money arriving).
import { z } from 'zod';
import { SEND_SETTLE_MS } from '../../src-shared/payments/pay-machine.ts';

export const PaymentsConfig = z
  .object({
    /** The wallet is asked this often; the chain watcher's cadence is the model. */
    pollMs: z.number().int().min(100).max(60_000).default(2000),
    /** Changes to the book are gathered this long before its backup is published again. */
    backupDebounceMs: z.number().int().min(0).max(3_600_000).default(30_000),
    /**
     * A send whose outcome is unknown (the node died or lost the wallet's answer mid-call) is given
     * this long to show in the wallet before it counts as not sent and may be paid again.
     */
    sendSettleMs: z.number().int().min(1000).max(3_600_000).default(SEND_SETTLE_MS),
  })
  .strict()
  .default({ pollMs: 2000, backupDebounceMs: 30_000, sendSettleMs: SEND_SETTLE_MS });
export type PaymentsConfig = z.output<typeof PaymentsConfig>;
