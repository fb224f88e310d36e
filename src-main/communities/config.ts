// The communities section of config.json: whether this node keeps ciphertext for communities that
// name it (a storage node, docs/communities.md §14) and within which limits, and how often a
// member catches up with the others even when nothing suggests it missed anything.
import { z } from 'zod';

const MiB = 1024 * 1024;

export const StorageNodeConfig = z
  .object({
    enabled: z.boolean().default(false),
    /** What one community may keep here; a grant asking for more gets this. */
    quotaBytesPerCommunity: z
      .number()
      .int()
      .min(MiB)
      .max(1024 * 1024 * MiB)
      .default(256 * MiB),
    /** How many community topics this node keeps at most. */
    maxCommunities: z.number().int().min(1).max(100_000).default(1000),
    maxRetentionDays: z.number().int().min(1).max(3650).default(90),
    maxEnvelopeBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(MiB)
      .default(400 * 1024),
  })
  .strict();

export const CommunitiesConfig = z
  .object({
    storage: StorageNodeConfig.default(() => StorageNodeConfig.parse({})),
    syncEveryMs: z.number().int().min(1000).max(3_600_000).default(120_000),
  })
  .strict();
export type CommunitiesConfig = z.output<typeof CommunitiesConfig>;
