// The metrics registry every module can `need`: counters, gauges (set, or read when collected)
// and summaries (latencies over a sliding window). A domain registers its own metrics next to its
// code; the metrics module never names them. Series per metric are capped, so a label fed by
// the network can never grow memory or the /metrics page without bound.
import {
  LABEL_NAME,
  QUANTILES,
  checkMetricName,
  quantile,
  seriesKey,
  type Labels,
  type MetricFamily,
  type MetricType,
} from '../../src-shared/metrics/model.ts';

export const MAX_SERIES_PER_METRIC = 64;
const SUMMARY_WINDOW = 512;

export interface Counter {
  inc(labels?: Labels, by?: number): void;
}
export interface Gauge {
  set(labels: Labels, value: number): void;
}
export interface Summary {
  observe(labels: Labels, value: number): void;
}
/** Reads values when the registry is collected (peer counts, store sizes). */
export type Collect = () => ReadonlyArray<{ labels: Labels; value: number }>;

export interface MetricsRegistry {
  /** With `collect`, the counter's series are read from their owner (the p2p host's own counts). */
  counter(name: string, help: string, collect?: Collect): Counter;
  gauge(name: string, help: string, collect?: Collect): Gauge;
  summary(name: string, help: string): Summary;
  collect(): MetricFamily[];
}

interface Entry {
  name: string;
  help: string;
  type: MetricType;
  values: Map<string, { labels: Labels; value: number }>;
  windows: Map<string, { labels: Labels; recent: number[]; count: number; sum: number }>;
  collect?: Collect;
}

export function createMetricsRegistry(opts: { onDropped?: (name: string) => void } = {}): MetricsRegistry {
  const entries = new Map<string, Entry>();
  const dropped = new Set<string>();

  function register(name: string, help: string, type: MetricType, collect?: Collect): Entry {
    checkMetricName(name, type);
    const existing = entries.get(name);
    if (existing) {
      if (existing.type !== type || collect !== undefined)
        throw new Error(`metric ${name} is already registered as a ${existing.type}`);
      return existing; // two parts counting the same thing share one counter
    }
    const entry: Entry = { name, help, type, values: new Map(), windows: new Map(), collect };
    entries.set(name, entry);
    return entry;
  }

  const slot = <T>(entry: Entry, map: Map<string, T>, labels: Labels, make: () => T): T | undefined =>
    seriesSlot(entry, map, labels, make, () => {
      if (!dropped.has(entry.name)) opts.onDropped?.(entry.name);
      dropped.add(entry.name);
    });

  return {
    counter(name, help, collect) {
      const e = register(name, help, 'counter', collect);
      return {
        inc(labels = {}, by = 1) {
          if (!(by >= 0)) return; // a counter only goes up
          const s = slot(e, e.values, labels, () => ({ labels: cleanLabels(labels), value: 0 }));
          if (s) s.value += by;
        },
      };
    },
    gauge(name, help, collect) {
      const e = register(name, help, 'gauge', collect);
      return {
        set(labels, value) {
          const s = slot(e, e.values, labels, () => ({ labels: cleanLabels(labels), value: 0 }));
          if (s) s.value = value;
        },
      };
    },
    summary(name, help) {
      const e = register(name, help, 'summary');
      return {
        observe(labels, value) {
          if (!Number.isFinite(value)) return;
          const w = slot(e, e.windows, labels, () => ({ labels: cleanLabels(labels), recent: [], count: 0, sum: 0 }));
          if (!w) return;
          w.count++;
          w.sum += value;
          w.recent.push(value);
          if (w.recent.length > SUMMARY_WINDOW) w.recent.shift();
        },
      };
    },
    collect() {
      const out: MetricFamily[] = [];
      for (const e of entries.values()) {
        if (e.type === 'summary') {
          out.push(summaryFamily(e));
          continue;
        }
        let collected: ReadonlyArray<{ labels: Labels; value: number }>;
        try {
          collected = e.collect?.() ?? [];
        } catch {
          collected = []; // a failing reader leaves its gauge empty rather than breaking /metrics
        }
        const series = [...e.values.values(), ...collected.slice(0, MAX_SERIES_PER_METRIC)].map((s) => ({
          labels: cleanLabels(s.labels),
          value: s.value,
        }));
        out.push({ name: e.name, help: e.help, type: e.type, series });
      }
      return out.sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}

/** Label values outside the safe set are rewritten, so no series can break the exposition format. */
function cleanLabels(labels: Labels): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(labels)) {
    if (LABEL_NAME.test(k)) out[k] = v.replace(/[^A-Za-z0-9_./:-]/g, '_').slice(0, 80);
  }
  return out;
}

/** A summary's quantiles over its window, and its sum and count, per label set. */
function summaryFamily(e: Entry): MetricFamily {
  const series: MetricFamily['series'] = [];
  for (const w of e.windows.values()) {
    const sorted = [...w.recent].sort((a, b) => a - b);
    for (const q of QUANTILES)
      series.push({ labels: { ...w.labels, quantile: String(q) }, value: quantile(sorted, q) ?? NaN });
    series.push({ labels: w.labels, value: w.sum, suffix: '_sum' });
    series.push({ labels: w.labels, value: w.count, suffix: '_count' });
  }
  return { name: e.name, help: e.help, type: e.type, series };
}

/** The series for these labels, or undefined (after `atCap`) when the metric holds its maximum. */
function seriesSlot<T>(
  entry: Entry,
  map: Map<string, T>,
  labels: Labels,
  make: () => T,
  atCap: () => void,
): T | undefined {
  const key = seriesKey(entry.name, cleanLabels(labels));
  let s = map.get(key);
  if (s === undefined) {
    if (map.size >= MAX_SERIES_PER_METRIC) {
      atCap();
      return undefined;
    }
    s = make();
    map.set(key, s);
  }
  return s;
}
