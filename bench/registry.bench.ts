// The content registry's measurements (docs/registry.md §10): hashing throughput of local content
// on one core (read + SHA-512, and the node's intake that also writes the blob), record
// validations per second (first sight of a key by recovery, and known keys through the native
// port), and trust queries of depth 3 over 100,000 edges (p50/p99). Writes bench/results/registry.json.
//   node bench/registry.bench.ts      or      npm run bench -- registry
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { addressOfKey } from '../src-shared/identity/compact.ts';
import { createKeyCache, keySigner } from '../src-shared/identity/verify.ts';
import { signStatement, verifyStatement } from '../src-shared/registry/statements.ts';
import { createTrustGraph } from '../src-shared/registry/trust.ts';
import { createNativeVerifier } from '../src-main/identity/native-verify.ts';
import { openTestStore } from '../src-main/core/test-store.ts';
import { createBlobStore } from '../src-main/registry/blobs.ts';
import { createContentIntake } from '../src-main/registry/content.ts';
import { createRegistryRepo } from '../src-main/registry/repo.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MIB = 1024 * 1024;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function hashing(sizeMiB: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'registry-bench-'));
  try {
    const file = path.join(dir, 'content.bin');
    const block = Buffer.alloc(MIB);
    for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
    writeFileSync(file, Buffer.concat(Array.from({ length: sizeMiB }, () => block)));
    const passes: Array<Record<'hashOnly' | 'withBlob', { wallMs: number; cpuMs: number }>> = [];
    for (let pass = 0; pass < 3; pass++) {
      let wall = performance.now();
      let cpu = cpuMs();
      const h = createHash('sha512');
      for await (const chunk of createReadStream(file, { highWaterMark: MIB })) h.update(chunk as Buffer);
      h.digest('hex');
      const hashOnly = { wallMs: performance.now() - wall, cpuMs: cpuMs() - cpu };
      const intake = createContentIntake({
        blobs: createBlobStore(dir),
        repo: createRegistryRepo(openTestStore()),
        maxBytes: 2 ** 40,
        peerId: () => '12D3KooWbench',
        now: Date.now,
        stored: async () => undefined,
      });
      wall = performance.now();
      cpu = cpuMs();
      await intake.addFile(file);
      const withBlob = { wallMs: performance.now() - wall, cpuMs: cpuMs() - cpu };
      passes.push({ hashOnly, withBlob });
    }
    const rate = (ms: number) => Math.round((sizeMiB / (ms / 1000)) * 1.048576); // MB/s
    const best = (k: 'hashOnly' | 'withBlob') =>
      passes.reduce((a, p) => (p[k].wallMs < a.wallMs ? p[k] : a), passes[0]![k]);
    return {
      sizeMiB,
      readAndHash: { mbPerSecWall: rate(best('hashOnly').wallMs), mbPerSecCpu: rate(best('hashOnly').cpuMs) },
      intakeWithBlob: { mbPerSecWall: rate(best('withBlob').wallMs), mbPerSecCpu: rate(best('withBlob').cpuMs) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function validations(count: number) {
  const hash = 'ab'.repeat(64);
  const statements = Array.from({ length: count }, (_, i) => {
    const s = keySigner(sha256(new TextEncoder().encode(`bench registry signer ${i}`)));
    const did = `did:is:${addressOfKey(s.publicKey)}`;
    return signStatement(
      'record',
      {
        hash,
        size: 1000 + i,
        name: `Record ${i}`,
        language: 'es-MX',
        licence: { spdx: 'CC-BY-4.0' },
        format: 'text/plain',
        uris: [`https://example.org/${i}.txt`],
        relations: [],
        parties: [],
      },
      { did, signDigest: s.signDigest },
      1_760_000_000_000 + i,
    );
  });
  const keys = createKeyCache();
  let t = performance.now();
  for (const c of statements) verifyStatement(c, { keys });
  const recovery = count / ((performance.now() - t) / 1000);
  const verifier = createNativeVerifier();
  t = performance.now();
  for (const c of statements) verifyStatement(c, { keys, verifier });
  const knownNative = count / ((performance.now() - t) / 1000);
  return {
    count,
    perSecRecovery: Math.round(recovery),
    perSecKnownKeyNative: Math.round(knownNative),
    bytesEach: statements[0]!.length,
  };
}

/** A deterministic pseudo-random sequence, so every run builds the same graph. */
function lcg(seed: number) {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function trustQueries(identities: number, edges: number, queries: number) {
  const rnd = lcg(42);
  const g = createTrustGraph();
  const dids = Array.from({ length: identities }, (_, i) => `did:is:P${i.toString(36).padStart(33, 'x')}`);
  const scopes = [null, null, null, ['es'], ['es-MX', 'pt'], ['fr']];
  while (g.size < edges) {
    const a = dids[Math.floor(rnd() * identities)]!;
    const b = dids[Math.floor(rnd() * identities)]!;
    if (a !== b) g.set(a, b, rnd() < 0.2 ? 'friend' : 'trust', scopes[Math.floor(rnd() * scopes.length)]!);
  }
  const times: number[] = [];
  let reachedTotal = 0;
  for (let i = 0; i < queries; i++) {
    const root = dids[Math.floor(rnd() * identities)]!;
    const t = performance.now();
    reachedTotal += g.trustedFor([root], 'es-MX', 3).size;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => Number(times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(3));
  return {
    identities,
    edges: g.size,
    depth: 3,
    language: 'es-MX',
    queries,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    maxMs: pct(1),
    meanReached: Math.round(reachedTotal / queries),
  };
}

export async function run() {
  const result = {
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      load: os.loadavg().map((x) => Number(x.toFixed(2))),
    },
    hashing: await hashing(Number(process.env.REGISTRY_BENCH_MIB ?? 128)),
    validations: validations(Number(process.env.REGISTRY_BENCH_RECORDS ?? 2000)),
    trust: trustQueries(20_000, 100_000, 2_000),
    targets: { hashingMbPerSec: 200, trustP99Ms: 50 },
  };
  await mkdir(path.join(ROOT, 'bench/results'), { recursive: true });
  await writeFile(path.join(ROOT, 'bench/results/registry.json'), `${JSON.stringify(result, null, 2)}\n`);
  return {
    summary: {
      hashMBsPerCpuSec: result.hashing.readAndHash.mbPerSecCpu,
      intakeMBsPerCpuSec: result.hashing.intakeWithBlob.mbPerSecCpu,
      validationsPerSec: result.validations.perSecKnownKeyNative,
      trustP99Ms: result.trust.p99Ms,
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await run()));
