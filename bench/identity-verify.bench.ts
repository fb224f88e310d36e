// How fast one core verifies did:is profiles, per path of docs/identity.md §2: noble key recovery
// (first sight of a key), a known key through noble, a known key or a key hint through the
// OpenSSL port (native-verify.ts, the baseline) and through the libsecp256k1 port main plugs in
// (secp-verify.ts), side by side in one run; where a profile's time goes (parse, payload check,
// hash, signature); the bytes and time of set reconciliation for a joining node, a returning one
// and two nearly equal registries. Writes bench/results/identity-verify.json.
//   node bench/identity-verify.bench.ts      or      npm run bench -- identity-verify
import os from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { coinsForNetwork } from '../src-shared/coins/networks.ts';
import { createNativeVerifier } from '../src-main/identity/native-verify.ts';
import { createSecpVerifier } from '../src-main/identity/secp-verify.ts';
import { createVerifyPool } from '../src-main/identity/verify-pool.ts';
import {
  addressOfKey,
  buildProfilePayload,
  buildReconcileSet,
  createKeyCache,
  didIsHeaderJson,
  didOf,
  keySigner,
  nobleSha256Verifier,
  reconcileWith,
  respondReconcile,
  signDidIsJws,
  verifyRecord,
  type ReconcileItem,
} from '../src-shared/identity/index.ts';
import { parseCompactJws } from '../src-shared/identity/jws.ts';
import { checkProfilePayload, MAX_PROFILE_JWS_CHARS } from '../src-shared/identity/profile.ts';

/** Profiles per CPU-second one core must verify on the known-key path (issue 10). */
const TARGET_PER_CPU_SEC = 5000;

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Node's own ECDSA as the node plugs it in (src-main/identity/native-verify.ts): a KeyObject kept per key. */
const nativeVerifier = () => createNativeVerifier();

function profiles(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const signer = keySigner(sha256(new TextEncoder().encode(`bench identity ${i}`)));
    const address = addressOfKey(signer.publicKey);
    const payload = buildProfilePayload(didOf(address), 1_750_000_000_000 + i, {
      name: `Trader ${i}`,
      url: 'https://trader.example',
      image: 'https://trader.example/logo.png',
    });
    return { content: signDidIsJws(didIsHeaderJson(address), payload, signer), address, key: signer.publicKey };
  });
}

/**
 * Best of three passes, by wall time and by this process's CPU time. The machine is shared: the
 * CPU-time rate is what one core does when this process has it, the wall rate what it got.
 */
function perSecond(count: number, fn: (i: number, pass: number) => void): { wall: number; cpu: number } {
  let wall = 0;
  let cpu = 0;
  for (let pass = 0; pass < 3; pass++) {
    const started = performance.now();
    const used = process.cpuUsage();
    for (let i = 0; i < count; i++) fn(i, pass);
    const spent = process.cpuUsage(used);
    wall = Math.max(wall, (count * 1000) / (performance.now() - started));
    cpu = Math.max(cpu, (count * 1e6) / (spent.user + spent.system));
  }
  return { wall: Math.round(wall), cpu: Math.round(cpu) };
}

function items(label: string, from: number, count: number): ReconcileItem[] {
  return Array.from({ length: count }, (_, k) => ({
    ts: 1_750_000_000_000 + Math.floor((from + k) / 3) * 997,
    id: sha256(new TextEncoder().encode(`${label}:${from + k}`)),
  }));
}

/**
 * Records per second through the node's pool of two verification threads (first sight, key
 * hints): the first batch, which new workers verify before their JIT has warmed up, and the best
 * of three batches after it.
 */
async function poolRate(set: ReturnType<typeof profiles>) {
  const pool = createVerifyPool({ size: 2, coins: coinsForNetwork('devnet'), inline: {} });
  try {
    await pool.verify(set.slice(0, 16).map((p) => ({ content: p.content, keyHint: p.key })));
    const jobs = set.map((p) => ({ content: p.content, keyHint: p.key }));
    const rates: number[] = [];
    for (let batch = 0; batch < 4; batch++) {
      const started = performance.now();
      const results = await pool.verify(jobs);
      const ms = performance.now() - started;
      if (!results.every((r) => r.ok)) throw new Error('the pool refused a valid profile');
      rates.push(Math.round((jobs.length * 1000) / ms));
    }
    return { threads: pool.threads, firstBatchPerSec: rates[0]!, perSec: Math.max(...rates.slice(1)) };
  } finally {
    await pool.close();
  }
}

/** CPU microseconds per profile of each step of a known-key verification, best of three. */
function split(set: ReturnType<typeof profiles>) {
  const count = set.length;
  const us = (rate: { cpu: number }) => Math.round(1e7 / rate.cpu) / 10;
  const parsed = set.map((p) => parseCompactJws(p.content, MAX_PROFILE_JWS_CHARS));
  const utf8 = new TextEncoder();
  const inputs = parsed.map((j) => utf8.encode(j.signingInput));
  const singles = inputs.map((b) => sha256(b));
  const sigs = parsed.map((j) => j.signature.subarray(1));
  const secp = createSecpVerifier();
  const openssl = createNativeVerifier();
  for (const p of set) openssl.verifySha256(new Uint8Array(64).fill(1), new Uint8Array(32), p.key);
  return {
    parseJwsBase64urlJson: us(perSecond(count, (i) => parseCompactJws(set[i]!.content, MAX_PROFILE_JWS_CHARS))),
    checkProfilePayload: us(perSecond(count, (i) => checkProfilePayload(parsed[i]!.payload))),
    sha256SigningInput: us(perSecond(count, (i) => sha256(inputs[i]!))),
    signatureLibsecp256k1: us(perSecond(count, (i) => secp.verifySha256(sigs[i]!, singles[i]!, set[i]!.key))),
    signatureOpensslKnownKeyObject: us(
      perSecond(count, (i) => openssl.verifySha256(sigs[i]!, singles[i]!, set[i]!.key)),
    ),
    signatureNoble: us(perSecond(count, (i) => nobleSha256Verifier.verifySha256(sigs[i]!, singles[i]!, set[i]!.key))),
  };
}

