import { describe, expect, it } from 'vitest';
import names from './fixtures/names.json' with { type: 'json' };
import {
  averageSamples,
  checkMetricName,
  protocolLabel,
  quantile,
  renderPrometheus,
  sampleValues,
  seriesKey,
  type MetricFamily,
  type MetricType,
} from './model.ts';

describe('metric names follow the Prometheus conventions', () => {
  it.each(names.valid)('accepts $name as a $type', ({ name, type }) => {
    expect(() => checkMetricName(name, type as MetricType)).not.toThrow();
  });
  it.each(names.invalid)('refuses $name as a $type: $error', ({ name, type, error }) => {
    expect(() => checkMetricName(name, type as MetricType)).toThrow(error);
  });
});

describe('the text exposition format', () => {
  it('renders help, type, sorted labels, summary suffixes and escaped label values', () => {
    const families: MetricFamily[] = [
      {
        name: 'hashlock_p2p_traffic_bytes_total',
        help: 'Payload bytes.',
        type: 'counter',
        series: [{ labels: { protocol: 'gossip:orders', direction: 'in' }, value: 1024 }],
      },
      {
        name: 'hashlock_swaps_step_seconds',
        help: 'Step times.',
        type: 'summary',
        series: [
          { labels: { step: 'funded', quantile: '0.5' }, value: 1.5 },
          { labels: { step: 'funded' }, value: 3, suffix: '_sum' },
          { labels: { step: 'funded' }, value: 2, suffix: '_count' },
        ],
      },
      { name: 'hashlock_node_odd_value', help: 'a\\b', type: 'gauge', series: [{ labels: { v: 'x"y' }, value: NaN }] },
    ];
    expect(renderPrometheus(families)).toBe(
      [
        '# HELP hashlock_p2p_traffic_bytes_total Payload bytes.',
        '# TYPE hashlock_p2p_traffic_bytes_total counter',
        'hashlock_p2p_traffic_bytes_total{direction="in",protocol="gossip:orders"} 1024',
        '# HELP hashlock_swaps_step_seconds Step times.',
        '# TYPE hashlock_swaps_step_seconds summary',
        'hashlock_swaps_step_seconds{quantile="0.5",step="funded"} 1.5',
        'hashlock_swaps_step_seconds_sum{step="funded"} 3',
        'hashlock_swaps_step_seconds_count{step="funded"} 2',
        '# HELP hashlock_node_odd_value a\\\\b',
        '# TYPE hashlock_node_odd_value gauge',
        'hashlock_node_odd_value{v="x\\"y"} NaN',
        '',
      ].join('\n'),
    );
  });
});

describe('samples', () => {
  const counter = (value: number): MetricFamily[] => [
    {
      name: 'hashlock_p2p_messages_received_total',
      help: '',
      type: 'counter',
      series: [{ labels: { domain: 'orders' }, value }],
    },
    { name: 'hashlock_p2p_peers', help: '', type: 'gauge', series: [{ labels: {}, value: 3 }] },
  ];
  const key = seriesKey('hashlock_p2p_messages_received_total', { domain: 'orders' });

  it('store a counter as its rate per second since the previous sample, a gauge as it is', () => {
    const first = sampleValues(counter(100), undefined, 10_000);
    expect(first.values).toEqual({ hashlock_p2p_peers: 3 }); // no rate without a previous sample
    const second = sampleValues(counter(150), { at: 10_000, counters: first.counters }, 20_000);
    expect(second.values).toEqual({ hashlock_p2p_peers: 3, [`${key}:rate`]: 5 });
  });

  it('give no rate when a counter went down (the node restarted)', () => {
    const s = sampleValues(counter(10), { at: 0, counters: { [key]: 500 } }, 10_000);
    expect(s.values[`${key}:rate`]).toBeUndefined();
  });

  it('average per series without counting a missing series as zero', () => {
    expect(averageSamples([{ a: 1, b: 10 }, { a: 3 }])).toEqual({ a: 2, b: 10 });
  });

  it('quantiles by nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([quantile(sorted, 0.5), quantile(sorted, 0.9), quantile(sorted, 0.99)]).toEqual([50, 90, 99]);
    expect(quantile([], 0.5)).toBeUndefined();
  });
});

describe('protocol labels keep cardinality low', () => {
  it.each([
    ['gossip', '/hashlock/orders/DEVA-DEVB/1', 'gossip:orders'],
    ['gossip', '/hashlock/orders/LTC-BTC/1', 'gossip:orders'],
    ['gossip', '/meshsub/other', 'gossip:other'],
    ['request', '/hashlock/orders/take/1', '/hashlock/orders/take/1'],
    ['request', '/hashlock/swap/1.0.0', '/hashlock/swap/1.0.0'],
    ['request', '/evil/' + 'x'.repeat(300), 'other'],
  ] as const)('%s %s -> %s', (kind, protocol, label) => {
    expect(protocolLabel(kind, protocol)).toBe(label);
  });
});
