// Order propagation over the real network: N node processes on loopback (real p2p hosts, real
// gossipsub, every announce validated by the real network book before it is listed), joined in a
// sparse random mesh so most orders cross several hops. One node publishes orders; the latency of
// an order at a node is the time it was listed there minus the time it was published (one machine,
// one clock). The baseline is raw gossipsub in the same processes and mesh: messages of an
// announce's size on a topic with no book and no validation beyond the host's own, paced the same.
// Each round runs both, back to back (the order alternates between rounds, so a load that drifts
// weighs on both alike), and reports each one's median, p90, p99 and max over every (message,
// node) pair and our/raw ratios; the load average is taken with every round, and the CPU time of
// every process during each pass. Writes bench/results/propagation.json.
// PROP_PROF=dir: every node writes a CPU profile there; PROP_NODE_ARGS adds node flags; PROP_ONLY=raw|announce runs one kind.
//   npx node bench/propagation.bench.ts [--nodes 8] [--rounds 1]      or      npm run bench -- propagation
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seededRandom } from '../src-shared/orders/book-bench.ts';
import { BookProc } from './book-procs.ts';
import { nodeArgsFromEnv } from './json-proc.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface PropagationOptions {
  nodes?: number;
  orders?: number;
  /** Time between two published orders. */
  gapMs?: number;
  /** Peers each new node dials among those started before it. */
  degree?: number;
  /** Rounds of raw baseline + our announces, back to back. */
  rounds?: number;
  out?: string;
}

type Kind = 'raw' | 'announce';

const round2 = (x: number) => Math.round(x * 100) / 100;
const loadavg = () => os.loadavg().map(round2);

/** Publishes `count` messages of `kind` from the first node and waits until every other node has each (15 s at most). */
async function pass(procs: BookProc[], kind: Kind, count: number, from: number, gapMs: number, bytes: number) {
  const cpu = async () => (await Promise.all(procs.map((p) => p.call<number>('cpu')))).reduce((a, b) => a + b, 0);
  // Orders are made before the pass (the raw pass makes nothing): neither its time nor its CPU counts.
  if (kind === 'announce') await procs[0]!.call('prepare', { count, from });
  const cpuBefore = await cpu();
  const sent = await procs[0]!.call<Array<{ id: string; t: number }>>(kind === 'raw' ? 'rawPublish' : 'publish', {
    count,
    from,
    gapMs,
    bytes,
  });
  const receivers = procs.slice(1);
  const got = (r: BookProc) => (kind === 'raw' ? r.raw : r.listed);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && !sent.every((s) => receivers.every((r) => got(r).has(s.id))))
    await new Promise((r) => setTimeout(r, 100));
  const latencies: number[] = [];
  let missing = 0;
  for (const s of sent) {
    for (const r of receivers) {
      const t = got(r).get(s.id);
      if (t === undefined) missing++;
      else latencies.push(t - s.t);
    }
  }
  // CPU of all the processes from the first publish until every node had every message (or the
  // deadline), the bench's polls of them included: how much work a message costs the whole mesh.
  const cpuMs = Math.round((await cpu()) - cpuBefore);
  latencies.sort((a, b) => a - b);
  return {
    pairs: sent.length * receivers.length,
    cpuMs,
    delivered: latencies.length,
    missing,
    latencyMs: {
      min: latencies[0] ?? null,
      median: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? null,
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function run(opts: PropagationOptions = {}) {
  const n = opts.nodes ?? 20;
  const count = opts.orders ?? 100;
  const degree = opts.degree ?? 3;
  const gapMs = opts.gapMs ?? 100;
  const rounds = opts.rounds ?? 3;
  const random = seededRandom(7);
  const procs = Array.from(
    { length: n },
    // PROP_PROF=dir: CPU profiles of every node there; PROP_NODE_ARGS='--flag …'.
    () => new BookProc(nodeArgsFromEnv('PROP_PROF', 'PROP_NODE_ARGS')),
  );
  try {
    await Promise.all(procs.map((p) => p.ready()));
    let links = 0;
    for (let i = 1; i < n; i++) {
      const targets = new Set<number>();
      while (targets.size < Math.min(degree, i)) targets.add(Math.floor(random() * i));
      for (const t of targets) {
        await procs[i]!.call('dial', { addr: procs[t]!.addrs[0] });
        links++;
      }
    }
    // gossipsub builds its meshes on heartbeats (1 s): let a few pass.
    await new Promise((r) => setTimeout(r, 4000));
    const publisher = procs[0]!;
    const bytes = await publisher.call<number>('announceBytes');
    // Warm-up of both paths, not measured.
    await publisher.call('publish', { count: 5, from: 1_000_000, gapMs: 50 });
    await publisher.call('rawPublish', { count: 5, from: 1_000_000, gapMs: 50, bytes });
    await new Promise((r) => setTimeout(r, 1000));
    const results = [];
    for (let r = 0; r < rounds; r++) {
      const loadBefore = loadavg();
      // PROP_ONLY=raw|announce runs one kind only, to profile one against the other (PROP_PROF); its
      // figures then fill both columns of a round.
      const only = process.env.PROP_ONLY as Kind | undefined;
      const order: Kind[] = only ? [only] : r % 2 === 0 ? ['raw', 'announce'] : ['announce', 'raw'];
      const byKind: Partial<Record<Kind, Awaited<ReturnType<typeof pass>>>> = {};
      for (const kind of order) byKind[kind] = await pass(procs, kind, count, 1 + r * count, gapMs, bytes);
      const raw = byKind.raw ?? byKind.announce!;
      const ours = byKind.announce ?? byKind.raw!;
      results.push({
        round: r + 1,
        first: order[0],
        raw,
        announce: ours,
        ratio: {
          median: raw.latencyMs.median > 0 ? round2(ours.latencyMs.median / raw.latencyMs.median) : null,
          p99: raw.latencyMs.p99 > 0 ? round2(ours.latencyMs.p99 / raw.latencyMs.p99) : null,
        },
        loadavgBefore: loadBefore,
        loadavgAfter: loadavg(),
      });
    }
    const result = {
      nodes: n,
      links,
      messages: count,
      gapMs,
      bytes,
      cpus: os.cpus().length,
      rounds: results,
      measuredAt: new Date().toISOString(),
    };
    const out = opts.out ?? path.join(ROOT, 'bench', 'results', 'propagation.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    return {
      ...result,
      summary: results.map((x) => ({
        round: x.round,
        rawMs: [x.raw.latencyMs.median, x.raw.latencyMs.p99],
        oursMs: [x.announce.latencyMs.median, x.announce.latencyMs.p99],
        ratio: [x.ratio.median, x.ratio.p99],
        cpuMs: { raw: x.raw.cpuMs, ours: x.announce.cpuMs },
        delivered: `${x.raw.delivered}/${x.raw.pairs} raw, ${x.announce.delivered}/${x.announce.pairs} ours`,
        loadavg: x.loadavgAfter,
      })),
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { nodes: { type: 'string' }, rounds: { type: 'string' }, out: { type: 'string' } },
  });
  const r = await run({
    ...(values.nodes ? { nodes: Number(values.nodes) } : {}),
    ...(values.rounds ? { rounds: Number(values.rounds) } : {}),
    ...(values.out ? { out: values.out } : {}),
  });
  console.log(JSON.stringify(r.summary, null, 2));
}
