// Order-key attestations: valid for the order key they name while live; refused for another key,
// after expiry, or when issued by someone else's key.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { signOrderKeyAttestation, verifyOrderKeyAttestation } from './attestation.ts';
import { addressOfKey } from './compact.ts';
import { IdentityError } from './errors.ts';
import { didOf } from './profile.ts';
import { didIsHeaderJson, keySigner, signDidIsJws } from './verify.ts';

const alice = keySigner(sha256(new TextEncoder().encode('attestation test: alice')));
const mallory = keySigner(sha256(new TextEncoder().encode('attestation test: mallory')));
const A = addressOfKey(alice.publicKey);
const ORDER_KEY = bytesToHex(keySigner(sha256(new TextEncoder().encode('order key'))).publicKey);
const OTHER_KEY = bytesToHex(mallory.publicKey);
const NOW = 1_750_000_000_000;
const DAY = 86_400_000;

function reason(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    if (err instanceof IdentityError) return err.reason;
    throw err;
  }
}

describe('order-key attestation', () => {
  const jws = signOrderKeyAttestation(didOf(A), ORDER_KEY, NOW, 7, alice);

  it("verifies for the order's key while it is live", () => {
    expect(verifyOrderKeyAttestation(jws, ORDER_KEY, NOW + DAY)).toEqual({
      did: didOf(A),
      orderKey: ORDER_KEY,
      iat: NOW,
      exp: NOW + 7 * DAY,
    });
  });

  it.each([
    ['another order key', () => verifyOrderKeyAttestation(jws, OTHER_KEY, NOW), 'ATTESTATION_INVALID'],
    ['after expiry', () => verifyOrderKeyAttestation(jws, ORDER_KEY, NOW + 7 * DAY), 'ATTESTATION_INVALID'],
    ['issued in the future', () => verifyOrderKeyAttestation(jws, ORDER_KEY, NOW - 10 * 60_000), 'ATTESTATION_INVALID'],
    [
      "alice's DID signed by mallory",
      () => {
        const payload = JSON.stringify({
          identifier: didOf(A),
          iat: NOW,
          exp: NOW + DAY,
          '@type': 'identity-order-key',
          orderKey: ORDER_KEY,
        });
        return verifyOrderKeyAttestation(signDidIsJws(didIsHeaderJson(A), payload, mallory), ORDER_KEY, NOW);
      },
      'SIGNATURE_WRONG_KEY',
    ],
    [
      'longer than 30 days',
      () => {
        const payload = JSON.stringify({
          identifier: didOf(A),
          iat: NOW,
          exp: NOW + 31 * DAY,
          '@type': 'identity-order-key',
          orderKey: ORDER_KEY,
        });
        return verifyOrderKeyAttestation(signDidIsJws(didIsHeaderJson(A), payload, alice), ORDER_KEY, NOW);
      },
      'ATTESTATION_INVALID',
    ],
  ])('refuses %s', (_n, fn, expected) => {
    expect(reason(fn)).toBe(expected);
  });

  it('will not sign for more than 30 days or a malformed key', () => {
    expect(reason(() => signOrderKeyAttestation(didOf(A), ORDER_KEY, NOW, 31, alice))).toBe('ATTESTATION_INVALID');
    expect(reason(() => signOrderKeyAttestation(didOf(A), ORDER_KEY.toUpperCase(), NOW, 1, alice))).toBe(
      'ATTESTATION_INVALID',
    );
  });
});
