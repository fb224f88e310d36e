// Order propagation over the real network: N node processes on loopback (real p2p hosts, real
// gossipsub, every announce validated by the real network book before it is listed), joined in a
// sparse random mesh so most orders cross several hops. One node publishes orders; the latency of
// an order at a node is the time it was listed there minus the time it was published (one machine,
// one clock). Reports median, p90, p99 and max over every (order, node) pair; writes
// bench/results/propagation.json.
//   npx node bench/propagation.bench.ts      or      npm run bench -- propagation
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../src-shared/orders/book-bench.ts';
import { BookProc } from './book-procs.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface PropagationOptions {
  nodes?: number;
  orders?: number;
  /** Time between two published orders. */
  gapMs?: number;
  /** Peers each new node dials among those started before it. */
  degree?: number;
  out?: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function run(opts: PropagationOptions = {}) {
  const n = opts.nodes ?? 20;
  const count = opts.orders ?? 100;
  const degree = opts.degree ?? 3;
  const random = seededRandom(7);
  const procs = Array.from({ length: n }, () => new BookProc());
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
    await publisher.call('publish', { count: 5, from: 1_000_000, gapMs: 50 }); // warm-up, not measured
    await new Promise((r) => setTimeout(r, 1000));
    const sent = await publisher.call<Array<{ id: string; t: number }>>('publish', {
      count,
      from: 1,
      gapMs: opts.gapMs ?? 100,
    });
    const receivers = procs.slice(1);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !sent.every((s) => receivers.every((r) => r.listed.has(s.id))))
      await new Promise((r) => setTimeout(r, 100));
    const latencies: number[] = [];
    let missing = 0;
    for (const s of sent) {
      for (const r of receivers) {
        const t = r.listed.get(s.id);
        if (t === undefined) missing++;
        else latencies.push(t - s.t);
      }
    }
    latencies.sort((a, b) => a - b);
    const result = {
      nodes: n,
      links,
      orders: count,
      pairs: sent.length * receivers.length,
      delivered: latencies.length,
      missing,
      latencyMs: {
        min: latencies[0] ?? null,
        median: percentile(latencies, 50),
        p90: percentile(latencies, 90),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? null,
      },
      measuredAt: new Date().toISOString(),
    };
    const out = opts.out ?? path.join(ROOT, 'bench', 'results', 'propagation.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    return {
      ...result,
      summary: {
        nodes: n,
        medianMs: result.latencyMs.median,
        p99Ms: result.latencyMs.p99,
        delivered: `${latencies.length}/${result.pairs}`,
      },
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run(), null, 2));
}
