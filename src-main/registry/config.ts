// The registry section of config.json: how content is fetched (caps, timeouts, whether private
// addresses may be fetched: test networks only), how many witnesses settle a record, what this
// node witnesses, how often URIs are checked again, and the default trust depth for marks.
import { z } from 'zod';

export const FetchConfig = z
  .object({
    /** Total time for one fetch, plus 1 s per MiB of the record's size. */
    timeoutMs: z.number().int().min(200).max(3_600_000).default(60_000),
    /** A body that sends nothing for this long is cut (slow or stalled servers). */
    idleMs: z.number().int().min(100).max(600_000).default(10_000),
    /** The largest content this node fetches. */
    maxBytes: z
      .number()
      .int()
      .min(1)
      .max(2 ** 40)
      .default(256 * 1024 * 1024),
    maxRedirects: z.number().int().min(0).max(10).default(3),
    /** devnet/regtest only: fetch private and loopback addresses too. */
    allowPrivate: z.boolean().default(false),
    /** devnet/regtest only: host:port pairs fetched even though they are private (a test's own server). */
    allowHosts: z.array(z.string().max(300)).max(16).default([]),
  })
  .strict();
export type FetchConfig = z.output<typeof FetchConfig>;

export const RegistryConfig = z
  .object({
    fetch: FetchConfig.default(() => FetchConfig.parse({})),
    /** Distinct witnessing nodes after which a record counts as settled. */
    settleWitnesses: z.number().int().min(1).max(100).default(3),
    witness: z
      .object({
        enabled: z.boolean().default(true),
        /** Records larger than this are witnessed by the nodes that mirror them. */
        maxBytes: z
          .number()
          .int()
          .min(0)
          .max(2 ** 40)
          .default(64 * 1024 * 1024),
      })
      .strict()
      .default({ enabled: true, maxBytes: 64 * 1024 * 1024 }),
    /** How often each URI of verified content is fetched again. */
    recheckMs: z
      .number()
      .int()
      .min(1_000)
      .max(30 * 86_400_000)
      .default(6 * 3_600_000),
    /** Trust depth used for "trusted" marks and counts in views. */
    trustDepth: z.number().int().min(1).max(5).default(2),
  })
  .strict();
export type RegistryConfig = z.output<typeof RegistryConfig>;
