// The swaps section of config.json.
import { z } from 'zod';

export const SwapsConfig = z
  .object({
    /** The user's risk setting: least confirmations per ticker before acting on a transaction (default: the coin's). */
    confirmations: z.record(z.string(), z.number().int().min(1).max(1000)).default({}),
    /** How often the swap engine polls each chain's daemon, ms. */
    pollMs: z.number().int().min(20).max(60_000).default(1000),
    /** The user's fee cap per ticker for claims and refunds, sat/vB (docs/swap.md §8.8); default the coin's cap. */
    maxFeeSatPerVb: z.record(z.string(), z.number().int().min(1).max(1_000_000)).default({}),
  })
  .strict()
  .default({ confirmations: {}, pollMs: 1000, maxFeeSatPerVb: {} });
export type SwapsConfig = z.output<typeof SwapsConfig>;
