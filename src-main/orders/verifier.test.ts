// Main's native order verifier accepts exactly what src-shared's noble verifier accepts: valid
// signatures, and not a tampered payload, a high-S twin, another key, a malformed key or
// signature; its kept keys never make a signature verify under a different key.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  secp256k1Verifier,
  signingPayload,
  verifyBody,
  verifyPayload,
  type Verifier,
} from '../../src-shared/protocol/canonical.ts';
import { MAKER, SERVICE_NODE, STRANGER, signedOrder } from '../../src-shared/orders/testkit.ts';
import { makerSigProblem, verifyServiceNodeSig } from '../../src-shared/orders/order.ts';
import { createNativeVerifier } from '../identity/index.ts';
import { isLowS, orderVerifier } from './verifier.ts';

const N = secp256k1.Point.CURVE().n;
const payload = signingPayload('order.cancel', { orderId: 'ab'.repeat(32), seq: 1, ts: 1 });
const key = (k: { pubkey: string }) => Uint8Array.from(Buffer.from(k.pubkey, 'hex'));
const sign = (p: Uint8Array, sk: Uint8Array) => secp256k1.sign(sha256(p), sk, { prehash: false });

/** A copy of `bytes` with byte `i` flipped. */
function flipped(bytes: Uint8Array, i: number, mask = 1): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[i] = (out[i] ?? 0) ^ mask;
  return out;
}

/** The same signature with S replaced by n − S: valid ECDSA, refused as malleable. */
function highS(sig: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString('hex')}`);
  const out = Uint8Array.from(sig);
  out.set(Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex'), 32);
  return out;
}

const both = (v: Verifier, sig: Uint8Array, p: Uint8Array, pk: Uint8Array) => [
  verifyPayload(v, sig, p, pk),
  verifyPayload(secp256k1Verifier, sig, p, pk),
];

describe('orderVerifier (native)', () => {
  const v = orderVerifier();
  const sig = sign(payload, MAKER.secretKey);

  it('accepts a valid signature, as noble does', () => {
    expect(both(v, sig, payload, key(MAKER))).toEqual([true, true]);
  });

  it('refuses a tampered payload or signature, as noble does', () => {
    expect(both(v, sig, flipped(payload, payload.length - 2), key(MAKER))).toEqual([false, false]);
    expect(both(v, flipped(sig, 5), payload, key(MAKER))).toEqual([false, false]);
  });

  it('refuses the high-S twin that plain ECDSA (and OpenSSL) would accept', () => {
    const twin = highS(sig);
    expect(isLowS(sig)).toBe(true);
    expect(isLowS(twin)).toBe(false);
    expect(secp256k1.verify(twin, sha256(payload), key(MAKER), { prehash: false, lowS: false })).toBe(true);
    expect(createNativeVerifier().verifySha256(twin, payload, key(MAKER))).toBe(true);
    expect(both(v, twin, payload, key(MAKER))).toEqual([false, false]);
  });

  it('refuses another key, a malformed key and a malformed signature', () => {
    expect(both(v, sig, payload, key(STRANGER))).toEqual([false, false]);
    expect(verifyPayload(v, sig, payload, flipped(key(MAKER), 1, 0xff))).toBe(false);
    expect(verifyPayload(v, sig, payload, key(MAKER).subarray(1))).toBe(false);
    expect(verifyPayload(v, sig.subarray(1), payload, key(MAKER))).toBe(false);
    expect(verifyPayload(v, new Uint8Array(64), payload, key(MAKER))).toBe(false);
  });

  it('a kept key never verifies a signature by another key', () => {
    const native = createNativeVerifier();
    const cached = orderVerifier(native);
    const strangers = sign(payload, STRANGER.secretKey);
    expect(verifyPayload(cached, sig, payload, key(MAKER))).toBe(true);
    expect(native.size).toBe(1);
    // The maker's key is kept now: the stranger's signature still fails under it, passes only under its own.
    expect(verifyPayload(cached, strangers, payload, key(MAKER))).toBe(false);
    expect(verifyPayload(cached, sig, payload, key(STRANGER))).toBe(false);
    expect(verifyPayload(cached, strangers, payload, key(STRANGER))).toBe(true);
    expect(native.size).toBe(2);
  });

  it('checks orders like noble: id, maker and service node signatures', () => {
    const o = signedOrder();
    expect(makerSigProblem(o, v)).toBeNull();
    expect(verifyServiceNodeSig(o, v)).toBe(true);
    expect(makerSigProblem({ ...o, quoteAmount: o.quoteAmount + 1n }, v)).toBe('id');
    const otherSig = signedOrder({ nonce: '2b'.repeat(16) }).makerSig;
    expect(makerSigProblem({ ...o, makerSig: otherSig }, v)).toBe('sig');
    expect(
      verifyServiceNodeSig({ ...o, serviceNode: { ...o.serviceNode, signedAt: o.serviceNode.signedAt + 1 } }, v),
    ).toBe(false);
    expect(verifyServiceNodeSig({ ...o, serviceNode: { ...o.serviceNode, pubkey: MAKER.pubkey } }, v)).toBe(false);
    expect(verifyBody('order.sn', { x: 1 }, o.serviceNode.sig, SERVICE_NODE.pubkey, v)).toBe(false);
  });
});
