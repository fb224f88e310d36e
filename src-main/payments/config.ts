// The payments section of config.json: how often the node looks at the wallet for payments it
// sent (confirmations) and requests it made (money arriving).
import { z } from 'zod';

export const PaymentsConfig = z
  .object({
    /** The wallet is asked this often; the chain watcher's cadence is the model. */
    pollMs: z.number().int().min(100).max(60_000).default(2000),
    /** Changes to the book are gathered this long before its backup is published again. */
    backupDebounceMs: z.number().int().min(0).max(3_600_000).default(30_000),
  })
  .strict()
  .default({ pollMs: 2000, backupDebounceMs: 30_000 });
export type PaymentsConfig = z.output<typeof PaymentsConfig>;
