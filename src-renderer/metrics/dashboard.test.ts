import { describe, expect, it } from 'vitest';
import type { HistoryPoint, MetricsSnapshot } from '../../src-shared/metrics/contract.ts';
import { byLabel, growthPerDay, latencyRows, linesOf, niceMax, pathOf, timeAxis, trafficRows } from './dashboard.ts';

const snapshot: MetricsSnapshot = {
  at: 0,
  sampling: { enabled: true, intervalSec: 10 },
  banThreshold: 100,
  peers: [],
  families: [
    {
      name: 'hashlock_p2p_traffic_bytes_total',
      help: '',
      type: 'counter',
      series: [
        { labels: { protocol: 'gossip:orders', direction: 'in' }, value: 10 },
        { labels: { protocol: 'gossip:orders', direction: 'out' }, value: 5 },
        { labels: { protocol: '/hashlock/swap/1.0.0', direction: 'in' }, value: 100 },
      ],
    },
    {
      name: 'hashlock_store_bytes',
      help: '',
      type: 'gauge',
      series: [
        { labels: { domain: 'swaps' }, value: 4096 },
        { labels: { domain: 'orders' }, value: 8192 },
      ],
    },
    {
      name: 'hashlock_swaps_step_seconds',
      help: '',
      type: 'summary',
      series: [
        { labels: { step: 'funding', quantile: '0.5' }, value: 2 },
        { labels: { step: 'funding', quantile: '0.9' }, value: NaN },
        { labels: { step: 'funding' }, value: 4, suffix: '_count' },
      ],
    },
  ],
};

describe('the Node page numbers', () => {
  it('sum traffic per protocol in and out, busiest first', () => {
    expect(trafficRows(snapshot)).toEqual([
      { protocol: '/hashlock/swap/1.0.0', in: 100, out: 0 },
      { protocol: 'gossip:orders', in: 10, out: 5 },
    ]);
  });

  it('list store per domain, largest first', () => {
    expect(byLabel(snapshot, 'hashlock_store_bytes', 'domain')).toEqual([
      { key: 'orders', value: 8192 },
      { key: 'swaps', value: 4096 },
    ]);
  });

  it('read summaries as latency rows, an unknown quantile left empty', () => {
    expect(latencyRows(snapshot)).toEqual([
      { metric: 'hashlock_swaps_step_seconds', labels: 'funding', p50: 2, p90: undefined, count: 4 },
    ]);
  });
});

describe('the charts', () => {
  const points: HistoryPoint[] = [
    { at: 0, values: { 'hashlock_p2p_messages_received_total{domain="orders"}:rate': 1, hashlock_p2p_peers: 2 } },
    {
      at: 10_000,
      values: {
        'hashlock_p2p_messages_received_total{domain="orders"}:rate': 3,
        'hashlock_p2p_messages_received_total{domain="identity"}:rate': 0.5,
      },
    },
  ];

  it('make one line per series with its label, rates only when asked', () => {
    const lines = linesOf(points, 'hashlock_p2p_messages_received_total', 'domain', true);
    expect(lines.map((l) => [l.label, l.points.map((p) => p.value)])).toEqual([
      ['identity', [0.5]],
      ['orders', [1, 3]],
    ]);
    expect(linesOf(points, 'hashlock_p2p_messages_received_total', 'domain', false)).toEqual([]);
    expect(linesOf(points, 'hashlock_p2p_peers').map((l) => l.points)).toEqual([[{ at: 0, value: 2 }]]);
  });

  it('label a line by several labels, and start the time axis at the first sample of a young history', () => {
    const traffic: HistoryPoint[] = [
      { at: 5000, values: { 'hashlock_p2p_traffic_bytes_total{direction="in",protocol="gossip:orders"}:rate': 2 } },
    ];
    expect(linesOf(traffic, 'hashlock_p2p_traffic_bytes_total', ['protocol', 'direction'], true)[0]?.label).toBe(
      'gossip:orders in',
    );
    expect(timeAxis(traffic, 65_000, 3_600_000)).toEqual({ from: 5000, to: 65_000 });
    expect(timeAxis(traffic, 10_000_000, 3_600_000)).toEqual({ from: 6_400_000, to: 10_000_000 });
  });

  it('draw a path in the box, time across and value up', () => {
    const d = pathOf(
      [
        { at: 0, value: 0 },
        { at: 50, value: 5 },
        { at: 100, value: 10 },
      ],
      { w: 200, h: 100, from: 0, to: 100, max: 10 },
    );
    expect(d).toBe('M0.0,100.0 L100.0,50.0 L200.0,0.0');
  });

  it('round the y axis up to 1, 2 or 5 times a power of ten', () => {
    expect([niceMax([]), niceMax([0.3]), niceMax([7]), niceMax([12]), niceMax([4100])]).toEqual([1, 0.5, 10, 20, 5000]);
  });

  it('give growth per day from the first and last point', () => {
    expect(
      growthPerDay([
        { at: 0, value: 1000 },
        { at: 43_200_000, value: 1500 },
      ]),
    ).toBe(1000);
    expect(growthPerDay([{ at: 0, value: 1 }])).toBeUndefined();
  });
});
