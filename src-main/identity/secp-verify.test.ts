// The libsecp256k1 port: it loads where the package ships a binding, answers exactly as noble and
// OpenSSL do on valid, forged, high-S and malformed input, and never throws; through verifyRecord
// every fixture gets the same verdict on every port, and the pool's workers use it too.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { coinsForNetwork } from '../../src-shared/coins/networks.ts';
import { identityReason } from '../../src-shared/identity/errors.ts';
import profiles from '../../src-shared/identity/fixtures/profiles.json' with { type: 'json' };
import { recordIdOf, verifyRecord } from '../../src-shared/identity/records.ts';
import { wireId } from '../../src-shared/identity/replication.ts';
import { compactRange } from '../../src-shared/identity/compact.ts';
import { nobleSha256Verifier, type Sha256Verifier } from '../../src-shared/identity/verify.ts';
import { b64urlFromBytes, b64urlToBytes } from '../../src-shared/identity/jws.ts';
import { createNativeVerifier } from './native-verify.ts';
import { createSecpVerifier, nodeSha256, nodeWireIdOf } from './secp-verify.ts';
import { loadLibsecp256k1 } from '../kernel/libsecp256k1.ts';
import { testIdentity } from './testkit.ts';
import {
  START_POOL_JOBS,
  createVerifyPool,
  packResults,
  unpackResults,
  verifyBatch,
  type VerifyResult,
} from './verify-pool.ts';
import { waitFor } from '../kernel/time.ts';

/** Inline options that refuse every signature: a pool answer that verifies came from a worker. */
const REFUSE_ALL = { verifier: { verifySha256: () => false } };
import { chainLookup } from './chains.ts';

const secp = createSecpVerifier();
const openssl = createNativeVerifier();
const ports: Record<string, Sha256Verifier> = { libsecp256k1: secp, openssl, noble: nobleSha256Verifier };
const N = secp256k1.Point.CURVE().n;
const alice = testIdentity('alice');
const bob = testIdentity('bob');

const hex32 = (x: bigint) => Uint8Array.from(Buffer.from(x.toString(16).padStart(64, '0'), 'hex'));
const rs = (r: bigint, s: bigint) => Uint8Array.from([...hex32(r), ...hex32(s)]);
const scalar = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex')}`);

/** What every port answers for one input; a port that throws shows up as 'threw'. */
function verdicts(sig: Uint8Array, message: Uint8Array, key: Uint8Array): Record<string, boolean | 'threw'> {
  return Object.fromEntries(
    Object.entries(ports).map(([name, port]) => {
      try {
        return [name, port.verifySha256(sig, message, key)];
      } catch {
        return [name, 'threw'];
      }
    }),
  );
}
const all = (answer: boolean) => ({ libsecp256k1: answer, openssl: answer, noble: answer });

/** A message (a single SHA-256, as did:is passes it) and alice's 64-byte r‖s over its hash. */
function signed(label: string) {
  const message = sha256(new TextEncoder().encode(label));
  return { message, sig: alice.signer.signDigest(sha256(message)).subarray(1) };
}

