// The Node page (#/node): the node dashboard. Peers with their scores, traffic per protocol,
// messages per second per domain, store size per domain and its growth, latencies, service-node
// status and API tokens; charts from the history the node samples itself. Refreshes every 5 s.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { MetricsSnapshot } from '../../src-shared/metrics/contract.ts';
import { RANGE_SEC, type HistoryRange } from '../../src-shared/metrics/model.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatDuration, formatLatency, shortenMiddle } from '../format/text.ts';
import { TokensPanel } from '../tokens/index.ts';
import { Chart } from './Chart.tsx';
import {
  byLabel,
  formatBytes,
  formatSeconds,
  growthPerDay,
  latencyRows,
  linesOf,
  single,
  timeAxis,
  trafficRows,
} from './dashboard.ts';
import { metricsQueries } from './queries.ts';
import '../styles/node.css';

const HISTORY_NAMES = [
  'hashlock_p2p_peers',
  'hashlock_p2p_messages_received_total',
  'hashlock_p2p_traffic_bytes_total',
  'hashlock_store_bytes',
  'hashlock_orders_propagation_seconds',
] as const;

function Overview(props: { s: MetricsSnapshot | undefined }) {
  const { s } = props;
  const cpu = single(s, 'hashlock_process_cpu_seconds_total');
  const rss = single(s, 'hashlock_process_resident_memory_bytes');
  const up = single(s, 'hashlock_node_uptime_seconds');
  const file = single(s, 'hashlock_store_file_bytes');
  const listed = byLabel(s, 'hashlock_servicenode_listed', 'verified');
  const role = single(s, 'hashlock_servicenode_role_registered');
  return (
    <div className="panel stack" data-testid="node-overview">
      <h2>This node</h2>
      <dl className="facts">
        <dt>Up for</dt>
        <dd data-testid="node-uptime">{up === undefined ? '…' : formatDuration(up)}</dd>
        <dt>CPU used</dt>
        <dd>{cpu === undefined ? '…' : `${cpu.toFixed(1)} s`}</dd>
        <dt>Memory</dt>
        <dd>{rss === undefined ? '…' : formatBytes(rss)}</dd>
        <dt>Store file</dt>
        <dd data-testid="node-store-file">{file === undefined ? '…' : formatBytes(file)}</dd>
        <dt>Service nodes known</dt>
        <dd data-testid="node-servicenodes">
          {listed.length === 0
            ? 'none'
            : listed.map((l) => `${l.value} ${l.key === 'yes' ? 'verified' : l.key}`).join(', ')}
        </dd>
        {role !== undefined ? (
          <>
            <dt>Service-node role</dt>
            <dd>{role === 1 ? 'registered and serving' : 'not registered yet'}</dd>
          </>
        ) : null}
        <dt>History</dt>
        <dd>{s ? (s.sampling.enabled ? `sampled every ${s.sampling.intervalSec} s` : 'sampling is off') : '…'}</dd>
      </dl>
    </div>
  );
}

