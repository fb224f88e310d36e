// did:is signatures: our profiles pass an independent verifier written here with noble alone, the
// spec's bytes are reproduced exactly, and the cache, hint and recovery paths accept the same records.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { isIdentityError } from './errors.ts';
import { buildProfilePayload, buildTombstonePayload, didOf } from './profile.ts';
import { verifyRecord } from './records.ts';
import { decideIngest } from './registry.ts';
import {
  createKeyCache,
  didIsHeaderJson,
  keySigner,
  nobleSha256Verifier,
  signDidIsJws,
  verifyDidIsJws,
  type Sha256Verifier,
} from './verify.ts';
import { addressOfKey } from './compact.ts';
import vectors from './fixtures/did-is-vectors.json' with { type: 'json' };
import fixtures from './fixtures/profiles.json' with { type: 'json' };

// ---- the independent verifier: noble and the platform only, none of our code ----
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58check(payload: Uint8Array): string {
  const check = sha256(sha256(payload)).subarray(0, 4);
  const bytes = Uint8Array.from([...payload, ...check]);
  let n = BigInt(`0x${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`);
  let out = '';
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}
function fromB64url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}
/** The DID an independent reader would say signed `jws`, or why not. */
function independentVerify(jws: string): string {
  const [h, p, s] = jws.split('.') as [string, string, string];
  const header = JSON.parse(new TextDecoder().decode(fromB64url(h))) as { alg: string; kid: string };
  const payload = JSON.parse(new TextDecoder().decode(fromB64url(p))) as { identifier: string };
  const sig = fromB64url(s);
  if (header.alg !== 'ES256K' || sig.length !== 65) return 'bad header or signature length';
  const digest = sha256(sha256(new TextEncoder().encode(`${h}.${p}`)));
  const key = secp256k1.Signature.fromBytes(sig.subarray(1), 'compact')
    .addRecoveryBit(sig[0]! - 31)
    .recoverPublicKey(digest)
    .toBytes(true);
  const address = base58check(Uint8Array.from([55, ...ripemd160(sha256(key))]));
  if (address !== header.kid || payload.identifier !== `did:is:${address}`) return 'signed by another key';
  return payload.identifier;
}

const alice = keySigner(sha256(new TextEncoder().encode('verify test: alice')));
const bob = keySigner(sha256(new TextEncoder().encode('verify test: bob')));
const A = addressOfKey(alice.publicKey);
const signed = (payload: string, signer = alice, kid = A) => signDidIsJws(didIsHeaderJson(kid), payload, signer);

function reason(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    if (isIdentityError(err)) return err.details.reason;
    throw err;
  }
}

