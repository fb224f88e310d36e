// The sampled history behind the dashboard's charts: every sampling interval one row of values
// (gauges as they were, counters as rates), folded into per-minute and per-quarter-hour averages
// as each bucket closes, each tier pruned to its retention (TIERS). Desktop users run no
// Prometheus, so the node keeps its own.
import {
  RANGE_SEC,
  RANGE_TIER,
  TIERS,
  averageSamples,
  sampleValues,
  type HistoryRange,
  type MetricFamily,
} from '../../src-shared/metrics/model.ts';
import type { HistoryPoint } from '../../src-shared/metrics/contract.ts';
import type { Migration, StoreDatabase } from '../store/index.ts';

export const m0001MetricsSamples: Migration = {
  version: 1,
  name: 'metrics_samples',
  up(db) {
    db.exec(`
      CREATE TABLE metrics_samples (
        tier INTEGER NOT NULL,
        at INTEGER NOT NULL,
        data TEXT NOT NULL CHECK (json_valid(data)),
        PRIMARY KEY (tier, at)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};

const MAX_POINTS = 3000;

export interface MetricsHistoryStore {
  /** Takes one sample at `at` (ms) and folds and prunes the tiers. */
  record(families: readonly MetricFamily[], at: number): void;
  /** Points of the range's tier whose series belong to one of `names`. */
  read(range: HistoryRange, names: readonly string[], now: number): HistoryPoint[];
}

export function createMetricsHistory(db: StoreDatabase): MetricsHistoryStore {
  const insert = db.prepare('INSERT OR REPLACE INTO metrics_samples (tier, at, data) VALUES (?, ?, ?)');
  const between = db.prepare('SELECT at, data FROM metrics_samples WHERE tier = ? AND at >= ? AND at < ? ORDER BY at');
  const latest = db.prepare('SELECT MAX(at) FROM metrics_samples WHERE tier = ?').pluck();
  const prune = db.prepare('DELETE FROM metrics_samples WHERE tier = ? AND at < ?');
  let previous: { at: number; counters: Record<string, number> } | undefined;

  /** Folds closed buckets of the tier below into `tier`, from the first bucket not yet folded. */
  function fold(tier: number, source: number, at: number): void {
    const width = tier * 1000;
    const last = latest.get(tier) as number | null;
    const from = last === null ? 0 : last + width;
    const upTo = Math.floor(at / width) * width; // the bucket `at` falls in is still open
    if (upTo <= from) return;
    const rows = between.all(source, from, upTo) as Array<{ at: number; data: string }>;
    const buckets = new Map<number, Array<Record<string, number>>>();
    for (const r of rows) {
      const b = Math.floor(r.at / width) * width;
      buckets.set(b, [...(buckets.get(b) ?? []), JSON.parse(r.data) as Record<string, number>]);
    }
    for (const [b, samples] of buckets) insert.run(tier, b, JSON.stringify(averageSamples(samples)));
  }

  return {
    record(families, at) {
      const { values, counters } = sampleValues(families, previous, at);
      previous = { at, counters };
      db.transaction(() => {
        insert.run(0, at, JSON.stringify(values));
        for (let i = 1; i < TIERS.length; i++) fold(TIERS[i]!.resolutionSec, TIERS[i - 1]!.resolutionSec, at);
        for (const t of TIERS) prune.run(t.resolutionSec, at - t.keepSec * 1000);
      })();
    },
    read(range, names, now) {
      const tier = RANGE_TIER[range];
      const rows = between.all(tier, now - RANGE_SEC[range] * 1000, now + 1) as Array<{ at: number; data: string }>;
      const wanted = (key: string) =>
        names.some((n) => key === n || key.startsWith(`${n}{`) || key.startsWith(`${n}:`));
      const step = Math.max(1, Math.ceil(rows.length / MAX_POINTS));
      const points: HistoryPoint[] = [];
      for (let i = 0; i < rows.length; i += step) {
        const r = rows[i]!;
        const all = JSON.parse(r.data) as Record<string, number>;
        points.push({ at: r.at, values: Object.fromEntries(Object.entries(all).filter(([k]) => wanted(k))) });
      }
      return points;
    },
  };
}