function Peers(props: { s: MetricsSnapshot | undefined }) {
  const peers = [...(props.s?.peers ?? [])].sort((a, b) => b.score - a.score);
  const threshold = props.s?.banThreshold ?? 100;
  return (
    <div className="panel flush" data-testid="node-peers">
      <div className="panel-head">
        <h2>
          Peers <span className="count num">{peers.length}</span>
        </h2>
      </div>
      <table className="table">
        <caption className="sr-only">Peers and their scores</caption>
        <thead>
          <tr>
            <th scope="col">Peer</th>
            <th scope="col">Direction</th>
            <th scope="col" className="num">
              Latency
            </th>
            <th scope="col">Offence score (ban at {threshold})</th>
          </tr>
        </thead>
        <tbody>
          {peers.map((p) => (
            <tr key={p.peerId} data-testid={`node-peer-${p.peerId}`}>
              <td className="mono" title={p.peerId}>
                {shortenMiddle(p.peerId, 10, 6)}
              </td>
              <td>{p.direction ?? '\u2014'}</td>
              <td className="num">{p.latencyMs === undefined ? '\u2014' : formatLatency(p.latencyMs)}</td>
              <td>
                <span className="score-bar" title={`${p.score.toFixed(1)} of ${threshold}`}>
                  <span style={{ width: `${Math.min(100, (p.score / threshold) * 100)}%` }} />
                </span>{' '}
                <span className="num">{p.score.toFixed(1)}</span>
              </td>
            </tr>
          ))}
          {peers.length === 0 ? (
            <tr>
              <td colSpan={4} className="muted empty">
                No peers connected.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

function Tables(props: { s: MetricsSnapshot | undefined }) {
  return (
    <div className="two-col">
      <TrafficTable s={props.s} />
      <StoreAndLatencies s={props.s} />
    </div>
  );
}

function TrafficTable(props: { s: MetricsSnapshot | undefined }) {
  const traffic = trafficRows(props.s);
  return (
    <div className="panel flush" data-testid="node-traffic">
      <div className="panel-head">
        <h2>Traffic per protocol</h2>
      </div>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Protocol</th>
            <th scope="col" className="num">
              In
            </th>
            <th scope="col" className="num">
              Out
            </th>
          </tr>
        </thead>
        <tbody>
          {traffic.map((t) => (
            <tr key={t.protocol}>
              <td className="mono small">{t.protocol}</td>
              <td className="num">{formatBytes(t.in)}</td>
              <td className="num">{formatBytes(t.out)}</td>
            </tr>
          ))}
          {traffic.length === 0 ? (
            <tr>
              <td colSpan={3} className="muted empty">
                Nothing sent or received yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

function StoreAndLatencies(props: { s: MetricsSnapshot | undefined }) {
  const store = byLabel(props.s, 'hashlock_store_bytes', 'domain');
  const latencies = latencyRows(props.s);
  return (
    <div className="panel flush" data-testid="node-store">
      <div className="panel-head">
        <h2>Store per domain</h2>
      </div>
      <table className="table">
        <tbody>
          {store.map((d) => (
            <tr key={d.key} data-testid={`node-store-${d.key}`}>
              <td>{d.key}</td>
              <td className="num">{formatBytes(d.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="panel-head">
        <h2>Latencies</h2>
      </div>
      <table className="table" data-testid="node-latencies">
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col" className="num">
              p50
            </th>
            <th scope="col" className="num">
              p90
            </th>
            <th scope="col" className="num">
              Seen
            </th>
          </tr>
        </thead>
        <tbody>
          {latencies.map((l) => (
            <tr key={`${l.metric} ${l.labels}`}>
              <td className="small">
                {LATENCY_WORDS[l.metric] ?? l.metric} {l.labels}
              </td>
              <td className="num">{formatSeconds(l.p50)}</td>
              <td className="num">{formatSeconds(l.p90)}</td>
              <td className="num">{l.count}</td>
            </tr>
          ))}
          {latencies.length === 0 ? (
            <tr>
              <td colSpan={4} className="muted empty">
                No orders or swaps seen yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

const LATENCY_WORDS: Record<string, string> = {
  hashlock_orders_propagation_seconds: 'Order propagation',
  hashlock_swaps_step_seconds: 'Swap step',
};

function Charts() {
  const api = useApi();
  const [range, setRange] = useState<HistoryRange>('1h');
  const history = useQuery(metricsQueries(api).history(range, HISTORY_NAMES));
  const points = history.data?.points ?? [];
  const to = history.dataUpdatedAt || Date.now();
  const { from } = timeAxis(points, to, RANGE_SEC[range] * 1000);
  const store = linesOf(points, 'hashlock_store_bytes', 'domain');
  const total = store.flatMap((l) => l.points);
  const growth = growthPerDay(
    [...new Set(total.map((p) => p.at))].map((at) => ({
      at,
      value: total.filter((p) => p.at === at).reduce((a, p) => a + p.value, 0),
    })),
  );
  const common = { from, to };
  return (
    <div className="panel stack" data-testid="node-charts">
      <div className="panel-head">
        <h2>History</h2>
        <div className="segmented" role="group" aria-label="Range">
          {(['1h', '24h', '30d'] as const).map((r) => (
            <button
              key={r}
              type="button"
              className={`btn btn-small${r === range ? ' btn-primary' : ''}`}
              aria-pressed={r === range}
              onClick={() => setRange(r)}
              data-testid={`node-range-${r}`}
            >
              {r}
            </button>
          ))}
        </div>
      </div>
      {history.isError ? <ErrorNote error={history.error} /> : null}
      <div className="chart-grid-2">
        <Chart
          title="Messages per second, per domain"
          lines={linesOf(points, 'hashlock_p2p_messages_received_total', 'domain', true)}
          format={(v) => v.toFixed(v < 10 ? 2 : 0)}
          testId="chart-messages"
          {...common}
        />
        <Chart
          title="Traffic per protocol (bytes/s)"
          lines={linesOf(points, 'hashlock_p2p_traffic_bytes_total', ['protocol', 'direction'], true)}
          format={(v) => `${formatBytes(v)}/s`}
          testId="chart-traffic"
          {...common}
        />
        <Chart
          title={`Store per domain${growth === undefined ? '' : ` (growing ${formatBytes(growth)}/day)`}`}
          lines={store}
          format={formatBytes}
          testId="chart-store"
          {...common}
        />
        <Chart
          title="Peers, and order propagation p50 (s)"
          lines={[
            ...linesOf(points, 'hashlock_p2p_peers'),
            ...linesOf(points, 'hashlock_orders_propagation_seconds', 'quantile').filter((l) => l.label === '0.5'),
          ].map((l) => ({ ...l, label: l.label === '0.5' ? 'propagation p50' : 'peers' }))}
          format={(v) => v.toFixed(v < 10 ? 1 : 0)}
          testId="chart-peers"
          {...common}
        />
      </div>
    </div>
  );
}

export function NodePage() {
  const api = useApi();
  const snapshot = useQuery(metricsQueries(api).snapshot());
  const s = snapshot.data;
  return (
    <section data-testid="node-dashboard">
      <PageHeader
        title="Node"
        description="What this node is doing: its peers, traffic, messages, store and latencies. Kept by the node itself; refreshes every 5 seconds."
      />
      {snapshot.isError ? <ErrorNote error={snapshot.error} /> : null}
      <div className="two-col">
        <Overview s={s} />
        <Peers s={s} />
      </div>
      <Charts />
      <Tables s={s} />
      <TokensPanel />
    </section>
  );
}
