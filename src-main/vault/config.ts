// The vault section of config.json.
import { z } from 'zod';

export const VaultConfig = z
  .object({
    /** scrypt cost; only tests and the devnet lower it. */
    kdf: z
      .object({
        N: z
          .number()
          .int()
          .min(1024)
          .max(2 ** 22),
        r: z.number().int().min(1).max(32),
        p: z.number().int().min(1).max(16),
      })
      .strict()
      .optional(),
  })
  .strict()
  .default({});
export type VaultConfig = z.output<typeof VaultConfig>;