describe('the libsecp256k1 verify port', () => {
  it('loads its binding on the platforms the package ships one for, else falls back to OpenSSL', () => {
    const shipped = ['linux-x64', 'darwin-arm64', 'win32-x64'].includes(`${process.platform}-${process.arch}`);
    expect(secp.engine).toBe(shipped ? 'libsecp256k1' : 'openssl');
    expect(loadLibsecp256k1() !== null).toBe(shipped);
  });

  it('accepts what noble and OpenSSL accept, for many keys and messages', () => {
    for (let i = 0; i < 40; i++) {
      const who = testIdentity(`signer ${i}`);
      const message = sha256(new TextEncoder().encode(`message ${i}`));
      const sig = who.signer.signDigest(sha256(message)).subarray(1);
      expect(verdicts(sig, message, who.signer.publicKey)).toEqual(all(true));
    }
  });

  it('refuses another key, another message and every single flipped bit of r‖s', () => {
    const { message, sig } = signed('flip');
    expect(verdicts(sig, message, bob.signer.publicKey)).toEqual(all(false));
    expect(verdicts(sig, sha256(message), alice.signer.publicKey)).toEqual(all(false));
    for (let bit = 0; bit < 512; bit += 7) {
      const flipped = Uint8Array.from(sig);
      flipped[bit >> 3] = flipped[bit >> 3]! ^ (1 << (bit & 7));
      expect(verdicts(flipped, message, alice.signer.publicKey), `bit ${bit}`).toEqual(all(false));
    }
    const key = Uint8Array.from(alice.signer.publicKey);
    key[0] = key[0] === 2 ? 3 : 2; // the other point with this x: the negated key
    expect(verdicts(sig, message, key)).toEqual(all(false));
  });

  it('accepts the high-S twin like the other ports (the core refuses it before any port)', () => {
    const { message, sig } = signed('twin');
    const twin = rs(scalar(sig.subarray(0, 32)), N - scalar(sig.subarray(32)));
    expect(verdicts(twin, message, alice.signer.publicKey)).toEqual(all(true));
    const twinOfForgery = Uint8Array.from(twin);
    twinOfForgery[5] = twinOfForgery[5]! ^ 1;
    expect(verdicts(twinOfForgery, message, alice.signer.publicKey)).toEqual(all(false));
  });

  it('answers false, never throws, for malformed keys and signatures', () => {
    const { message, sig } = signed('malformed');
    const key = alice.signer.publicKey;
    const r = scalar(sig.subarray(0, 32));
    const s = scalar(sig.subarray(32));
    const badSigs: Record<string, Uint8Array> = {
      'r = 0': rs(0n, s),
      's = 0': rs(r, 0n),
      'r = n': rs(N, s),
      's = n': rs(r, N),
      's = n + 1': rs(r, N + 1n),
      'r = 2^256 - 1': rs(2n ** 256n - 1n, s),
      's = 2^256 - 1': rs(r, 2n ** 256n - 1n),
      '63 bytes': sig.subarray(1),
      '65 bytes': Uint8Array.from([0, ...sig]),
      empty: new Uint8Array(0),
    };
    for (const [what, bad] of Object.entries(badSigs)) {
      expect(verdicts(bad, message, key), what).toEqual(all(false));
    }
    const offCurve = Uint8Array.from(key);
    offCurve[32] = offCurve[32]! ^ 1;
    const badKeys: Record<string, Uint8Array> = {
      'prefix 05': Uint8Array.from([5, ...key.subarray(1)]),
      'prefix 04 on 33 bytes': Uint8Array.from([4, ...key.subarray(1)]),
      'x off the curve': Uint8Array.from([2, ...hex32(5n)]),
      'x = p': Uint8Array.from([2, ...hex32(2n ** 256n - 2n ** 32n - 977n)]),
      'all zero': new Uint8Array(33),
      '32 bytes': key.subarray(1),
      empty: new Uint8Array(0),
    };
    for (const [what, bad] of Object.entries(badKeys)) {
      expect(verdicts(sig, message, bad), what).toEqual(all(false));
    }
    // A did:is key is the 33-byte compressed form (the core passes no other); noble would also
    // take the same point uncompressed, the native ports take 33 bytes only.
    const uncompressed = secp256k1.Point.fromBytes(key).toBytes(false);
    expect(verdicts(sig, message, uncompressed)).toEqual({ libsecp256k1: false, openssl: false, noble: true });
    // A key with one bit flipped is either off the curve or another key: refused either way.
    expect(verdicts(sig, message, offCurve)).toEqual(all(false));
  });

  it("hashes as noble's SHA-256 does (a record's id and signed digest come from the port's)", () => {
    for (const size of [0, 1, 55, 56, 64, 543, 4096]) {
      const data = Uint8Array.from({ length: size }, (_, i) => (i * 131 + size) & 0xff);
      expect(b64urlFromBytes(secp.sha256!(data)), `${size} bytes`).toBe(b64urlFromBytes(sha256(data)));
    }
  });

  it('gives every profile fixture the same verdict as noble and OpenSSL through verifyRecord', () => {
    const judge = (jws: string, verifier: Sha256Verifier, keyHint?: Uint8Array) => {
      try {
        return verifyRecord(jws, { verifier, keyHint }).id;
      } catch (err) {
        return identityReason(err);
      }
    };
    for (const f of [...profiles.valid, ...profiles.invalid]) {
      const hint = hintOf(f.jws);
      const expected = judge(f.jws, nobleSha256Verifier, hint);
      expect(judge(f.jws, secp, hint), f.name).toBe(expected);
      expect(judge(f.jws, openssl, hint), f.name).toBe(expected);
    }
  });

  it('refuses a high-S record on every port, with the reason SIGNATURE_HIGH_S', () => {
    const good = alice.profile(7);
    const [h, p, s] = good.split('.') as [string, string, string];
    const sig = b64urlToBytes(s)!;
    const twin = rs(scalar(sig.subarray(1, 33)), N - scalar(sig.subarray(33)));
    const highS = `${h}.${p}.${b64urlFromBytes(Uint8Array.from([sig[0]! ^ 1, ...twin]))}`;
    for (const port of Object.values(ports)) {
      expect(verifyRecord(good, { verifier: port, keyHint: alice.signer.publicKey }).kind).toBe('profile');
      expect(() => verifyRecord(highS, { verifier: port, keyHint: alice.signer.publicKey })).toThrow(
        expect.objectContaining({ details: expect.objectContaining({ reason: 'SIGNATURE_HIGH_S' }) }),
      );
    }
  });

  it('is what the pool workers verify with: valid records pass, a forged one is refused', async () => {
    const pool = createVerifyPool({ size: 1, coins: coinsForNetwork('devnet'), inline: REFUSE_ALL });
    try {
      expect(pool.threads).toBe(1);
      pool.warm();
      expect(pool.running).toBe(1);
      const jobs = Array.from({ length: 8 }, (_, i) => {
        const who = testIdentity(`pool ${i}`);
        return { content: who.profile(100 + i), keyHint: who.signer.publicKey };
      });
      const [h, , s] = jobs[3]!.content.split('.') as [string, string, string];
      const otherPayload = jobs[4]!.content.split('.')[1]!;
      const forged = { content: `${h}.${otherPayload}.${s}`, keyHint: jobs[3]!.keyHint };
      const results = await pool.verify([...jobs, forged]);
      expect(results.slice(0, 8).every((r) => r.ok)).toBe(true);
      expect(results[8]).toMatchObject({ ok: false });
    } finally {
      await pool.close();
    }
  });
});

