// The node's registry over a real store: the lifecycle through ingest, every bad record refused
// with its reason while nothing stored changes, links and metadata retired by a delete, and the
// native verifier agreeing with noble; keys are recovered once per identity, even across restarts.
import { describe, expect, it } from 'vitest';
import { nobleSha256Verifier, type Sha256Verifier } from '../../src-shared/identity/verify.ts';
import { verifyRecord } from '../../src-shared/identity/records.ts';
import { identityReason } from '../../src-shared/identity/errors.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import profiles from '../../src-shared/identity/fixtures/profiles.json' with { type: 'json' };
import links from '../../src-shared/identity/fixtures/links.json' with { type: 'json' };
import { createNativeVerifier, createStoredKeyCache } from './native-verify.ts';
import { accountLink, testIdentity, testRegistry } from './testkit.ts';

const alice = testIdentity('alice');

/** Everything stored, to prove a refusal changed nothing. */
const snapshot = (t: ReturnType<typeof testRegistry>) =>
  JSON.stringify(t.db.prepare('SELECT * FROM identity_records ORDER BY slot').all());

describe('registry ingest on the node', () => {
  it('creates, updates, deletes and recreates, keeping when the DID was first seen', () => {
    const t = testRegistry();
    const statuses = [alice.profile(10), alice.profile(20), alice.tombstone(30), alice.profile(40)].map((c) => {
      const o = t.registry.ingest(c, { via: 'api' });
      return o.stored ? o.status : o.reason;
    });
    expect(statuses).toEqual(['created', 'updated', 'deleted', 'recreated']);
    expect(t.repo.get(alice.did)).toMatchObject({ iat: 40, tombstone: false, via: 'api' });
    expect(t.repo.didInfo(alice.did)?.createdIat).toBe(10);
  });

  it.each(profiles.invalid)('refuses $name with $reason and stores nothing', (f) => {
    const t = testRegistry();
    t.registry.ingest(alice.profile(5), { via: 'api' });
    const before = snapshot(t);
    const o = t.registry.ingest(f.jws, { via: 'gossip', peerId: 'peer' });
    expect(o.stored ? 'stored' : o.reason).toBe(f.reason);
    expect(snapshot(t)).toBe(before);
  });

  it.each(links.invalid)('refuses the link $name with $reason and stores nothing', (f) => {
    const t = testRegistry();
    const before = snapshot(t);
    const o = t.registry.ingest(f.content, { via: 'gossip', peerId: 'peer' });
    expect(o.stored ? 'stored' : o.reason).toBe(f.reason);
    expect(snapshot(t)).toBe(before);
  });

  it('a lower iat, a replay after delete and a lost tie change nothing', () => {
    const t = testRegistry();
    t.registry.ingest(alice.profile(20), { via: 'api' });
    let before = snapshot(t);
    const lower = t.registry.ingest(alice.profile(10), { via: 'gossip' });
    expect(lower.stored ? 'stored' : lower.reason).toBe('IAT_NOT_NEWER');
    expect(snapshot(t)).toBe(before);
    t.registry.ingest(alice.tombstone(30), { via: 'api' });
    before = snapshot(t);
    for (const replay of [alice.profile(20), alice.profile(30, { name: 'same iat' })]) {
      const o = t.registry.ingest(replay, { via: 'gossip' });
      expect(o.stored ? 'stored' : o.reason).toBe('REPLAY_AFTER_DELETE');
    }
    expect(snapshot(t)).toBe(before);
  });

  it('a delete retires the links and metadata issued before it; a recreated identity starts without them', () => {
    const t = testRegistry();
    t.registry.ingest(alice.profile(10), { via: 'api' });
    const link = accountLink(alice, 11);
    expect(t.registry.ingest(link.content, { via: 'api' }).stored).toBe(true);
    expect(t.registry.ingest(alice.domainLink(12, 'https://alice.example'), { via: 'api' }).stored).toBe(true);
    expect(t.repo.byDid(alice.did).map((r) => r.kind)).toEqual(['profile', 'link', 'link']);
    t.registry.ingest(alice.tombstone(20), { via: 'api' });
    expect(t.repo.byDid(alice.did).map((r) => r.kind)).toEqual(['profile']);
    const old = t.registry.ingest(accountLink(alice, 15).content, { via: 'gossip' });
    expect(old.stored ? 'stored' : old.reason).toBe('DELETED_BEFORE');
    t.registry.ingest(alice.profile(30), { via: 'api' });
    expect(t.registry.ingest(accountLink(alice, 31).content, { via: 'api' }).stored).toBe(true);
  });

  it('tells listeners what changed, once per stored record', () => {
    const t = testRegistry();
    const seen: string[] = [];
    t.registry.onChange((c) => seen.push(`${c.kind}:${c.status}:${c.via}`));
    t.registry.ingest(alice.profile(1), { via: 'self' });
    t.registry.ingest(alice.profile(1), { via: 'gossip' });
    t.registry.ingest(alice.tombstone(2), { via: 'gossip' });
    expect(seen).toEqual(['profile:created:self', 'profile:deleted:gossip']);
  });
});

describe('the native verifier', () => {
  const native = createNativeVerifier();

  it('agrees with noble on every valid and every invalid fixture', () => {
    for (const f of [...profiles.valid, ...profiles.invalid]) {
      const judge = (verifier: Sha256Verifier) => {
        try {
          return verifyRecord(f.jws, { verifier, keyHint: verifyKey(f.jws) }).id;
        } catch (err) {
          return identityReason(err);
        }
      };
      expect(judge(native)).toBe(judge(nobleSha256Verifier));
    }
  });

  it('refuses a signature by another key and a key that is not on the curve', () => {
    const msg = sha256(new Uint8Array([1]));
    const sig = alice.signer.signDigest(sha256(msg)).subarray(1);
    expect(native.verifySha256(sig, msg, alice.signer.publicKey)).toBe(true);
    expect(native.verifySha256(sig, msg, testIdentity('bob').signer.publicKey)).toBe(false);
    const offCurve = Uint8Array.from(alice.signer.publicKey);
    offCurve[32] = offCurve[32]! ^ 1;
    expect(native.verifySha256(sig, msg, Uint8Array.of(5, ...offCurve.subarray(1)))).toBe(false);
  });

  it('keeps one key object per key, not one per verification', () => {
    const v = createNativeVerifier(2);
    const msg = sha256(new Uint8Array([2]));
    for (let i = 0; i < 5; i++) v.verifySha256(new Uint8Array(64).fill(1), msg, alice.signer.publicKey);
    expect(v.size).toBe(1);
    v.verifySha256(new Uint8Array(64).fill(1), msg, testIdentity('b').signer.publicKey);
    v.verifySha256(new Uint8Array(64).fill(1), msg, testIdentity('c').signer.publicKey);
    expect(v.size).toBe(2);
  });

  it('a restarted node knows the keys it stored: no recovery needed', () => {
    const t = testRegistry();
    t.registry.ingest(alice.profile(1), { via: 'api' });
    const afterRestart = createStoredKeyCache((a) => t.repo.publicKeyOf(`did:is:${a}`));
    expect(afterRestart.get(alice.address)).toEqual(alice.signer.publicKey);
    expect(afterRestart.get(testIdentity('nobody').address)).toBeUndefined();
  });
});

/** The key a record recovers to with noble, used as the hint the native path needs. */
function verifyKey(content: string): Uint8Array | undefined {
  try {
    return verifyRecord(content).publicKey;
  } catch {
    return undefined;
  }
}
