// Private metadata: sealed for holders of the identity-key, wrapped in a did:is record like a
// profile, unreadable with another key and not transplantable into another identity's wrapper.
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { addressOfKey } from './compact.ts';
import { isIdentityError } from './errors.ts';
import { b64urlFromText } from './jws.ts';
import { buildMetadataPayload, newMetadataKey, openMetadata, sealMetadata } from './metadata.ts';
import { didOf } from './profile.ts';
import { verifyRecord } from './records.ts';
import { didIsHeaderJson, keySigner, signDidIsJws } from './verify.ts';

const alice = keySigner(sha256(new TextEncoder().encode('metadata test: alice')));
const bob = keySigner(sha256(new TextEncoder().encode('metadata test: bob')));
const A = addressOfKey(alice.publicKey);
const B = addressOfKey(bob.publicKey);
const fields = { invoiceAddress: 'Main St 1, Springfield', phone: '+1 555 0100' };

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (err) {
    if (isIdentityError(err)) return err.details.reason;
    throw err;
  }
}

describe('private metadata', () => {
  it('opens with the identity-key it was sealed for, from a verified record', async () => {
    const key = newMetadataKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const jwe = await sealMetadata(fields, key, didOf(A));
    const record = verifyRecord(signDidIsJws(didIsHeaderJson(A), buildMetadataPayload(didOf(A), 10, jwe), alice));
    expect(record).toMatchObject({ kind: 'metadata', slot: `${didOf(A)}#metadata`, tombstone: false });
    if (record.kind !== 'metadata') throw new Error('kind');
    expect(await openMetadata(record.metadata.jwe!, key, didOf(A))).toEqual(fields);
  });

  it('a wrong key does not open it', async () => {
    const jwe = await sealMetadata(fields, newMetadataKey(), didOf(A));
    expect(await reason(openMetadata(jwe, newMetadataKey(), didOf(A)))).toBe('METADATA_KEY_WRONG');
    expect(await reason(openMetadata(jwe, 'short', didOf(A)))).toBe('METADATA_KEY_WRONG');
  });

  it("a JWE lifted into another identity's wrapper is refused", async () => {
    const jwe = await sealMetadata(fields, newMetadataKey(), didOf(A));
    const payload = JSON.stringify({ identifier: didOf(B), iat: 1, '@type': 'identity-metadata', '@state': 0, jwe });
    const lifted = signDidIsJws(didIsHeaderJson(B), payload, bob);
    expect(await reason(Promise.resolve().then(() => verifyRecord(lifted)))).toBe('METADATA_INVALID');
  });

  it('an altered ciphertext does not open', async () => {
    const key = newMetadataKey();
    const parts = (await sealMetadata(fields, key, didOf(A))).split('.');
    parts[3] = b64urlFromText('tampered ciphertext!');
    expect(await reason(openMetadata(parts.join('.'), key, didOf(A)))).toBe('METADATA_KEY_WRONG');
  });

  it('withdrawing is a tombstone without a JWE; a tombstone with one is refused', () => {
    const withdrawn = verifyRecord(signDidIsJws(didIsHeaderJson(A), buildMetadataPayload(didOf(A), 11, null), alice));
    expect(withdrawn.tombstone).toBe(true);
    const bad = JSON.stringify({
      identifier: didOf(A),
      iat: 12,
      '@type': 'identity-metadata',
      '@state': 999,
      jwe: 'x',
    });
    expect(() => verifyRecord(signDidIsJws(didIsHeaderJson(A), bad, alice))).toThrow(/withdrawn metadata/);
  });

  it('refuses oversized and malformed fields before sealing', async () => {
    const key = newMetadataKey();
    expect(await reason(sealMetadata({ big: 'x'.repeat(2001) }, key, didOf(A)))).toBe('METADATA_INVALID');
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`f${i}`, 'v']));
    expect(await reason(sealMetadata(many, key, didOf(A)))).toBe('METADATA_INVALID');
    const heavy = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}`, 'v'.repeat(2000)]));
    expect(await reason(sealMetadata(heavy, key, didOf(A)))).toBe('METADATA_TOO_LARGE');
  });
});