describe("Node's codecs give the answers of the portable ones", () => {
  const portable = (content: string) => {
    const id = recordIdOf(content);
    return id === undefined ? undefined : wireId(id);
  };

  it('SHA-256 of a string is that of its UTF-8 bytes (a record id is hashed from its text)', () => {
    for (const text of ['', 'abc', profiles.valid[0]!.jws, 'ünïcödé ✓', 'x'.repeat(5000)]) {
      expect(Buffer.from(nodeSha256(text)).toString('hex')).toBe(
        Buffer.from(sha256(new TextEncoder().encode(text))).toString('hex'),
      );
    }
  });

  it("a record's wire id: every fixture, valid or not, and each way a signature part can be off", () => {
    const valid = profiles.valid.map((f) => f.jws);
    const [h, p, s] = valid[1]!.split('.') as [string, string, string];
    const contents = [
      ...valid,
      ...profiles.invalid.map((f) => f.jws),
      '{"revocation":"a link revocation is hashed whole"}',
      `${h}.${p}.${s.slice(0, -1)}`, // 64 bytes and a bit
      `${h}.${p}.${s}A`, // too long
      `${h}.${p}.${s.slice(0, -1)}B`, // a last character with unused bits set
      `${h}.${p}.${s.slice(0, 10)}=${s.slice(11)}`, // outside the alphabet
      `${h}.${p}.${s.slice(0, 10)}+${s.slice(11)}`, // base64, not base64url
      `${h}.${p}`,
      `${h}.${p}.${s}.${s}`,
      `${h}.ünïcödé.${s}`,
      `..${s}`,
      'x'.repeat(40_000),
    ];
    let ids = 0;
    for (const c of contents) {
      const expected = portable(c);
      expect(nodeWireIdOf(c), c.slice(0, 60)).toBe(expected);
      if (expected !== undefined) ids++;
    }
    expect(ids).toBeGreaterThan(valid.length); // both answers were ids, not only refusals
  });

  it("a signature's range and S: as noble's Signature.fromBytes and hasHighS judge them", () => {
    const cases = [
      rs(1n, 1n),
      rs(0n, 1n),
      rs(1n, 0n),
      rs(N - 1n, N / 2n),
      rs(N - 1n, N / 2n + 1n),
      rs(N, 5n),
      rs(5n, N),
      rs(5n, N - 1n),
      rs(2n ** 256n - 1n, 5n),
      ...Array.from({ length: 20 }, (_, i) => signed(`range ${i}`).sig),
    ];
    for (const c of cases) {
      let noble: 'ok' | 'high-s' | 'out-of-range';
      try {
        noble = secp256k1.Signature.fromBytes(c, 'compact').hasHighS() ? 'high-s' : 'ok';
      } catch {
        noble = 'out-of-range';
      }
      expect(compactRange(c), Buffer.from(c).toString('hex')).toBe(noble);
    }
    expect(compactRange(new Uint8Array(63))).toBe('out-of-range');
  });
});

