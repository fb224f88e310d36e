// Bitcoin's compact recoverable signature, as did:is v0.0.1 uses it (facts/identity.md): 65 bytes
// [27 + 4 + recid] ‖ r ‖ s over SHA256(SHA256(message)), no message prefix. The same primitive
// signs payment bindings and link statements, so it lives here once.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { createBase58check } from '@scure/base';
import { CodedError, isCoded } from '../errors.ts';

const base58check = createBase58check(sha256);

/** did:is identifier version byte ("P…" addresses). */
export const DID_IS_VERSION = 55;
/** Header byte offset for a compressed key: 27 + 4. */
const COMPRESSED_HEADER = 31;

export function doubleSha256(bytes: Uint8Array): Uint8Array {
  return sha256(sha256(bytes));
}

export function hash160(bytes: Uint8Array): Uint8Array {
  return ripemd160(sha256(bytes));
}

// The curve order n and n/2, big-endian.
const N = Uint8Array.from([
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc,
  0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
]);
const HALF_N = Uint8Array.from([
  0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e,
  0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
]);

/** -1, 0 or 1 as the 32 bytes of `x` from `at` compare with `y`, both big-endian. */
function compare32(x: Uint8Array, at: number, y: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const a = x[at + i]!;
    const b = y[i]!;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

const isZero32 = (x: Uint8Array, at: number) => x.subarray(at, at + 32).every((b) => b === 0);

/**
 * A 64-byte r ‖ s read by bytes: 'out-of-range' unless 0 < r, s < n, else 'high-s' when s > n/2.
 * The same judgement as noble's Signature.fromBytes and hasHighS, without making bigints.
 */
export function compactRange(rs: Uint8Array): 'ok' | 'high-s' | 'out-of-range' {
  if (rs.length !== 64) return 'out-of-range';
  if (isZero32(rs, 0) || isZero32(rs, 32) || compare32(rs, 0, N) >= 0 || compare32(rs, 32, N) >= 0)
    return 'out-of-range';
  return compare32(rs, 32, HALF_N) > 0 ? 'high-s' : 'ok';
}

/** Whether the S half of a 64-byte r ‖ s is above n/2 (the malleated twin of a low-S one). */
export const isHighS = (rs: Uint8Array): boolean => compare32(rs, 32, HALF_N) > 0;

/** r ‖ (n - s): the low-S twin of a signature (valid exactly when the other is). */
export function lowSTwin(rs: Uint8Array): Uint8Array {
  const out = Uint8Array.from(rs);
  let borrow = 0;
  for (let i = 31; i >= 0; i--) {
    const d = N[i]! - rs[32 + i]! - borrow;
    borrow = d < 0 ? 1 : 0;
    out[32 + i] = d & 0xff;
  }
  return out;
}

/** Signs a 32-byte digest: low-S, compressed-key header. */
export function signCompact(digest: Uint8Array, secretKey: Uint8Array): Uint8Array {
  const rec = secp256k1.sign(digest, secretKey, { prehash: false, format: 'recovered', lowS: true });
  // noble gives [recid, r, s]; the compact form puts the header first with the key type folded in.
  const out = new Uint8Array(65);
  out[0] = COMPRESSED_HEADER + rec[0]!;
  out.set(rec.subarray(1), 1);
  return out;
}

/** A signature or key the compact form cannot use; callers that try several candidates skip these. */
export const compactSignatureError = (message: string) => new CodedError('COMPACT_SIGNATURE', message);
export const isCompactSignatureError = (err: unknown): err is CodedError<'COMPACT_SIGNATURE'> =>
  isCoded(err, 'COMPACT_SIGNATURE');

/**
 * The 33-byte compressed public key that made `sig` over `digest`. Headers 27–30 (uncompressed key)
 * are refused: did:is addresses hash the compressed key, so such a signature could never match.
 */
export function recoverCompact(digest: Uint8Array, sig: Uint8Array): Uint8Array {
  if (sig.length !== 65) throw compactSignatureError(`a compact signature is 65 bytes, not ${sig.length}`);
  const header = sig[0]!;
  if (header < COMPRESSED_HEADER || header > COMPRESSED_HEADER + 3) {
    throw compactSignatureError(`compact signature header ${header} is not a compressed-key header (31–34)`);
  }
  const rec = new Uint8Array(65);
  rec[0] = header - COMPRESSED_HEADER;
  rec.set(sig.subarray(1), 1);
  try {
    return secp256k1.recoverPublicKey(rec, digest, { prehash: false });
  } catch (err) {
    throw compactSignatureError(`the signature recovers no key: ${(err as Error).message}`);
  }
}

/** base58check(version ‖ HASH160(compressed public key)). */
export function addressOfKey(publicKey: Uint8Array, version = DID_IS_VERSION): string {
  if (publicKey.length !== 33) throw compactSignatureError('a did:is key is a 33-byte compressed key');
  const payload = new Uint8Array(21);
  payload[0] = version;
  payload.set(hash160(publicKey), 1);
  return base58check.encode(payload);
}

// A base58check codec per SHA-256 (noble's by default; a node's native one where it passes it).
const codecs = new WeakMap<(data: Uint8Array) => Uint8Array, typeof base58check>([[sha256, base58check]]);

/**
 * The version byte and hash of a base58check address, or undefined when it is not one. `hash`:
 * the platform's SHA-256 for the checksum (the same answer; noble's was ~5 % of a verify worker).
 */
export function decodeAddress(
  address: string,
  hash: (data: Uint8Array) => Uint8Array = sha256,
): { version: number; hash: Uint8Array } | undefined {
  let codec = codecs.get(hash);
  if (!codec) codecs.set(hash, (codec = createBase58check(hash)));
  try {
    const bytes = codec.decode(address);
    if (bytes.length !== 21) return undefined;
    return { version: bytes[0]!, hash: bytes.subarray(1) };
  } catch {
    return undefined;
  }
}
