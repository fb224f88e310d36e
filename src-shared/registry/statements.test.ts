// Every fixture statement is judged as fixtures/statements.json says (docs/registry.md §9), and
// what signStatement makes verifies to the same fields.
import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { keySigner } from '../identity/verify.ts';
import { addressOfKey } from '../identity/compact.ts';
import { reasonOf } from './errors.ts';
import { peekKind, signStatement, verifyStatement } from './statements.ts';
import fixtures from './fixtures/statements.json' with { type: 'json' };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return reasonOf(err) ?? `not coded: ${String(err)}`;
  }
  return 'accepted';
}

const carol = keySigner(sha256(new TextEncoder().encode('registry test: carol')));
const carolDid = `did:is:${addressOfKey(carol.publicKey)}`;

describe('statement fixtures', () => {
  it.each(fixtures.valid)('accepts $name', (f) => {
    const s = verifyStatement(f.content);
    expect(s.kind).toBe(f.kind);
    expect(s.id).toBe(f.id);
    expect(s.signer).toBe(f.signer);
    expect(peekKind(f.content)).toBe(f.kind);
  });

  it.each(fixtures.invalid)('refuses $name with $reason', (f) => {
    expect(refusal(() => verifyStatement(f.content))).toBe(f.reason);
  });

  it('reports a refusal as INVALID_PARAMS with the reason in details', () => {
    const bad = fixtures.invalid.find((f) => f.reason === 'LANGUAGE_INVALID')!;
    try {
      verifyStatement(bad.content);
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'INVALID_PARAMS', details: { reason: 'LANGUAGE_INVALID' } });
    }
  });
});

describe('signing', () => {
  const record = fixtures.valid[0]!;
  const recordPayload = verifyStatement(record.content).payload as unknown as Record<string, unknown>;

  it('signs a record that verifies with the same fields and a stable id', () => {
    const { hash, size, name, language, licence, format, uris, relations, parties } = recordPayload as never;
    const fields = { hash, size, name, language, licence, format, uris, relations, parties };
    const signer = { did: carolDid, signDigest: carol.signDigest };
    const a = signStatement('record', fields, signer, 5);
    const s = verifyStatement(a);
    expect(s.signer).toBe(carolDid);
    expect(s.kind === 'record' && s.payload.name).toBe(name);
    expect(signStatement('record', fields, signer, 5)).toBe(a);
    expect(verifyStatement(signStatement('record', fields, signer, 6)).id).not.toBe(s.id);
  });

  it('refuses to sign what it would refuse to accept', () => {
    const signer = { did: carolDid, signDigest: carol.signDigest };
    expect(
      refusal(() => signStatement('trust', { subject: carolDid, level: 'trust', languages: null }, signer, 1)),
    ).toBe('TRUST_SELF');
    expect(refusal(() => signStatement('cosign', { record: 'ab'.repeat(32), hash: 'AB'.repeat(64) }, signer, 1))).toBe(
      'HASH_INVALID',
    );
  });

  it('a co-signature moved to another record no longer verifies', () => {
    const cosign = fixtures.valid.find((f) => f.kind === 'cosign')!;
    const [h, p, sig] = cosign.content.split('.') as [string, string, string];
    const payload = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(atob(p.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))),
    );
    const moved = { ...payload, record: 'cd'.repeat(32) };
    const keys = Object.keys(moved).sort();
    const text = `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(moved[k])}`).join(',')}}`;
    const b64 = btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(refusal(() => verifyStatement(`${h}.${b64}.${sig}`))).toBe('SIGNATURE_WRONG_KEY');
  });
});
