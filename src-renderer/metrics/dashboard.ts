// What the Node page shows, derived from metrics.snapshot and metrics.history: pure, so the
// page's numbers and the charts' geometry are unit-tested without a browser.
import type { HistoryPoint, MetricsSnapshot } from '../../src-shared/metrics/contract.ts';

type Family = MetricsSnapshot['families'][number];

export function familyOf(s: MetricsSnapshot | undefined, name: string): Family | undefined {
  return s?.families.find((f) => f.name === name);
}

/** The plain series of a family (no quantiles, no _sum/_count). */
export function plainSeries(
  s: MetricsSnapshot | undefined,
  name: string,
): Array<{ labels: Record<string, string>; value: number }> {
  return (familyOf(s, name)?.series ?? []).filter((x) => x.suffix === undefined && x.labels.quantile === undefined);
}

export function single(s: MetricsSnapshot | undefined, name: string): number | undefined {
  return plainSeries(s, name)[0]?.value;
}

/** One value per label value (a domain, an outcome), largest first. */
export function byLabel(
  s: MetricsSnapshot | undefined,
  name: string,
  label: string,
): Array<{ key: string; value: number }> {
  const out = new Map<string, number>();
  for (const x of plainSeries(s, name)) {
    const k = x.labels[label] ?? '?';
    out.set(k, (out.get(k) ?? 0) + x.value);
  }
  return [...out]
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => b.value - a.value || a.key.localeCompare(b.key));
}

export function trafficRows(s: MetricsSnapshot | undefined): Array<{ protocol: string; in: number; out: number }> {
  const rows = new Map<string, { protocol: string; in: number; out: number }>();
  for (const x of plainSeries(s, 'hashlock_p2p_traffic_bytes_total')) {
    const p = x.labels.protocol ?? '?';
    const r = rows.get(p) ?? { protocol: p, in: 0, out: 0 };
    if (x.labels.direction === 'in') r.in += x.value;
    else r.out += x.value;
    rows.set(p, r);
  }
  return [...rows.values()].sort((a, b) => b.in + b.out - (a.in + a.out) || a.protocol.localeCompare(b.protocol));
}

export interface LatencyRow {
  metric: string;
  labels: string;
  p50?: number;
  p90?: number;
  p99?: number;
  count: number;
}

export function latencyRows(s: MetricsSnapshot | undefined): LatencyRow[] {
  const rows: LatencyRow[] = [];
  for (const f of s?.families ?? []) {
    if (f.type !== 'summary') continue;
    const groups = new Map<string, LatencyRow>();
    for (const x of f.series) {
      const { quantile, ...rest } = x.labels;
      const labels = Object.values(rest).join(' ');
      const row = groups.get(labels) ?? { metric: f.name, labels, count: 0 };
      if (x.suffix === '_count') row.count = x.value;
      else if (quantile === '0.5') row.p50 = Number.isNaN(x.value) ? undefined : x.value;
      else if (quantile === '0.9') row.p90 = Number.isNaN(x.value) ? undefined : x.value;
      else if (quantile === '0.99') row.p99 = Number.isNaN(x.value) ? undefined : x.value;
      groups.set(labels, row);
    }
    rows.push(...groups.values());
  }
  return rows;
}

export interface Line {
  key: string;
  label: string;
  points: Array<{ at: number; value: number }>;
}

/**
 * Chart lines from history points: one line per series of `name` (a counter's `:rate` when
 * `rate`), labelled by `label`'s value. Points missing a series leave a gap in that line only.
 */
export function linesOf(
  points: readonly HistoryPoint[],
  name: string,
  label?: string | readonly string[],
  rate = false,
): Line[] {
  const labels = label === undefined ? [] : typeof label === 'string' ? [label] : label;
  const lines = new Map<string, Line>();
  for (const p of points) {
    for (const [key, value] of Object.entries(p.values)) {
      const base = rate ? key.replace(/:rate$/, '') : key;
      if (rate !== key.endsWith(':rate')) continue;
      if (base !== name && !base.startsWith(`${name}{`)) continue;
      const words = labels.map((n) => new RegExp(`${n}="([^"]*)"`).exec(base)?.[1]).filter((w) => w !== undefined);
      const l = lines.get(base) ?? { key: base, label: words.length > 0 ? words.join(' ') : name, points: [] };
      l.points.push({ at: p.at, value });
      lines.set(base, l);
    }
  }
  return [...lines.values()].sort((a, b) => a.label.localeCompare(b.label));
}

/** The SVG path of a line in a w×h box, time on x from `from` to `to`, value on y from 0 to `max`. */
export function pathOf(
  points: ReadonlyArray<{ at: number; value: number }>,
  box: { w: number; h: number; from: number; to: number; max: number },
): string {
  const span = Math.max(1, box.to - box.from);
  const max = box.max > 0 ? box.max : 1;
  return points
    .map((p, i) => {
      const x = ((p.at - box.from) / span) * box.w;
      const y = box.h - (Math.max(0, p.value) / max) * box.h;
      return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

/** A round top for the y axis: 1, 2 or 5 times a power of ten, at least the largest value. */
export function niceMax(values: readonly number[]): number {
  const top = Math.max(0, ...values.filter(Number.isFinite));
  if (top === 0) return 1;
  const p = 10 ** Math.floor(Math.log10(top));
  for (const m of [1, 2, 5, 10]) if (m * p >= top) return m * p;
  return 10 * p;
}

/** Growth per day of a size series over the points given (bytes/day), or undefined with fewer than two. */
export function growthPerDay(points: ReadonlyArray<{ at: number; value: number }>): number | undefined {
  if (points.length < 2) return undefined;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const days = (last.at - first.at) / 86_400_000;
  return days > 0 ? (last.value - first.value) / days : undefined;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export function formatSeconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '\u2014';
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.round(s / 60)} min`;
}

/**
 * The time axis: the range asked for, but starting at the first sample when the history is
 * younger than the range, so a new node's charts are not a sliver at the right edge.
 */
export function timeAxis(points: readonly HistoryPoint[], to: number, rangeMs: number): { from: number; to: number } {
  const first = points[0]?.at;
  const from = to - rangeMs;
  return { from: first !== undefined && first > from ? first : from, to };
}
