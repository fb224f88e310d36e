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

/** The version byte and hash of a base58check address, or undefined when it is not one. */
export function decodeAddress(address: string): { version: number; hash: Uint8Array } | undefined {
  try {
    const bytes = base58check.decode(address);
    if (bytes.length !== 21) return undefined;
    return { version: bytes[0]!, hash: bytes.subarray(1) };
  } catch {
    return undefined;
  }
}
