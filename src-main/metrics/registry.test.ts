import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, MAX_SERIES_PER_METRIC } from './registry.ts';

describe('the metrics registry', () => {
  it('counts per label set and refuses to count down', () => {
    const r = createMetricsRegistry();
    const c = r.counter('hashlock_test_events_total', 'Events.');
    c.inc({ kind: 'a' });
    c.inc({ kind: 'a' }, 2);
    c.inc({ kind: 'b' });
    c.inc({ kind: 'a' }, -5);
    expect(r.collect()[0]!.series).toEqual([
      { labels: { kind: 'a' }, value: 3 },
      { labels: { kind: 'b' }, value: 1 },
    ]);
  });

  it('caps the series of one metric so a network-fed label cannot grow without bound', () => {
    const dropped: string[] = [];
    const r = createMetricsRegistry({ onDropped: (n) => dropped.push(n) });
    const c = r.counter('hashlock_test_peers_total', 'Per peer (what a domain must not do).');
    for (let i = 0; i < MAX_SERIES_PER_METRIC + 50; i++) c.inc({ peer: `p${i}` });
    expect(r.collect()[0]!.series).toHaveLength(MAX_SERIES_PER_METRIC);
    expect(dropped).toEqual(['hashlock_test_peers_total']); // reported once, not per drop
  });

  it('rewrites label values that would break the exposition format', () => {
    const r = createMetricsRegistry();
    r.gauge('hashlock_test_level_bytes', 'Level.').set({ where: 'a"b\nc d' }, 1);
    expect(r.collect()[0]!.series[0]!.labels).toEqual({ where: 'a_b_c_d' });
  });

  it('refuses a name against the conventions and a second registration of another type', () => {
    const r = createMetricsRegistry();
    expect(() => r.counter('hashlock_test_count', 'x')).toThrow('must end in _total');
    r.gauge('hashlock_test_things_seconds', 'x');
    expect(() => r.summary('hashlock_test_things_seconds', 'x')).toThrow('already registered as a gauge');
  });

  it('shares one counter between two parts that register the same name', () => {
    const r = createMetricsRegistry();
    r.counter('hashlock_test_shared_total', 'x').inc();
    r.counter('hashlock_test_shared_total', 'x').inc();
    expect(r.collect()[0]!.series[0]!.value).toBe(2);
  });

  it('summarises latencies as quantiles, sum and count', () => {
    const r = createMetricsRegistry();
    const s = r.summary('hashlock_test_delay_seconds', 'Delay.');
    for (let i = 1; i <= 10; i++) s.observe({ step: 'x' }, i);
    s.observe({ step: 'x' }, Infinity); // ignored
    const series = r.collect()[0]!.series;
    expect(series).toEqual([
      { labels: { step: 'x', quantile: '0.5' }, value: 5 },
      { labels: { step: 'x', quantile: '0.9' }, value: 9 },
      { labels: { step: 'x', quantile: '0.99' }, value: 10 },
      { labels: { step: 'x' }, value: 55, suffix: '_sum' },
      { labels: { step: 'x' }, value: 10, suffix: '_count' },
    ]);
  });

  it('reads collected gauges at collection, and a failing reader leaves its gauge empty', () => {
    const r = createMetricsRegistry();
    let n = 1;
    r.gauge('hashlock_test_live_peers', 'x', () => [{ labels: {}, value: n }]);
    r.gauge('hashlock_test_broken_bytes', 'x', () => {
      throw new Error('disk gone');
    });
    n = 7;
    const fams = Object.fromEntries(r.collect().map((f) => [f.name, f.series]));
    expect(fams.hashlock_test_live_peers).toEqual([{ labels: {}, value: 7 }]);
    expect(fams.hashlock_test_broken_bytes).toEqual([]);
  });
});
