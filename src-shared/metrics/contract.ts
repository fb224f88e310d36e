// Contract slice of the metrics domain: the node dashboard's data (docs/metrics.md). The same
// figures are served as Prometheus text on GET /metrics.
import { z } from 'zod';
import { method } from '../api/method.ts';
import { Empty } from '../api/schemas.ts';
import { HistoryRange, METRIC_NAME, MetricFamily } from './model.ts';

export const PeerScore = z.object({
  peerId: z.string(),
  direction: z.enum(['inbound', 'outbound']).optional(),
  latencyMs: z.number().optional(),
  /** Offence points (docs/p2p.md); 0 is a well-behaved peer, the ban threshold ends it. */
  score: z.number(),
});
export type PeerScore = z.infer<typeof PeerScore>;

export const MetricsSnapshot = z.object({
  at: z.number().int(),
  sampling: z.object({ enabled: z.boolean(), intervalSec: z.number() }),
  banThreshold: z.number(),
  peers: z.array(PeerScore).max(1000),
  families: z.array(MetricFamily).max(500),
});
export type MetricsSnapshot = z.infer<typeof MetricsSnapshot>;

export const HistoryPoint = z.object({ at: z.number().int(), values: z.record(z.string(), z.number()) });
export type HistoryPoint = z.infer<typeof HistoryPoint>;

export const MetricsHistory = z.object({
  range: HistoryRange,
  /** Seconds between points: 0 for raw samples (one per sampling interval). */
  resolutionSec: z.number().int(),
  points: z.array(HistoryPoint).max(3000),
});
export type MetricsHistory = z.infer<typeof MetricsHistory>;

export const MetricsHistoryParams = z
  .object({
    range: HistoryRange.default('1h'),
    /** Metric names whose series to return (every series of each, counters as `<key>:rate`). */
    names: z.array(z.string().regex(METRIC_NAME)).min(1).max(32),
  })
  .strict();

export const methods = {
  'metrics.snapshot': method(Empty, MetricsSnapshot, "The node's metrics now: every family, and peers with scores."),
  'metrics.history': method(
    MetricsHistoryParams,
    MetricsHistory,
    'Sampled history of some metrics over the last hour (raw), day (per minute) or month (per 15 minutes).',
  ),
} as const;

export const events = {} as const;