async function reconcileCase(mine: ReconcileItem[], theirs: ReconcileItem[], recordBytes: number) {
  const a = buildReconcileSet(mine);
  const b = buildReconcileSet(theirs);
  const started = performance.now();
  const r = await reconcileWith(a, (m) => respondReconcile(b, JSON.parse(JSON.stringify(m))));
  const ms = performance.now() - started;
  const reconcileBytes = r.bytesIn + r.bytesOut;
  // The fetch that follows: ids asked (45 B each) and records returned with a 44-char key hint.
  const fetchBytes = r.need.length * (45 + recordBytes + 56);
  return {
    need: r.need.length,
    have: r.have.length,
    rounds: r.rounds,
    ms: Math.round(ms),
    reconcileBytes,
    totalWithFetchBytes: reconcileBytes + fetchBytes,
    ratioToMissingRecords: r.need.length
      ? Math.round(((reconcileBytes + fetchBytes) / (r.need.length * recordBytes)) * 1000) / 1000
      : null,
  };
}

export async function run(opts: { profiles?: number; out?: string } = {}) {
  const loadAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const count = opts.profiles ?? 600;
  const set = profiles(count);
  const recordBytes = Math.round(set.reduce((s, p) => s + p.content.length, 0) / count);
  const known = createKeyCache();
  for (const p of set) known.set(p.address, p.key);
  const warm = nativeVerifier();
  for (const p of set) warm.verifySha256(new Uint8Array(64).fill(1), new Uint8Array(32), p.key);
  // First sight: a new verifier per pass, so every key object is made inside the measurement.
  const firstSight = [nativeVerifier(), nativeVerifier(), nativeVerifier()];
  const secp = createSecpVerifier();
  const verify = {
    nobleRecoveryPerSec: perSecond(count, (i) => verifyRecord(set[i]!.content)),
    nobleKnownKeyPerSec: perSecond(count, (i) =>
      verifyRecord(set[i]!.content, { keys: known, verifier: nobleSha256Verifier }),
    ),
    nativeKnownKeyPerSec: perSecond(count, (i) => verifyRecord(set[i]!.content, { keys: known, verifier: warm })),
    nativeKeyHintPerSec: perSecond(count, (i, pass) =>
      verifyRecord(set[i]!.content, { keyHint: set[i]!.key, verifier: firstSight[pass]! }),
    ),
    libsecp256k1KnownKeyPerSec: perSecond(count, (i) => verifyRecord(set[i]!.content, { keys: known, verifier: secp })),
    libsecp256k1KeyHintPerSec: perSecond(count, (i) =>
      verifyRecord(set[i]!.content, { keyHint: set[i]!.key, verifier: secp }),
    ),
  };
  const perProfileCpuMicros = split(set);
  const shared = items('s', 0, 100_000);
  const reconciliation = {
    joiningNode100k: await reconcileCase([], shared, recordBytes),
    returningNodeMissed1000: await reconcileCase(shared.slice(0, 99_000), shared, recordBytes),
    tenDifferencesEachWayIn100k: await reconcileCase(
      [...shared, ...items('mine', 0, 10)],
      [...shared, ...items('theirs', 0, 10)],
      recordBytes,
    ),
  };
  const pool = await poolRate(set);
  const result = {
    machine: {
      cpus: os.cpus().length,
      node: process.version,
      loadAverageAtStart: loadAtStart,
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    },
    profiles: count,
    averageRecordBytes: recordBytes,
    engine: secp.engine,
    targetKnownKeyPerCpuSec: TARGET_PER_CPU_SEC,
    targetMet: verify.libsecp256k1KnownKeyPerSec.cpu >= TARGET_PER_CPU_SEC,
    verify,
    perProfileCpuMicros,
    verifyPoolOf2: pool,
    catchUp100kCpuSeconds: {
      nobleRecovery: Math.round(100_000 / verify.nobleRecoveryPerSec.cpu),
      nativeWithKeyHints: Math.round(100_000 / verify.nativeKeyHintPerSec.cpu),
      libsecp256k1WithKeyHints: Math.round(100_000 / verify.libsecp256k1KeyHintPerSec.cpu),
    },
    reconciliation,
  };
  const out = opts.out ?? path.join(ROOT, 'bench', 'results', 'identity-verify.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  return {
    ...result,
    summary: {
      libsecp256k1KnownKeyPerCpuSec: verify.libsecp256k1KnownKeyPerSec.cpu,
      libsecp256k1KeyHintPerCpuSec: verify.libsecp256k1KeyHintPerSec.cpu,
      targetMet: result.targetMet,
      nativeKnownKeyPerCpuSec: verify.nativeKnownKeyPerSec.cpu,
      nativeKeyHintPerCpuSec: verify.nativeKeyHintPerSec.cpu,
      nobleRecoveryPerCpuSec: verify.nobleRecoveryPerSec.cpu,
      poolOf2PerSec: pool.perSec,
      poolOf2FirstBatchPerSec: pool.firstBatchPerSec,
      loadAverage: result.machine.loadAverage,
      loadAverageAtStart: loadAtStart,
      joining100kRatio: reconciliation.joiningNode100k.ratioToMissingRecords,
      tenDiffsBytes: reconciliation.tenDifferencesEachWayIn100k.reconcileBytes,
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run(), null, 2));
}
