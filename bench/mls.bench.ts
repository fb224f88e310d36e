// What removing one member from a 200-member community costs (docs/communities.md §9, §17): the
// removal commit's size, the time the committer needs to make it, and the time each remaining
// member needs to process it (ts-mls 1.6.4, suite 0x0001, WebCrypto, with our authorisation and
// binding checks). Members each run on their own machine, so the per-member time is the latency;
// the total is the CPU the whole group spends. A sample of members is measured (all with --all).
// Writes bench/results/mls.json and prints it.
//   npx node bench/mls.bench.ts [--all] [--noble] [--members 200]      or      npm run bench -- mls
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { nobleCryptoProvider } from 'ts-mls';
import { fileURLToPath } from 'node:url';
import { encodeEnvelope } from '../src-shared/communities/envelope.ts';
import { b64, topicOf } from '../src-shared/communities/ids.ts';
import {
  commit,
  createGroup,
  createMlsContext,
  descriptorOf,
  encrypt,
  joinFromWelcome,
  members,
  receive,
  serializeGroup,
  tagOf,
} from '../src-shared/communities/mls.ts';
import type { Group } from '../src-shared/communities/mls.ts';
import { descriptorFor, device, identity, T0 } from '../src-shared/communities/testkit.ts';
import type { TestDevice } from '../src-shared/communities/testkit.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface MlsBenchOptions {
  /** Group size, owner included. */
  members?: number;
  /** How many remaining members process the commit (spread over the tree); all when undefined and `all`. */
  sample?: number;
  all?: boolean;
  /** ts-mls's crypto provider: WebCrypto (the default) or @noble/* (synchronous, pure JS). */
  provider?: 'webcrypto' | 'noble';
  out?: string;
}

interface Stats {
  mean: number;
  median: number;
  p95: number;
  max: number;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const r = r1;
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return {
    mean: r(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
    median: r(at(0.5)),
    p95: r(at(0.95)),
    max: r(s[s.length - 1] ?? 0),
  };
}

/**
 * Wall and CPU time of one step. CPU time (the whole process, WebCrypto's threads included) is the
 * figure to compare across runs: on a shared machine wall time mostly measures the neighbours.
 */
async function timed<T>(f: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const value = await f();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
}
const r1 = (x: number) => Math.round(x * 10) / 10;

export async function run(opts: MlsBenchOptions = {}) {
  const size = opts.members ?? 200;
  const sample = opts.all ? size - 2 : Math.min(opts.sample ?? 20, size - 2);
  const provider = opts.provider ?? 'webcrypto';
  const ctx = await createMlsContext(provider === 'noble' ? nobleCryptoProvider : undefined);

  const setup = await timed(async () => {
    const owner = await device(ctx, identity('bench-owner'));
    const others: TestDevice[] = [];
    for (let i = 1; i < size; i++) others.push(await device(ctx, identity(`bench-member-${i}`)));
    return { owner, others };
  });
  const { owner, others } = setup.value;

  const addAll = await timed(async () => {
    const group0 = await createGroup(ctx, {
      descriptor: await descriptorFor(owner.who, { name: 'Bench' }),
      own: owner.bundle,
    });
    return commit(ctx, group0, { add: others.map((d) => d.bundle.publicPackage) }, T0);
  });
  const added = addAll.value;
  let ownerGroup = added.group;

  // The member to remove sits in the middle of the tree; the sample is spread over the rest.
  const victim = Math.floor(size / 2);
  const step = (size - 2) / sample;
  const sampled = Array.from({ length: sample }, (_, k) => {
    const i = 1 + Math.floor(k * step);
    return i >= victim ? i + 1 : i;
  });
  const joins: { wallMs: number; cpuMs: number }[] = [];
  const groups = new Map<number, Group>();
  for (const i of [...sampled, victim]) {
    const j = await timed(() => joinFromWelcome(ctx, added.welcome!, others[i - 1]!.bundle));
    groups.set(i, j.value);
    if (i !== victim) joins.push(j);
  }

  const leaf = members(ownerGroup).find((m) => m.did === others[victim - 1]!.who.did)!.leaf;
  const create = await timed(() => commit(ctx, ownerGroup, { remove: [leaf] }, T0));
  const removal = create.value;
  ownerGroup = removal.group;

  const processing: { wallMs: number; cpuMs: number }[] = [];
  for (const i of sampled) {
    const p = await timed(() => receive(ctx, groups.get(i)!, removal.commit, T0));
    processing.push(p);
    const r = p.value;
    if (r.kind !== 'commit' || tagOf(r.group.state) !== removal.tag)
      throw new Error(`member ${i} did not follow the removal`);
    groups.set(i, r.group);
  }
  // The removed member reads nothing sent after.
  const after = await encrypt(ctx, ownerGroup, new TextEncoder().encode('after the removal'));
  const removed = await receive(ctx, groups.get(victim)!, removal.commit, T0);
  const leaked = await receive(ctx, removed.group, after.message, T0);
  if (leaked.kind === 'message') throw new Error('the removed member read a message sent after its removal');

  const topic = topicOf(descriptorOf(ownerGroup).descriptor.id);
  const envelope = encodeEnvelope({
    v: 1,
    topic,
    kind: 'commit',
    epoch: '1',
    branch: removal.ref.parent,
    body: b64.encode(removal.commit),
  });
  const cpu = stats(processing.map((p) => p.cpuMs));
  const wall = stats(processing.map((p) => p.wallMs));
  const result = {
    suite: 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519',
    library: 'ts-mls 1.6.4',
    provider,
    members: size,
    removal: {
      commitBytes: removal.commit.length,
      envelopeBytes: envelope.length,
      create: { cpuMs: r1(create.cpuMs), wallMs: r1(create.wallMs) },
      processPerMember: { cpuMs: cpu, wallMs: wall },
      measuredMembers: processing.length,
      /** The CPU all remaining members spend together: mean per member × their number. */
      processAllMembersCpuMs: Math.round(cpu.mean * (size - 2)),
    },
    setup: {
      devicesAndKeyPackages: { cpuMs: Math.round(setup.cpuMs), wallMs: Math.round(setup.wallMs) },
      addAllCommit: { cpuMs: Math.round(addAll.cpuMs), wallMs: Math.round(addAll.wallMs), bytes: added.commit.length },
      welcomeBytes: added.welcome!.length,
      joinPerMember: { cpuMs: stats(joins.map((j) => j.cpuMs)), wallMs: stats(joins.map((j) => j.wallMs)) },
      ownerStateBytes: serializeGroup(ownerGroup).length,
    },
    measuredAt: new Date().toISOString(),
  };
  const out = opts.out ?? path.join(ROOT, 'bench', 'results', 'mls.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  return {
    ...result,
    summary: {
      commitBytes: result.removal.commitBytes,
      createCpuMs: result.removal.create.cpuMs,
      processCpuMsPerMember: cpu.mean,
      processAllMembersCpuMs: result.removal.processAllMembersCpuMs,
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const n = args.indexOf('--members');
  await run({
    all: args.includes('--all'),
    ...(args.includes('--noble') ? { provider: 'noble' as const } : {}),
    ...(n >= 0 ? { members: Number(args[n + 1]) } : {}),
    out: path.join(ROOT, 'bench', 'results', args.includes('--noble') ? 'mls-noble.json' : 'mls.json'),
  });
}
