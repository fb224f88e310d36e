// The identity section of config.json: verification threads, how domains are fetched, how
// replication rates peers, and the restore scan's gap. Test networks may fetch private
// addresses and map an https origin to a local test server; other networks never.
import { z } from 'zod';

const Bucket = z
  .object({ capacity: z.number().int().min(1).max(100_000), refillPerSec: z.number().min(0).max(10_000) })
  .strict();

export const IdentityConfig = z
  .object({
    /** Worker threads that verify records during a catch-up (0: verify on the main thread). */
    verifyThreads: z.number().int().min(0).max(8).default(2),
    /** Unused keys in a row after which a restore scan stops on a path. */
    scanGap: z.number().int().min(1).max(100).default(20),
    domains: z
      .object({
        timeoutMs: z.number().int().min(500).max(60_000).default(8_000),
        maxBytes: z
          .number()
          .int()
          .min(1024)
          .max(1024 * 1024)
          .default(64 * 1024),
        /** devnet/regtest only. */
        allowPrivate: z.boolean().default(false),
        /** devnet/regtest only: origin → base URL fetched instead (a test's own http server). */
        testOrigins: z.record(z.string().max(300), z.string().url().max(300)).default({}),
      })
      .strict()
      .default({ timeoutMs: 8_000, maxBytes: 64 * 1024, allowPrivate: false, testOrigins: {} }),
    replication: z
      .object({
        newPerPeer: Bucket.optional(),
        maxFetchPerSession: z.number().int().min(1).max(10_000_000).optional(),
        resyncMs: z.number().int().min(1000).max(86_400_000).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
export type IdentityConfig = z.output<typeof IdentityConfig>;

export const TEST_NETWORKS: ReadonlySet<string> = new Set(['devnet', 'regtest']);
