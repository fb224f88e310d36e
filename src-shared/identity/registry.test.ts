// The registry's ingest table (docs/identity.md §3) on real signed records: the lifecycle, stale and
// replayed records, deterministic ties, and links and metadata retired by a delete.
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { addressOfKey } from './compact.ts';
import { isIdentityError, type IdentityError } from './errors.ts';
import { buildProfilePayload, buildTombstonePayload, didOf } from './profile.ts';
import { recordIdOf, verifyRecord, type VerifiedRecord } from './records.ts';
import { b64urlFromBytes, b64urlToBytes } from './jws.ts';
import fixtures from './fixtures/profiles.json' with { type: 'json' };
import { decideIngest, ingestOrThrow, retiredByTombstone, type RecordHead } from './registry.ts';
import { didIsHeaderJson, keySigner, signDidIsJws } from './verify.ts';

const alice = keySigner(sha256(new TextEncoder().encode('registry test: alice')));
const A = addressOfKey(alice.publicKey);
const DID = didOf(A);
const sign = (payload: string) => signDidIsJws(didIsHeaderJson(A), payload, alice);
const profile = (iat: number, name = `name at ${iat}`) => verifyRecord(sign(buildProfilePayload(DID, iat, { name })));
const tombstone = (iat: number) => verifyRecord(sign(buildTombstonePayload(DID, iat)));

/** Feeds records to one slot in order; returns what the slot holds at the end. */
function fold(records: readonly VerifiedRecord[]): RecordHead | undefined {
  let stored: RecordHead | undefined;
  for (const r of records) if (decideIngest(stored, r).store) stored = r;
  return stored;
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [xs.slice()];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

describe('registry ingest', () => {
  it('create, update, delete and recreate each store with their status', () => {
    const steps = [profile(1), profile(2), tombstone(3), profile(4)];
    let stored: RecordHead | undefined;
    const statuses = steps.map((r) => {
      const d = decideIngest(stored, r);
      if (d.store) stored = r;
      return d.store ? d.status : d.reason;
    });
    expect(statuses).toEqual(['created', 'updated', 'deleted', 'recreated']);
  });

  it('a lower iat never replaces', () => {
    expect(decideIngest(profile(10), profile(9))).toMatchObject({ store: false, reason: 'IAT_NOT_NEWER' });
    expect(decideIngest(tombstone(10), tombstone(9))).toMatchObject({ store: false, reason: 'IAT_NOT_NEWER' });
  });

  it('a replayed profile after a delete is refused, at a lower or the same iat', () => {
    expect(decideIngest(tombstone(10), profile(9))).toMatchObject({ store: false, reason: 'REPLAY_AFTER_DELETE' });
    expect(decideIngest(tombstone(10), profile(10))).toMatchObject({ store: false, reason: 'REPLAY_AFTER_DELETE' });
  });

  it('a tombstone that arrives first still beats the older profile that follows', () => {
    expect(fold([tombstone(10), profile(5)])).toMatchObject({ tombstone: true, iat: 10 });
  });

  it('a tombstone wins a tie with an active profile', () => {
    expect(decideIngest(profile(10), tombstone(10))).toMatchObject({ store: true, status: 'deleted' });
  });

  it('the same record again is a duplicate', () => {
    const r = profile(3);
    expect(decideIngest(r, verifyRecord(r.content))).toMatchObject({ store: false, reason: 'DUPLICATE' });
  });

  it('ties converge in any arrival order on the greatest id', () => {
    const tied = [profile(7, 'one'), profile(7, 'two'), profile(7, 'three'), profile(6)];
    const winner = [...tied.filter((r) => r.iat === 7)].sort((a, b) => (a.id < b.id ? 1 : -1))[0]!;
    const outcomes = new Set(permutations(tied).map((order) => fold(order)?.id));
    expect([...outcomes]).toEqual([winner.id]);
    const loser = tied.find((r) => r.iat === 7 && r.id !== winner.id)!;
    expect(decideIngest(winner, loser)).toMatchObject({ store: false, reason: 'TIE_LOST' });
  });

  it('links and metadata issued before a delete stay retired', () => {
    const link: RecordHead = { kind: 'link', id: 'aa', iat: 5, tombstone: false };
    const later: RecordHead = { kind: 'metadata', id: 'bb', iat: 11, tombstone: false };
    expect(decideIngest(undefined, link, 10)).toMatchObject({ store: false, reason: 'DELETED_BEFORE' });
    expect(decideIngest(undefined, later, 10)).toMatchObject({ store: true, status: 'created' });
    expect(retiredByTombstone(10, [link, later, { kind: 'profile', id: 'cc', iat: 1, tombstone: false }])).toEqual([
      link,
    ]);
  });

  it('ingestOrThrow turns a refusal into a CONFLICT with the reason', () => {
    try {
      ingestOrThrow(profile(10), profile(9));
      expect.unreachable();
    } catch (err) {
      expect(isIdentityError(err)).toBe(true);
      expect((err as IdentityError).toData()).toMatchObject({ code: 'CONFLICT', details: { reason: 'IAT_NOT_NEWER' } });
    }
  });
});

describe('recordIdOf', () => {
  it('is the id verification gives, for every valid fixture, without checking the signature', () => {
    for (const f of fixtures.valid) expect(recordIdOf(f.jws)).toBe(verifyRecord(f.jws).id);
  });

  it('gives a recid-flipped copy the same id, and nothing for what is not shaped like a record', () => {
    const jws = sign(buildProfilePayload(DID, 5, { name: 'x' }));
    const [h, p, s] = jws.split('.') as [string, string, string];
    const sig = b64urlToBytes(s)!;
    sig[0] = sig[0]! ^ 1;
    expect(recordIdOf(`${h}.${p}.${b64urlFromBytes(sig)}`)).toBe(recordIdOf(jws));
    expect(recordIdOf('a.b')).toBeUndefined();
    expect(recordIdOf(`${h}.${p}.AAAA`)).toBeUndefined();
    expect(recordIdOf('x'.repeat(40_000))).toBeUndefined();
  });
});
