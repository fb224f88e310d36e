// Order-key attestations: a registry record signed by the DID and counter-signed by the order key.
// Valid for the key they name while live; refused for another key, after expiry, when issued by
// someone else's key, or when the order key did not sign (claiming a key that is not yours).
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import {
  buildOrderKeyPayload,
  buildOrderKeyWithdrawal,
  isLive,
  orderKeyStatementDigest,
  signOrderKeyAttestation,
  verifyOrderKeyAttestation,
} from './attestation.ts';
import { addressOfKey } from './compact.ts';
import { b64urlFromBytes } from './jws.ts';
import { isIdentityError } from './errors.ts';
import { didOf } from './profile.ts';
import { orderKeySlot, verifyRecord } from './records.ts';
import { didIsHeaderJson, keySigner, signDidIsJws } from './verify.ts';

const seed = (s: string) => sha256(new TextEncoder().encode(s));
const alice = keySigner(seed('attestation test: alice'));
const mallory = keySigner(seed('attestation test: mallory'));
const A = addressOfKey(alice.publicKey);
const M = addressOfKey(mallory.publicKey);
const orderPriv = seed('order key');
const ORDER_KEY = bytesToHex(secp256k1.getPublicKey(orderPriv, true));
const OTHER_KEY = bytesToHex(mallory.publicKey);
const signOrder = (digest: Uint8Array) =>
  secp256k1.sign(digest, orderPriv, { prehash: false, lowS: true, format: 'compact' });
const signOther = (digest: Uint8Array) =>
  secp256k1.sign(digest, seed('not the order key'), { prehash: false, lowS: true, format: 'compact' });
const NOW = 1_750_000_000_000;
const DAY = 86_400_000;

function reason(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    if (isIdentityError(err)) return err.details.reason;
    throw err;
  }
}

/** Alice's attestation payload with some members replaced, signed by `by` as `address`. */
function edited(edit: Record<string, unknown>, by = alice, address = A): string {
  const base = JSON.parse(buildOrderKeyPayload(didOf(A), ORDER_KEY, NOW, 7, signOrder)) as Record<string, unknown>;
  return signDidIsJws(didIsHeaderJson(address), JSON.stringify({ ...base, ...edit }), by);
}

describe('order-key attestation', () => {
  const jws = signOrderKeyAttestation(didOf(A), ORDER_KEY, NOW, 7, alice, signOrder);

  it("verifies for the order's key while it is live", () => {
    expect(verifyOrderKeyAttestation(jws, ORDER_KEY, NOW + DAY)).toEqual({
      did: didOf(A),
      orderKey: ORDER_KEY,
      iat: NOW,
      exp: NOW + 7 * DAY,
    });
  });

  it('is a registry record in its own slot per DID and order key, withdrawn by a tombstone', () => {
    const rec = verifyRecord(jws);
    expect(rec).toMatchObject({
      kind: 'order-key',
      slot: orderKeySlot(didOf(A), ORDER_KEY),
      iat: NOW,
      tombstone: false,
    });
    const gone = signDidIsJws(didIsHeaderJson(A), buildOrderKeyWithdrawal(didOf(A), ORDER_KEY, NOW + 1), alice);
    const tomb = verifyRecord(gone);
    expect(tomb).toMatchObject({ kind: 'order-key', slot: rec.slot, iat: NOW + 1, tombstone: true });
    expect(reason(() => verifyOrderKeyAttestation(gone, ORDER_KEY, NOW + 2))).toBe('ATTESTATION_INVALID');
  });

  it('is live from its iat (5 minutes of clock skew) until its exp', () => {
    const p = verifyRecord(jws);
    if (p.kind !== 'order-key') throw new Error('not an attestation');
    expect(isLive(p.attestation, NOW - 5 * 60_000)).toBe(true);
    expect(isLive(p.attestation, NOW - 5 * 60_000 - 1)).toBe(false);
    expect(isLive(p.attestation, NOW + 7 * DAY - 1)).toBe(true);
    expect(isLive(p.attestation, NOW + 7 * DAY)).toBe(false);
  });

  it.each([
    ['another order key', () => verifyOrderKeyAttestation(jws, OTHER_KEY, NOW), 'ATTESTATION_INVALID'],
    ['after expiry', () => verifyOrderKeyAttestation(jws, ORDER_KEY, NOW + 7 * DAY), 'ATTESTATION_INVALID'],
    ['issued in the future', () => verifyOrderKeyAttestation(jws, ORDER_KEY, NOW - 10 * 60_000), 'ATTESTATION_INVALID'],
    ["alice's DID signed by mallory", () => verifyRecord(edited({}, mallory)), 'SIGNATURE_WRONG_KEY'],
    [
      "mallory claiming alice's order key (the key did not sign)",
      () =>
        verifyRecord(
          edited(
            {
              identifier: didOf(M),
              keySig: b64urlFromBytes(signOther(orderKeyStatementDigest(didOf(M), ORDER_KEY, NOW))),
            },
            mallory,
            M,
          ),
        ),
      'ATTESTATION_INVALID',
    ],
    [
      "the order key's signature for alice lifted into mallory's record",
      () => verifyRecord(edited({ identifier: didOf(M) }, mallory, M)),
      'ATTESTATION_INVALID',
    ],
    ['a key signature from another iat', () => verifyRecord(edited({ iat: NOW + 1 })), 'ATTESTATION_INVALID'],
    ['longer than 30 days', () => verifyRecord(edited({ exp: NOW + 31 * DAY })), 'ATTESTATION_INVALID'],
    ['an exp before its iat', () => verifyRecord(edited({ exp: NOW - 1 })), 'ATTESTATION_INVALID'],
    ['an unknown member', () => verifyRecord(edited({ note: 'x' })), 'ATTESTATION_INVALID'],
    ['an unknown @state', () => verifyRecord(edited({ '@state': 1 })), 'STATE_UNKNOWN'],
    [
      'an upper-case order key',
      () => verifyRecord(edited({ orderKey: ORDER_KEY.toUpperCase() })),
      'ATTESTATION_INVALID',
    ],
    ['a withdrawal that keeps its exp', () => verifyRecord(edited({ '@state': 999 })), 'TOMBSTONE_NOT_EMPTY'],
  ])('refuses %s', (_n, fn, expected) => {
    expect(reason(fn)).toBe(expected);
  });

  it('will not sign for more than 30 days or a malformed key', () => {
    expect(reason(() => signOrderKeyAttestation(didOf(A), ORDER_KEY, NOW, 31, alice, signOrder))).toBe(
      'ATTESTATION_INVALID',
    );
    expect(reason(() => signOrderKeyAttestation(didOf(A), ORDER_KEY.toUpperCase(), NOW, 1, alice, signOrder))).toBe(
      'ATTESTATION_INVALID',
    );
  });
});
