// The node's metrics as data: metric families (Prometheus's model: a name, a type, series with
// labels), their text exposition format, and the sampled history the dashboard draws. Pure, so
// the node, the CLI and the renderer read the same shapes (docs/metrics.md).
import { z } from 'zod';

/** `hashlock_<subsystem>_<name>_<unit>` in base units (facts: Prometheus conventions). */
export const METRIC_NAME = /^hashlock_[a-z][a-z0-9]*(_[a-z0-9]+)+$/;
export const LABEL_NAME = /^[a-z][a-z0-9_]{0,31}$/;
/** Label values come from a small, fixed set (a domain, a protocol id), never a peer or community id. */
export const LABEL_VALUE = /^[A-Za-z0-9_./:-]{0,80}$/;
export const QUANTILES = [0.5, 0.9, 0.99] as const;

export const MetricType = z.enum(['counter', 'gauge', 'summary']);
export type MetricType = z.infer<typeof MetricType>;

export const Labels = z.record(z.string().regex(LABEL_NAME), z.string().regex(LABEL_VALUE));
export type Labels = z.infer<typeof Labels>;

export const Series = z.object({ labels: Labels, value: z.number() });
export type Series = z.infer<typeof Series>;

export const MetricFamily = z.object({
  name: z.string().regex(METRIC_NAME),
  help: z.string().max(200),
  type: MetricType,
  /** For a summary: one series per quantile (label `quantile`), plus `_sum` and `_count` as `suffix`. */
  series: z.array(Series.extend({ suffix: z.enum(['_sum', '_count']).optional() })).max(500),
});
export type MetricFamily = z.infer<typeof MetricFamily>;

/** Checks a metric's name and type the way Prometheus expects them; the error names what is wrong. */
export function checkMetricName(name: string, type: MetricType): void {
  if (!METRIC_NAME.test(name)) throw new Error(`metric name ${name} is not hashlock_<subsystem>_<name>_<unit>`);
  if (type === 'counter' && !name.endsWith('_total')) throw new Error(`counter ${name} must end in _total`);
  if (type !== 'counter' && name.endsWith('_total')) throw new Error(`${type} ${name} must not end in _total`);
}

/** A stable key for one series: `name{a="x",b="y"}` with labels sorted. */
export function seriesKey(name: string, labels: Labels = {}): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return name;
  return `${name}{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(',')}}`;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Prometheus text exposition format 0.0.4. */
export function renderPrometheus(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    lines.push(`# TYPE ${f.name} ${f.type}`);
    for (const s of f.series) lines.push(`${seriesKey(f.name + (s.suffix ?? ''), s.labels)} ${formatValue(s.value)}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * What one sample stores: every gauge and quantile as it was, every counter as its rate per
 * second since the previous sample (a restart, where a counter goes down, gives no rate).
 */
export function sampleValues(
  families: readonly MetricFamily[],
  previous: { at: number; counters: Readonly<Record<string, number>> } | undefined,
  at: number,
): { values: Record<string, number>; counters: Record<string, number> } {
  const values: Record<string, number> = {};
  const counters: Record<string, number> = {};
  for (const f of families) {
    for (const s of f.series) {
      if (s.suffix !== undefined) continue;
      const key = seriesKey(f.name, s.labels);
      if (f.type !== 'counter') {
        if (Number.isFinite(s.value)) values[key] = s.value;
        continue;
      }
      counters[key] = s.value;
      const before = previous?.counters[key];
      const dt = previous ? (at - previous.at) / 1000 : 0;
      if (dt > 0) {
        const delta = s.value - (before ?? 0);
        if (delta >= 0) values[`${key}:rate`] = delta / dt;
      }
    }
  }
  return { values, counters };
}

/** Averages samples per series (a series missing from a sample does not count as zero). */
export function averageSamples(samples: ReadonlyArray<Readonly<Record<string, number>>>): Record<string, number> {
  const sum: Record<string, number> = {};
  const n: Record<string, number> = {};
  for (const s of samples) {
    for (const [k, v] of Object.entries(s)) {
      sum[k] = (sum[k] ?? 0) + v;
      n[k] = (n[k] ?? 0) + 1;
    }
  }
  return Object.fromEntries(Object.keys(sum).map((k) => [k, sum[k]! / n[k]!]));
}

/** The history tiers: raw samples kept an hour, minute averages a day, quarter-hours a month. */
export const TIERS = [
  { resolutionSec: 0, keepSec: 3600 },
  { resolutionSec: 60, keepSec: 86_400 },
  { resolutionSec: 900, keepSec: 30 * 86_400 },
] as const;

export const HistoryRange = z.enum(['1h', '24h', '30d']);
export type HistoryRange = z.infer<typeof HistoryRange>;
export const RANGE_TIER: Record<HistoryRange, number> = { '1h': 0, '24h': 60, '30d': 900 };
export const RANGE_SEC: Record<HistoryRange, number> = { '1h': 3600, '24h': 86_400, '30d': 30 * 86_400 };

/** Quantile of sorted values by nearest rank; undefined when there are none. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** The domain a `/hashlock/<domain>/...` protocol id or topic belongs to; `other` otherwise. */
export function protocolDomain(protocol: string): string {
  const m = /^\/hashlock\/([a-z][a-z0-9-]{0,31})\//.exec(protocol);
  return m ? m[1]! : 'other';
}

/**
 * A label for a protocol or topic with bounded cardinality: market topics
 * (`/hashlock/orders/DEVA-DEVB/1`) fold into one per domain, request protocols keep their id.
 */
export function protocolLabel(kind: 'gossip' | 'request', protocol: string): string {
  if (kind === 'gossip') return `gossip:${protocolDomain(protocol)}`;
  return /^\/hashlock\/[a-z0-9/-]{1,60}\/[0-9.]{1,10}$/.test(protocol) ? protocol : 'other';
}
