// The two did:is v0.0.1 vectors from facts/identity.md recover their own kid, and our signatures
// round-trip through the same primitive.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { base64urlnopad } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { addressOfKey, decodeAddress, doubleSha256, recoverCompact, signCompact } from './compact.ts';
import vectors from './fixtures/did-is-vectors.json' with { type: 'json' };

const ascii = (s: string) => new TextEncoder().encode(s);

describe('compact recoverable signatures (did:is v0.0.1)', () => {
  it.each(vectors.valid)('$name recovers the key of its kid', (v) => {
    const [h, p, s] = v.jws.split('.') as [string, string, string];
    const key = recoverCompact(doubleSha256(ascii(`${h}.${p}`)), base64urlnopad.decode(s));
    expect(addressOfKey(key)).toBe(v.kid);
  });

  it('a changed payload recovers another key', () => {
    const v = vectors.valid[0]!;
    const [h, p, s] = v.jws.split('.') as [string, string, string];
    const key = recoverCompact(doubleSha256(ascii(`${h}.${p}x`)), base64urlnopad.decode(s));
    expect(addressOfKey(key)).not.toBe(v.kid);
  });

  it('signs so that the signer is recovered', () => {
    const sk = secp256k1.utils.randomSecretKey();
    const digest = doubleSha256(ascii('hello'));
    const sig = signCompact(digest, sk);
    expect(sig).toHaveLength(65);
    expect(sig[0]).toBeGreaterThanOrEqual(31);
    expect(sig[0]).toBeLessThanOrEqual(34);
    expect(recoverCompact(digest, sig)).toEqual(secp256k1.getPublicKey(sk, true));
    expect(addressOfKey(secp256k1.getPublicKey(sk, true))).toMatch(/^P/);
  });

  it.each([
    ['64 bytes', new Uint8Array(64), 'a compact signature is 65 bytes, not 64'],
    ['an uncompressed-key header', Uint8Array.from([27, ...new Uint8Array(64).fill(1)]), 'not a compressed-key header'],
    ['r = s = 0', Uint8Array.from([31, ...new Uint8Array(64)]), 'recovers no key'],
  ])('refuses %s', (_n, sig, msg) => {
    expect(() => recoverCompact(new Uint8Array(32), sig)).toThrow(msg);
  });

  it('decodes an address to its version and hash, and refuses a bad checksum', () => {
    expect(decodeAddress('PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP')?.version).toBe(55);
    expect(decodeAddress('PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuQ')).toBeUndefined();
  });
});
