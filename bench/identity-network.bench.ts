// The identity registry over the real network, in separate processes (bench/identity-node.ts):
//  - propagation: N nodes in a sparse random mesh; one publishes profiles; the latency at a node is
//    when it stored the profile minus when it was published (one machine, one clock);
//  - catch-up: a node serving 100,000 profiles, a new node joins: time until it holds them all, and
//    the bytes it moved against the records' own size;
//  - resolution: time of the DID resolution route on the node with 100,000 profiles.
// The machine is shared, so the load average is recorded next to every result.
// Writes bench/results/identity-network.json.   npm run bench -- identity-network
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { bytesToHex } from '@noble/hashes/utils.js';
import { recordIdOf } from '../src-shared/identity/records.ts';
import { seededRandom } from '../src-shared/orders/book-bench.ts';
import { JsonProc, nodeArgsFromEnv, type Line } from './json-proc.ts';
import { benchProfile } from './identity-node.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE_SCRIPT = path.join(import.meta.dirname, 'identity-node.ts');

/** A bench/identity-node.ts process: when it first stored each DID's profile. */
class IdentityProc extends JsonProc {
  readonly stored = new Map<string, number>();

  constructor(opts: { verifyThreads?: number } = {}) {
    super({
      script: NODE_SCRIPT,
      args: [JSON.stringify(opts)],
      // IDENTITY_BENCH_PROF=dir: CPU profiles of every node there; IDENTITY_BENCH_NODE_ARGS='--flag …'.
      nodeArgs: nodeArgsFromEnv('IDENTITY_BENCH_PROF', 'IDENTITY_BENCH_NODE_ARGS'),
      what: 'identity bench node',
      stopGraceMs: 10_000,
    });
  }

