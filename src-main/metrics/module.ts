// The metrics module: the registry other modules `need` to count what they do, the node's own
// figures (process, p2p traffic and peers, store size per domain), a sampler that keeps their
// history in the store for the dashboard, and GET /metrics in Prometheus text (docs/metrics.md).
import { z } from 'zod';
import { renderPrometheus } from '../../src-shared/metrics/model.ts';
import { defineModule, type NodeBase } from '../kernel/module.ts';
import type { P2pHost } from '../p2p/index.ts';
import { createMetricsHistory, m0001MetricsSamples } from './history.ts';
import { createMetricsRegistry, type MetricsRegistry } from './registry.ts';
import { measureStore, tableOwners, type StoreSizes } from './store-size.ts';

declare module '../kernel/module.ts' {
  interface Components {
    metrics: MetricsRegistry;
  }
}

export const MetricsConfig = z
  .object({
    /** Keep a sampled history in the store (the dashboard's charts); /metrics works either way. */
    sampling: z.boolean().default(true),
    sampleSec: z.number().int().min(1).max(3600).default(10),
  })
  .strict()
  .default({ sampling: true, sampleSec: 10 });

/** dbstat reads every page: the store is measured at most this often. */
const STORE_MEASURE_MS = 60_000;
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export const metricsModule = defineModule({
  name: 'metrics',
  config: { metrics: MetricsConfig },
  schema: { domain: 'metrics', migrations: [m0001MetricsSamples] },
  needs: ['p2p'],
  provides: ['metrics'],
  create(c, config) {
    const registry = createMetricsRegistry({
      onDropped: (name) => c.log.warn('a metric reached its series cap; new label values are dropped', { name }),
    });
    registerNodeMetrics(registry, c, c.p2p);
    const history = createMetricsHistory(c.db);
    const { sampling, sampleSec } = config.metrics;
    let timer: NodeJS.Timeout | undefined;
    const sample = () => {
      try {
        history.record(registry.collect(), c.now());
      } catch (err) {
        c.log.warn('metrics sample failed', { error: String(err) });
      }
    };
    return {
      provides: { metrics: registry },
      start() {
        if (!sampling) return;
        timer = setInterval(sample, sampleSec * 1000);
        timer.unref();
      },
      stop() {
        if (timer) clearInterval(timer);
      },
      handlers: {
        'metrics.snapshot': () => ({
          at: c.now(),
          sampling: { enabled: sampling, intervalSec: sampleSec },
          banThreshold: c.p2p.limits.banThreshold,
          peers: c.p2p
            .peers()
            .slice(0, 1000)
            .map((p) => ({
              peerId: p.peerId,
              ...(p.direction ? { direction: p.direction } : {}),
              ...(p.latencyMs !== undefined ? { latencyMs: p.latencyMs } : {}),
              score: c.p2p.score(p.peerId),
            })),
          families: registry.collect(),
        }),
        'metrics.history': (p) => ({
          range: p.range,
          resolutionSec: p.range === '1h' ? 0 : p.range === '24h' ? 60 : 900,
          points: history.read(p.range, p.names, c.now()),
        }),
      },
      routes: [
        {
          method: 'GET',
          path: '/metrics',
          scope: 'read',
          handle: () => ({
            status: 200,
            contentType: PROMETHEUS_CONTENT_TYPE,
            body: renderPrometheus(registry.collect()),
          }),
        },
      ],
    };
  },
});

/** What the node says about itself: process, uptime, peers, p2p traffic, store sizes. */
export function registerNodeMetrics(r: MetricsRegistry, c: NodeBase, p2p: P2pHost): void {
  r.gauge('hashlock_node_uptime_seconds', 'Seconds since the node started.', () => [
    { labels: {}, value: Math.floor((c.now() - c.startedAt) / 1000) },
  ]);
  r.counter('hashlock_process_cpu_seconds_total', 'CPU time the node process used (user + system).', () => {
    const u = process.cpuUsage();
    return [{ labels: {}, value: (u.user + u.system) / 1e6 }];
  });
  r.gauge('hashlock_process_resident_memory_bytes', 'Resident memory of the node process.', () => [
    { labels: {}, value: process.memoryUsage.rss() },
  ]);
  r.gauge('hashlock_p2p_peers', 'Connected peers.', () => [{ labels: {}, value: p2p.peers().length }]);
  r.counter('hashlock_p2p_traffic_bytes_total', 'Payload bytes per protocol (gossip per domain) and direction.', () =>
    p2p.traffic
      .snapshot()
      .bytes.map((b) => ({ labels: { protocol: b.protocol, direction: b.direction }, value: b.value })),
  );
  r.counter('hashlock_p2p_messages_received_total', 'Gossip messages and requests received, per domain.', () =>
    p2p.traffic.snapshot().messages.map((m) => ({ labels: { domain: m.domain }, value: m.value })),
  );
  const owners = tableOwners(c.schemas);
  let sizes: { at: number; value: StoreSizes } | undefined;
  const storeSizes = (): StoreSizes => {
    if (!sizes || c.now() - sizes.at >= STORE_MEASURE_MS) sizes = { at: c.now(), value: measureStore(c.db, owners) };
    return sizes.value;
  };
  r.gauge('hashlock_store_bytes', 'Bytes of the node store per domain (tables and their indexes).', () =>
    Object.entries(storeSizes().byDomain).map(([domain, value]) => ({ labels: { domain }, value })),
  );
  r.gauge('hashlock_store_file_bytes', 'Pages of the store file in use, in bytes.', () => [
    { labels: {}, value: storeSizes().totalBytes },
  ]);
}
