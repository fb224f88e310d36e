// Communities over the real network and the catch-up path (docs/communities.md §18):
//  - delivery: N bench/community-node.ts processes on loopback (real libp2p and gossipsub, the
//    real communities node) in a sparse random mesh, all in one community; one member sends
//    messages; send → shown latency at every other member (one machine, one clock), and the same
//    for bare gossipsub messages of the same size on a topic of their own, in the same run.
//  - catch-up: a member offline while another sends M messages (1,000 and 10,000) comes back and
//    reads them all from the other member (in-process network: the real catch-up, ingest and
//    decryption code), with the node's synchronous MLS provider and, as the baseline, WebCrypto.
//    `--no-delivery` runs the catch-ups only.
// Writes bench/results/communities.json.   npm run bench -- communities
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCryptoProvider } from 'ts-mls';
import { createTestNet, eventually, testNode } from '../src-main/communities/testkit.ts';
import { seededRandom } from '../src-shared/orders/book-bench.ts';
import { JsonProc, type Line } from './json-proc.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A bench/community-node.ts process: when it showed each message (or received it raw). */
class CmProc extends JsonProc {
  /** text → when this process showed it (or received it raw). */
  readonly shown = new Map<string, number>();

  constructor(name: string) {
    // BENCH_CM_NODE_PROF=<dir>: a --cpu-prof profile of every node process, written there when it stops.
    const prof = process.env.BENCH_CM_NODE_PROF;
    super(
      {
        script: path.join(import.meta.dirname, 'community-node.ts'),
        args: [name],
        ...(prof ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${prof}`] } : {}),
      },
      name,
    );
  }

  protected override onEvent(m: Line): void {
    if (m.event === 'shown' || m.event === 'raw') this.shown.set(m.text as string, m.t as number);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function latencies(sent: Array<{ text: string; t: number }>, receivers: CmProc[]) {
  const all: number[] = [];
  let missing = 0;
  for (const s of sent)
    for (const r of receivers) {
      const t = r.shown.get(s.text);
      if (t === undefined) missing++;
      else all.push(t - s.t);
    }
  all.sort((a, b) => a - b);
  return {
    pairs: sent.length * receivers.length,
    missing,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    max: all.at(-1) ?? null,
  };
}

async function settle(sent: Array<{ text: string }>, receivers: CmProc[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !sent.every((s) => receivers.every((r) => r.shown.has(s.text))))
    await new Promise((r) => setTimeout(r, 100));
}

export async function runDelivery(o: { nodes?: number; messages?: number; gapMs?: number; degree?: number } = {}) {
  const n = o.nodes ?? 20;
  // Paced within the product's rate rule for one member (rate.ts: 30 posts burst, then 1 a second):
  // faster, members hide the surplus and score the sender, and the run measures the flood rule.
  const count = o.messages ?? 50;
  const gapMs = o.gapMs ?? 500;
  const random = seededRandom(11);
  const procs = Array.from({ length: n }, (_, i) => new CmProc(i === 0 ? 'owner' : `m${i}`));
  try {
    await Promise.all(procs.map((p) => p.ready()));
    let links = 0;
    for (let i = 1; i < n; i++) {
      const targets = new Set<number>();
      while (targets.size < Math.min(o.degree ?? 3, i)) targets.add(Math.floor(random() * i));
      for (const t of targets) {
        await procs[i]!.call('dial', { addr: procs[t]!.addrs[0] });
        links++;
      }
    }
    const owner = procs[0]!;
    const joinStart = performance.now();
    const { id } = await owner.call<{ id: string }>('create', { name: 'Bench' });
    for (const p of procs.slice(1)) {
      const { link } = await owner.call<{ link: string }>('invite', { community: id });
      await p.call('join', { link });
    }
    const joinMs = performance.now() - joinStart;
    // Every member sees everyone before the measured part.
    for (const p of procs) {
      const until = Date.now() + 120_000;
      while ((await p.call<number>('members', { community: id })) !== n) {
        if (Date.now() > until) throw new Error(`${p.peerId} does not see ${n} members`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const receivers = procs.slice(1);
    await owner.call('sendMany', { community: id, count: 3, gapMs: 50, prefix: 'warm-' });
    await new Promise((r) => setTimeout(r, 1500));
    const sent = await owner.call<Array<{ text: string; t: number }>>('sendMany', {
      community: id,
      count,
      gapMs,
      prefix: 'msg-',
    });
    await settle(sent, receivers, 20_000);
    const community = latencies(sent, receivers);

    const topic = 'hashlock/bench/raw/1';
    await Promise.all(receivers.map((p) => p.call('rawSub', { topic })));
    await owner.call('rawSub', { topic });
    await new Promise((r) => setTimeout(r, 3000));
    // The same payload size as a padded community message (1 KiB bucket plus framing).
    const raw = await owner.call<Array<{ text: string; t: number }>>('rawPub', {
      topic,
      count,
      gapMs,
      prefix: 'raw-',
      bytes: 1400,
    });
    await settle(raw, receivers, 20_000);
    const gossip = latencies(raw, receivers);
    return {
      nodes: n,
      links,
      messages: count,
      gapMs,
      joinAllMs: Math.round(joinMs),
      community,
      rawGossipsub: gossip,
      ratio: {
        p50: gossip.p50 > 0 ? +(community.p50 / gossip.p50).toFixed(2) : null,
        p99: gossip.p99 > 0 ? +(community.p99 / gossip.p99).toFixed(2) : null,
      },
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
  }
}

/** The returning member's MLS primitives: the node's synchronous provider, or ts-mls's WebCrypto one (the old path). */
type ProviderName = 'sync' | 'webcrypto';

/**
 * With BENCH_CM_PROFILE=<dir>, a CPU profile of each catch-up alone (from the member's return to the
 * last message read; both nodes and the polling are in it) is written there as <name>.cpuprofile.
 */
async function startProfile() {
  const dir = process.env.BENCH_CM_PROFILE;
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async save(name: string) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    },
  };
}

export async function runCatchUp(
  o: { messages?: number; deadlineMs?: number; provider?: ProviderName; fileStore?: boolean } = {},
) {
  const m = o.messages ?? 10_000;
  const provider = o.provider ?? 'sync';
  const store = o.fileStore ? 'file' : 'memory';
  const net = createTestNet();
  const [alice, bob] = await Promise.all([
    testNode(net, 'alice'),
    testNode(net, 'bob', {
      ...(provider === 'webcrypto' ? { mlsProvider: defaultCryptoProvider } : {}),
      fileStore: o.fileStore ?? false,
    }),
  ]);
  try {
    net.connect(alice.peerId, bob.peerId);
    net.connect(bob.peerId, alice.peerId);
    const c = await alice.node.handlers['communities.create']({ name: 'Catch-up' });
    const { link } = await alice.node.handlers['communities.invite']({ id: c.id });
    await bob.node.handlers['communities.join']({ link });
    await eventually(
      async () => (await bob.node.handlers['communities.get']({ id: c.id })).state === 'joined',
      'joined',
    );
    net.setOnline(bob.peerId, false);
    const sendStart = performance.now();
    for (let i = 0; i < m; i++)
      await alice.node.handlers['communities.send']({ id: c.id, channel: 'general', text: `offline ${i}` });
    const sendMs = performance.now() - sendStart;
    // Caught up: every message fetched, decrypted, verified and stored (a count in the member's
    // database, cheap enough to ask every 25 ms). The unread count the UI reads (the timeline built
    // over all of them) confirms it at the end, with its own time.
    const stored = () => bob.node.env.repo.messages.count(c.id);
    const count = async () =>
      (await bob.node.handlers['communities.messages']({ id: c.id, channel: 'general', limit: 1 })).unread;
    const profiler = await startProfile();
    const loadBefore = loadavg();
    const start = performance.now();
    const cpu = process.cpuUsage();
    net.setOnline(bob.peerId, true);
    // Progress is recorded rather than a timeout thrown: a slow catch-up is a result too.
    const progress: Array<{ ms: number; read: number }> = [];
    const deadline = start + (o.deadlineMs ?? 600_000);
    let read = 0;
    while (read < m && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      read = stored();
      const ms = Math.round(performance.now() - start);
      if (progress.length === 0 || ms - progress.at(-1)!.ms >= 5000 || read >= m) progress.push({ ms, read });
    }
    const catchUpMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const unread = await count();
    const shownMs = performance.now() - start;
    await profiler?.save(`catchup-${m}-${provider}-${store}`);
    // Both nodes run in this process: CPU time is the serving member's and the returning one's
    // together (and excludes WebCrypto's thread pool); wall time on a loaded machine is far above it.
    return {
      provider,
      /** The returning member's database: in memory, or a file as in the app (WAL, synchronous = FULL). */
      store,
      messages: m,
      sendAllMs: Math.round(sendMs),
      read,
      /** The unread count the conversation shows once caught up (the timeline over every message). */
      unread,
      complete: read >= m && unread >= m,
      catchUpMs: Math.round(catchUpMs),
      /** Until that count was read: the timeline built over all of them on top of the catch-up. */
      shownMs: Math.round(shownMs),
      msgsPerSecond: Math.round(read / (catchUpMs / 1000)),
      catchUpCpuMs: Math.round((used.user + used.system) / 1000),
      targetMs: 5000,
      progress,
      /** os.loadavg() (1, 5, 15 min) when the catch-up started and when it ended: the machine is shared. */
      loadAverage: { before: loadBefore, after: loadavg() },
    };
  } finally {
    await Promise.all([alice.stop(), bob.stop()]);
  }
}

/**
 * Catch-ups of each size, the node's provider and, as the baseline in the same process, ts-mls's
 * WebCrypto provider (the old path; the timeline and store changes apply to both). BENCH_CM_MESSAGES
 * (comma list) sets the sizes; BENCH_CM_BASELINE=0 leaves the baseline out; the first size runs once
 * more with the returning member's database in a file (BENCH_CM_FILE=0 leaves that out).
 */
export async function runCatchUps() {
  const sizes = (process.env.BENCH_CM_MESSAGES ?? '1000,10000').split(',').map(Number);
  const providers: ProviderName[] = process.env.BENCH_CM_BASELINE === '0' ? ['sync'] : ['sync', 'webcrypto'];
  const runs = [];
  for (const messages of sizes)
    for (const provider of providers)
      runs.push(await runCatchUp({ messages, provider, deadlineMs: provider === 'sync' ? 600_000 : 180_000 }));
  // The same with the returning member's database on disk, as in the app.
  if (process.env.BENCH_CM_FILE !== '0')
    runs.push(await runCatchUp({ messages: sizes[0] ?? 1000, provider: 'sync', fileStore: true }));
  return runs;
}

export async function run() {
  const args = process.argv.slice(2);
  const delivery = args.includes('--no-delivery') ? null : await runDelivery();
  const catchUp = await runCatchUps();
  const result = {
    at: new Date().toISOString(),
    delivery,
    catchUp,
    removal: 'bench/results/mls.json (npm run bench -- mls)',
  };
  await mkdir(path.join(ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(path.join(ROOT, 'bench', 'results', 'communities.json'), `${JSON.stringify(result, null, 2)}\n`);
  return {
    ...result,
    summary: {
      deliveryP50: delivery?.community.p50,
      deliveryP99: delivery?.community.p99,
      ratioP99: delivery?.ratio.p99,
      catchUp: catchUp.map((c) => ({
        provider: c.provider,
        store: c.store,
        messages: c.messages,
        read: c.read,
        ms: c.catchUpMs,
        shownMs: c.shownMs,
        msgsPerSecond: c.msgsPerSecond,
        load: c.loadAverage.before[0],
      })),
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await run(), null, 2));