  protected override onEvent(m: Line): void {
    if (m.event === 'stored' && !this.stored.has(m.did as string)) this.stored.set(m.did as string, m.t as number);
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const load = () => os.loadavg().map((x) => Math.round(x * 100) / 100);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function propagation(n: number, count: number, degree: number) {
  const random = seededRandom(11);
  const procs = Array.from({ length: n }, () => new IdentityProc({ verifyThreads: 0 }));
  try {
    await Promise.all(procs.map((p) => p.ready()));
    for (let i = 1; i < n; i++) {
      const targets = new Set<number>();
      while (targets.size < Math.min(degree, i)) targets.add(Math.floor(random() * i));
      for (const t of targets) await procs[i]!.call('dial', { addr: procs[t]!.addrs[0] });
    }
    await sleep(4000); // gossipsub meshes form on heartbeats
    await Promise.all(procs.map((p) => p.call('watch', { on: true })));
    const publisher = procs[0]!;
    await publisher.call('publish', { count: 3, from: 9_000_000, gapMs: 50 }); // warm-up
    await sleep(1000);
    const loadBefore = load();
    const sent = await publisher.call<Array<{ did: string; t: number }>>('publish', { count, from: 1, gapMs: 100 });
    const receivers = procs.slice(1);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !sent.every((s) => receivers.every((r) => r.stored.has(s.did)))) await sleep(100);
    const latencies: number[] = [];
    let missing = 0;
    for (const s of sent) {
      for (const r of receivers) {
        const at = r.stored.get(s.did);
        if (at === undefined) missing++;
        else latencies.push(at - s.t);
      }
    }
    latencies.sort((a, b) => a - b);
    return {
      nodes: n,
      profiles: count,
      degree,
      pairs: latencies.length,
      missing,
      p50Ms: percentile(latencies, 50),
      p90Ms: percentile(latencies, 90),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies[latencies.length - 1] ?? null,
      loadAverage: { before: loadBefore, after: load() },
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
  }
}

/** 100,000 signed profiles, made once (signing takes minutes) and kept in the temp directory. */
export async function fixture(count: number): Promise<string> {
  const file = path.join(os.tmpdir(), `hashlock-identity-bench-${count}.jsonl`);
  if (existsSync(file)) return file;
  const threads = Math.max(1, Math.min(4, os.cpus().length));
  const per = Math.ceil(count / threads);
  const parts = await Promise.all(
    Array.from(
      { length: threads },
      (_, i) =>
        new Promise<string>((resolve, reject) => {
          const w = new Worker(new URL(import.meta.url), {
            workerData: { from: i * per, to: Math.min(count, (i + 1) * per) },
          });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  writeFileSync(file, parts.join(''));
  return file;
}

if (!isMainThread) {
  const { from, to } = workerData as { from: number; to: number };
  let out = '';
  for (let n = from; n < to; n++) {
    const iat = 1_750_000_000_000 + n * 7;
    const p = benchProfile(n, iat);
    const line = {
      content: p.content,
      key: bytesToHex(p.key),
      did: p.did,
      iat,
      id: recordIdOf(p.content),
      name: `bench trader ${n}`,
    };
    out += `${JSON.stringify(line)}\n`;
  }
  parentPort!.postMessage(out);
}

interface Cpu {
  userMs: number;
  systemMs: number;
}
const cpuDelta = (a: Cpu, b: Cpu) => ({
  user: Math.round(b.userMs - a.userMs),
  system: Math.round(b.systemMs - a.systemMs),
});

async function catchUp(count: number, threads: number) {
  const file = await fixture(count);
  const big = new IdentityProc({ verifyThreads: 0 });
  const joiner = new IdentityProc({ verifyThreads: threads });
  try {
    await Promise.all([big.ready(), joiner.ready()]);
    const seeded = await big.call<{ records: number; ms: number }>('seed', { file });
    const resolveTimes = (await big.call<number[]>('resolve', { samples: 2000 })).sort((a, b) => a - b);
    const loadBefore = load();
    const cpuBefore = await Promise.all([big.call<Cpu>('cpu'), joiner.call<Cpu>('cpu')]);
    const started = Date.now();
    await joiner.call('dial', { addr: big.addrs[0] });
    // The end is read from the joiner's count of stored records every 25 ms (a table count each
    // time would cost it more than the poll gains), then checked against its table.
    let ms = 0;
    while (Date.now() - started < 600_000) {
      const { changes } = await joiner.call<{ changes: number }>('changes');
      ms = Date.now() - started;
      if (changes >= seeded.records) break;
      await sleep(25);
    }
    const records = (await joiner.call<{ records: number }>('count')).records;
    const cpuAfter = await Promise.all([big.call<Cpu>('cpu'), joiner.call<Cpu>('cpu')]);
    const bytes = await joiner.call<{ out: number; in: number; requests: number }>('bytes');
    const recordBytes = (await import('node:fs')).statSync(file).size; // upper bound: lines carry more than the records
    const contentBytes = await contentSize(file);
    return {
      catchUp: {
        profiles: seeded.records,
        stored: records,
        verifyThreads: threads,
        ms,
        bytesOut: bytes.out,
        bytesIn: bytes.in,
        requests: bytes.requests,
        recordsBytes: contentBytes,
        ratioToRecords: Math.round(((bytes.out + bytes.in) / contentBytes) * 1000) / 1000,
        fixtureFileBytes: recordBytes,
        // CPU time each process spent during the join (all threads; the poll included).
        cpuMs: { server: cpuDelta(cpuBefore[0], cpuAfter[0]), joiner: cpuDelta(cpuBefore[1], cpuAfter[1]) },
        loadAverage: { before: loadBefore, after: load() },
      },
      resolution: {
        profilesStored: seeded.records,
        samples: resolveTimes.length,
        p50Ms: Math.round(percentile(resolveTimes, 50) * 1000) / 1000,
        p99Ms: Math.round(percentile(resolveTimes, 99) * 1000) / 1000,
        loadAverage: load(),
      },
    };
  } finally {
    await Promise.all([big.stop(), joiner.stop()]);
  }
}

async function contentSize(file: string): Promise<number> {
  const { readFileSync } = await import('node:fs');
  let total = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line) total += (JSON.parse(line) as { content: string }).content.length;
  }
  return total;
}

export async function run(
  opts: {
    nodes?: number;
    profiles?: number;
    catchUpProfiles?: number;
    only?: 'propagation' | 'catch-up';
    out?: string;
  } = {},
) {
  // IDENTITY_BENCH_ONLY=propagation|catch-up (npm run bench passes no options) runs one part and
  // keeps the other part's last result in the file.
  const only = opts.only ?? (process.env.IDENTITY_BENCH_ONLY as 'propagation' | 'catch-up' | undefined);
  const out = opts.out ?? path.join(ROOT, 'bench', 'results', 'identity-network.json');
  const previous = only && existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
  const result = {
    machine: { cpus: os.cpus().length, node: process.version },
    propagation:
      only === 'catch-up'
        ? ((previous.propagation ?? null) as Awaited<ReturnType<typeof propagation>> | null)
        : await propagation(opts.nodes ?? 20, opts.profiles ?? 50, 3),
    ...(only === 'propagation'
      ? {
          catchUp: (previous.catchUp ?? null) as Awaited<ReturnType<typeof catchUp>>['catchUp'] | null,
          resolution: (previous.resolution ?? null) as Awaited<ReturnType<typeof catchUp>>['resolution'] | null,
        }
      : await catchUp(opts.catchUpProfiles ?? 100_000, 2)),
  };
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  return {
    ...result,
    summary: {
      propagationP50Ms: result.propagation?.p50Ms,
      propagationP99Ms: result.propagation?.p99Ms,
      propagationMissing: result.propagation?.missing,
      catchUpMs: result.catchUp?.ms,
      catchUpStored: result.catchUp?.stored,
      catchUpRatio: result.catchUp?.ratioToRecords,
      catchUpCpuMs: result.catchUp?.cpuMs,
      catchUpLoad: result.catchUp?.loadAverage,
      resolutionP50Ms: result.resolution?.p50Ms,
    },
  };
}

if (isMainThread && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  console.log(
    JSON.stringify(
      await run({ nodes: arg('nodes'), profiles: arg('profiles'), catchUpProfiles: arg('catch-up') }),
      null,
      2,
    ),
  );
}
