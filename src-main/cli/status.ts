// `hashlock node status`: the essentials of the node dashboard as text, like bitcoin-cli's
// getnetworkinfo: who the node is, its peers and their scores, traffic, messages per domain,
// store size per domain, latencies. Pure formatting of node.info and metrics.snapshot.
import type { Result } from '../../src-shared/api/contract.ts';
import type { MetricFamily } from '../../src-shared/metrics/model.ts';

type Info = Result<'node.info'>;
type Snapshot = Result<'metrics.snapshot'>;

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

function family(s: Snapshot, name: string): MetricFamily | undefined {
  return s.families.find((f) => f.name === name);
}

function plain(f: MetricFamily | undefined): Array<{ labels: Record<string, string>; value: number }> {
  return (f?.series ?? []).filter((x) => x.suffix === undefined);
}

export function formatStatus(info: Info, s: Snapshot): string {
  const out: string[] = [];
  const one = (name: string) => plain(family(s, name))[0]?.value;
  out.push(`Hashlock ${info.version} on ${info.network} (${info.role}), up ${info.uptimeSec} s`);
  out.push(`peer id   ${info.peerId}`);
  const cpu = one('hashlock_process_cpu_seconds_total');
  const rss = one('hashlock_process_resident_memory_bytes');
  out.push(
    `process   cpu ${cpu === undefined ? '?' : cpu.toFixed(1)} s, memory ${rss === undefined ? '?' : formatBytes(rss)}`,
  );
  out.push(
    `sampling  ${s.sampling.enabled ? `every ${s.sampling.intervalSec} s` : 'off'} (history for the dashboard's charts)`,
  );
  out.push('', `peers (${s.peers.length}; ban at ${s.banThreshold} points)`);
  for (const p of [...s.peers].sort((a, b) => b.score - a.score).slice(0, 20)) {
    const rtt = p.latencyMs === undefined ? '' : `  ${Math.round(p.latencyMs)} ms`;
    out.push(`  ${p.peerId}  ${p.direction ?? ''}  score ${p.score.toFixed(1)}${rtt}`);
  }
  out.push('', 'traffic (payload bytes since start)');
  const traffic = new Map<string, { in: number; out: number }>();
  for (const x of plain(family(s, 'hashlock_p2p_traffic_bytes_total'))) {
    const t = traffic.get(x.labels.protocol ?? '?') ?? { in: 0, out: 0 };
    if (x.labels.direction === 'in') t.in += x.value;
    else t.out += x.value;
    traffic.set(x.labels.protocol ?? '?', t);
  }
  for (const [protocol, t] of [...traffic].sort()) {
    out.push(`  ${protocol.padEnd(36)} in ${formatBytes(t.in).padStart(10)}  out ${formatBytes(t.out).padStart(10)}`);
  }
  out.push('', 'messages received per domain');
  for (const x of plain(family(s, 'hashlock_p2p_messages_received_total')))
    out.push(`  ${(x.labels.domain ?? '?').padEnd(16)} ${x.value}`);
  out.push('', 'store per domain');
  const store = plain(family(s, 'hashlock_store_bytes')).sort((a, b) => b.value - a.value);
  for (const x of store) out.push(`  ${(x.labels.domain ?? '?').padEnd(16)} ${formatBytes(x.value)}`);
  const file = one('hashlock_store_file_bytes');
  if (file !== undefined) out.push(`  ${'file'.padEnd(16)} ${formatBytes(file)}`);
  const latencies = s.families.filter((f) => f.type === 'summary');
  if (latencies.length > 0) out.push('', 'latencies (p50 / p90, seconds)');
  for (const f of latencies) {
    const groups = new Map<string, Record<string, number>>();
    for (const x of f.series) {
      if (x.suffix !== undefined || x.labels.quantile === undefined) continue;
      const { quantile, ...rest } = x.labels;
      const key = Object.values(rest).join(' ');
      groups.set(key, { ...groups.get(key), [quantile]: x.value });
    }
    for (const [key, q] of groups) {
      out.push(`  ${`${f.name} ${key}`.padEnd(48)} ${q['0.5']?.toFixed(3) ?? '?'} / ${q['0.9']?.toFixed(3) ?? '?'}`);
    }
  }
  const gauges = s.families.filter((f) => f.name.startsWith('hashlock_servicenode_'));
  if (gauges.length > 0) out.push('', 'service node');
  for (const f of gauges)
    for (const x of plain(f)) out.push(`  ${f.name} ${Object.values(x.labels).join(' ')} ${x.value}`);
  return out.join('\n');
}