describe('verify pool results in bulk', () => {
  it('a worker answers with the same results as verifying inline: records, keys, content, refusals', async () => {
    const pool = createVerifyPool({ size: 2, coins: coinsForNetwork('devnet'), inline: REFUSE_ALL });
    try {
      expect(pool.threads).toBe(2);
      pool.warm();
      const jobs = Array.from({ length: 24 }, (_, i) => {
        const who = testIdentity(`bulk ${i}`);
        const content =
          i % 3 === 0
            ? who.metadata(50 + i, null)
            : i % 3 === 1
              ? who.domainLink(60 + i, 'https://example.org')
              : who.profile(70 + i);
        return i % 2 === 0 ? { content, keyHint: who.signer.publicKey } : { content };
      });
      jobs.push({ content: 'not.a.record' }, { content: `${jobs[2]!.content.slice(0, -4)}AAAA` });
      const inline = verifyBatch(jobs, { chains: chainLookup(coinsForNetwork('devnet')) });
      const pooled = await pool.verify(jobs);
      expect(pooled).toEqual(inline);
      expect(pooled.filter((r) => r.ok)).toHaveLength(24);
      for (const [i, r] of pooled.entries()) if (r.ok) expect(r.record.content).toBe(jobs[i]!.content);
    } finally {
      await pool.close();
    }
  });

  it('starts no worker until bulk work comes and stops them after a while without work', async () => {
    const pool = createVerifyPool({ size: 2, coins: coinsForNetwork('devnet'), inline: {}, idleMs: 300 });
    try {
      const who = testIdentity('lifecycle');
      const job = { content: who.profile(5), keyHint: who.signer.publicKey };
      expect(pool.running).toBe(0);
      // A small batch is verified in this thread: no worker is started for it.
      expect((await pool.verify(Array(START_POOL_JOBS - 1).fill(job))).every((r) => r.ok)).toBe(true);
      expect(pool.running).toBe(0);
      // A bulk batch starts them; they answer it.
      const bulk = await pool.verify(Array(START_POOL_JOBS).fill(job));
      expect(pool.running).toBe(2);
      expect(bulk.every((r) => r.ok)).toBe(true);
      // Running workers take small batches too, and keep running while there is work.
      await pool.verify(Array(8).fill(job));
      expect(pool.running).toBe(2);
      await waitFor(() => pool.running === 0, { timeoutMs: 5000, what: 'the idle workers to stop' });
      // And start again when needed.
      pool.warm();
      expect(pool.running).toBe(2);
      expect((await pool.verify(Array(8).fill(job))).every((r) => r.ok)).toBe(true);
    } finally {
      await pool.close();
    }
    expect(pool.running).toBe(0);
  });

  it('packs keys into one buffer and leaves them out where a record has none', () => {
    const jobs = [{ content: 'a' }, { content: 'b' }, { content: 'c' }];
    const key = Uint8Array.from({ length: 33 }, (_, i) => i + 1);
    const base = { did: 'did:is:x', address: 'x', slot: 'did:is:x', iat: 1, tombstone: false, id: '00' };
    const results = [
      { ok: true, record: { ...base, kind: 'profile', content: 'a', publicKey: key, profile: {} } },
      { ok: true, record: { ...base, kind: 'link', content: 'other', revocation: {} } },
      { ok: false, reason: 'JWS_MALFORMED', message: 'no' },
    ] as unknown as VerifyResult[];
    const packed = packResults(jobs, results);
    expect(packed.keys).toHaveLength(99);
    expect([...packed.hasKey]).toEqual([1, 0, 0]);
    expect('content' in (packed.results[0] as { record: object }).record).toBe(false);
    expect(unpackResults(jobs, structuredClone(packed))).toEqual(results);
  });
});

/** The key a record recovers to with noble, as the hint the known-key paths need. */
function hintOf(content: string): Uint8Array | undefined {
  try {
    return verifyRecord(content).publicKey;
  } catch {
    return undefined;
  }
}
