import { afterEach, describe, expect, it } from 'vitest';
import type { MetricFamily } from '../../src-shared/metrics/model.ts';
import { openTestStore } from '../core/test-store.ts';
import type { StoreDatabase } from '../store/index.ts';
import { createMetricsHistory } from './history.ts';

let db: StoreDatabase;
afterEach(() => db.close());

const fams = (peers: number, messages: number): MetricFamily[] => [
  { name: 'hashlock_p2p_peers', help: '', type: 'gauge', series: [{ labels: {}, value: peers }] },
  {
    name: 'hashlock_p2p_messages_received_total',
    help: '',
    type: 'counter',
    series: [{ labels: { domain: 'orders' }, value: messages }],
  },
];
const tierCount = (tier: number) =>
  db.prepare('SELECT COUNT(*) FROM metrics_samples WHERE tier = ?').pluck().get(tier) as number;
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % 900_000); // on a quarter-hour

describe('the metrics history', () => {
  it('folds raw samples into a minute average once the minute has closed', () => {
    db = openTestStore();
    const h = createMetricsHistory(db);
    for (let s = 0; s < 60; s += 10) h.record(fams(s < 30 ? 2 : 4, s), T0 + s * 1000);
    expect(tierCount(60)).toBe(0); // the minute is still open
    h.record(fams(9, 60), T0 + 60_000);
    const day = h.read('24h', ['hashlock_p2p_peers', 'hashlock_p2p_messages_received_total'], T0 + 61_000);
    expect(day).toEqual([
      { at: T0, values: { hashlock_p2p_peers: 3, 'hashlock_p2p_messages_received_total{domain="orders"}:rate': 1 } },
    ]);
  });

  it('keeps each tier only as long as its retention, and folds quarter-hours from minutes', () => {
    db = openTestStore();
    const h = createMetricsHistory(db);
    const hours = 3;
    for (let t = 0; t <= hours * 3600; t += 30) h.record(fams(1, t), T0 + t * 1000);
    expect(tierCount(0)).toBe(3600 / 30 + 1); // an hour of raw samples, the sample at the edge included
    expect(tierCount(60)).toBe(hours * 60); // every closed minute (a day is kept)
    expect(tierCount(900)).toBe(hours * 4); // every closed quarter-hour
    const hour = h.read('1h', ['hashlock_p2p_peers'], T0 + hours * 3600_000);
    expect(hour.every((p) => Object.keys(p.values).join() === 'hashlock_p2p_peers')).toBe(true);
  });

  it('after a restart folds the minutes it missed from the raw samples still kept', () => {
    db = openTestStore();
    const before = createMetricsHistory(db);
    for (let s = 0; s < 120; s += 10) before.record(fams(5, 0), T0 + s * 1000);
    expect(tierCount(60)).toBe(1);
    const after = createMetricsHistory(db); // a new process: no previous counters in memory
    after.record(fams(5, 0), T0 + 180_000);
    expect(tierCount(60)).toBe(2);
    expect(after.read('24h', ['hashlock_p2p_peers'], T0 + 181_000).map((p) => p.at)).toEqual([T0, T0 + 60_000]);
  });

  it('returns only the series of the names asked for', () => {
    db = openTestStore();
    const h = createMetricsHistory(db);
    h.record(fams(2, 0), T0);
    h.record(fams(2, 10), T0 + 10_000);
    const pts = h.read('1h', ['hashlock_p2p_messages_received_total'], T0 + 10_000);
    expect(pts.map((p) => p.values)).toEqual([{}, { 'hashlock_p2p_messages_received_total{domain="orders"}:rate': 1 }]);
  });
});