describe('did:is signatures', () => {
  it.each(vectors.valid)('the independent verifier accepts the $name vector (it is a real check)', (v) => {
    expect(independentVerify(v.jws)).toBe(`did:is:${v.kid}`);
  });

  it('create, update, delete and recreate all pass the independent verifier', () => {
    const did = didOf(A);
    const records = [
      signed(buildProfilePayload(did, 1000, { name: 'Alice', image: 'https://a.example/i.png', hubs: ['h'] })),
      signed(buildProfilePayload(did, 1001, { name: 'Alice B.', email: 'a@example.com' })),
      signed(buildTombstonePayload(did, 1002)),
      signed(buildProfilePayload(did, 1003, { name: 'Alice again' })),
    ];
    for (const jws of records) expect(independentVerify(jws)).toBe(did);
    expect(independentVerify(signed(buildProfilePayload(did, 1004, {}), bob))).toBe('signed by another key');
  });

  it("reproduces the spec example's header and payload bytes exactly", () => {
    const [h, p] = vectors.valid[0]!.jws.split('.') as [string, string];
    const jws = signed(
      buildProfilePayload('did:is:PLBNc1Ph6whu1vbQGEuRywTTHCEnfDDuXh', 1598803180438, {}),
      alice,
      'PLBNc1Ph6whu1vbQGEuRywTTHCEnfDDuXh',
    );
    expect(jws.split('.').slice(0, 2)).toEqual([h, p]);
  });

  it('both facts vectors verify with low S', () => {
    for (const v of vectors.valid) expect(verifyDidIsJws(v.jws, { maxChars: 4096 }).address).toBe(v.kid);
  });

  it('the known-key, key-hint and recovery paths agree on every fixture', () => {
    let nativeCalls = 0;
    const counting: Sha256Verifier = {
      verifySha256: (s, m, k) => (nativeCalls++, nobleSha256Verifier.verifySha256(s, m, k)),
    };
    for (const f of [...fixtures.valid.map((v) => ({ jws: v.jws })), ...fixtures.invalid]) {
      const recovered = reason(() => verifyRecord(f.jws));
      const keys = createKeyCache();
      for (const [addr, key] of [
        [
          fixtures.addresses.alice,
          keySigner(sha256(new TextEncoder().encode('hashlock identity fixture: alice'))).publicKey,
        ],
        [
          fixtures.addresses.bob,
          keySigner(sha256(new TextEncoder().encode('hashlock identity fixture: bob'))).publicKey,
        ],
      ] as const) {
        keys.set(addr, key);
      }
      expect(reason(() => verifyRecord(f.jws, { keys, verifier: counting }))).toBe(recovered);
      const hint = keys.get(fixtures.addresses.alice);
      expect(reason(() => verifyRecord(f.jws, { keyHint: hint, verifier: counting }))).toBe(recovered);
    }
    expect(nativeCalls).toBeGreaterThan(40);
  });

  it('caches the recovered key and then verifies through the port', () => {
    const keys = createKeyCache();
    const jws1 = signed(buildProfilePayload(didOf(A), 1, {}));
    const jws2 = signed(buildProfilePayload(didOf(A), 2, {}));
    expect(verifyDidIsJws(jws1, { maxChars: 4096, keys }).path).toBe('recovered');
    expect(verifyDidIsJws(jws2, { maxChars: 4096, keys }).path).toBe('cache');
    expect(keys.get(A)).toEqual(alice.publicKey);
  });

  it('a hint for another key falls back to recovery; a cached key refuses a forgery', () => {
    const jws = signed(buildProfilePayload(didOf(A), 1, {}));
    expect(verifyDidIsJws(jws, { maxChars: 4096, keyHint: bob.publicKey }).path).toBe('recovered');
    expect(verifyDidIsJws(jws, { maxChars: 4096, keyHint: alice.publicKey }).path).toBe('hint');
    const keys = createKeyCache();
    keys.set(A, alice.publicKey);
    const forged = signed(buildProfilePayload(didOf(A), 2, {}), bob);
    expect(reason(() => verifyDidIsJws(forged, { maxChars: 4096, keys }))).toBe('SIGNATURE_WRONG_KEY');
  });

  it('a flipped recovery id is the same record on every path', () => {
    const jws = signed(buildProfilePayload(didOf(A), 5, { name: 'A' }));
    const [h, p, s] = jws.split('.') as [string, string, string];
    const sig = fromB64url(s);
    sig[0] = 31 + ((sig[0]! - 31) ^ 1);
    const flipped = `${h}.${p}.${btoa(String.fromCharCode(...sig))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '')}`;
    const original = verifyRecord(jws);
    const twin = verifyRecord(flipped);
    expect(twin.id).toBe(original.id);
    expect(decideIngest(original, twin)).toMatchObject({ store: false, reason: 'DUPLICATE' });
  });

  it('the key cache stays within its bound, oldest out first', () => {
    const keys = createKeyCache(2);
    keys.set('a', new Uint8Array(33));
    keys.set('b', new Uint8Array(33));
    keys.set('c', new Uint8Array(33));
    expect([keys.get('a'), keys.get('b') !== undefined, keys.get('c') !== undefined]).toEqual([undefined, true, true]);
  });
});
