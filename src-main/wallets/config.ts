// The wallets section of config.json.
import { z } from 'zod';

export const WalletsConfig = z
  .object({
    /** Extra daemon data directories to search during wallet detection (the devnet adds its own). */
    searchDirs: z
      .array(
        z.object({ ticker: z.string(), dataDir: z.string().min(1), wallet: z.string().max(200).optional() }).strict(),
      )
      .max(64)
      .default([]),
  })
  .strict()
  .default({ searchDirs: [] });
export type WalletsConfig = z.output<typeof WalletsConfig>;
