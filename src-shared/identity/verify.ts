// did:is JWS signatures: checking one against its kid, and making one. Verification has a port so
// main can use Node's native secp256k1 (several times faster) once a key is known; keys are
// recovered once with noble and cached. Every path accepts exactly the same records (docs §2).
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  addressOfKey,
  compactRange,
  decodeAddress,
  DID_IS_VERSION,
  isCompactSignatureError,
  recoverCompact,
  signCompact,
} from './compact.ts';
import { fail } from './errors.ts';
import { asciiBytes, b64urlFromBytes, b64urlFromText, parseCompactJws, type ParsedJws } from './jws.ts';

export const DID_IS_PREFIX = 'did:is:';

/**
 * ECDSA over SHA-256(message), 64-byte r‖s, any S (the core checks S itself). did:is passes
 * message = SHA256(signing input), which makes the double hash; Node's
 * `crypto.verify('sha256', message, key, sig)` has exactly this shape.
 */
export interface Sha256Verifier {
  verifySha256(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /**
   * The port's SHA-256, where it has a native one: the record's two hashes are a fifth of its check
   * in JS. A string is hashed as its UTF-8 bytes (a JWS is ASCII), without encoding it first.
   */
  sha256?(data: Uint8Array | string): Uint8Array;
}

export const nobleSha256Verifier: Sha256Verifier = {
  verifySha256(signature, message, publicKey) {
    try {
      return secp256k1.verify(signature, message, publicKey, { prehash: true, lowS: false, format: 'compact' });
    } catch {
      return false;
    }
  },
};

/** Address → 33-byte compressed key, learned by recovery. Bounded: oldest entries go first. */
export interface KeyCache {
  get(address: string): Uint8Array | undefined;
  set(address: string, key: Uint8Array): void;
}

export function createKeyCache(max = 100_000): KeyCache {
  const map = new Map<string, Uint8Array>();
  return {
    get: (address) => map.get(address),
    set(address, key) {
      if (map.has(address)) return;
      if (map.size >= max) map.delete(map.keys().next().value as string);
      map.set(address, key);
    },
  };
}

// The last address found valid and its key hash. A record's kid and its payload's identifier name
// the same address, so the second check is a string compare instead of a base58check decode, and
// a key hint is checked against the hash (no base58check encode of the hint's address).
let lastValidAddress = '';
let lastValidHash: Uint8Array = new Uint8Array(0);

type Hash = (data: Uint8Array) => Uint8Array;

/** Whether `text` is a did:is address. `hash`: the platform's SHA-256 for the checksum, where it has one. */
export function isDidIsAddress(text: unknown, hash: Hash = sha256): boolean {
  if (typeof text !== 'string' || text.length < 25 || text.length > 40) return false;
  if (text === lastValidAddress) return true;
  const decoded = decodeAddress(text, hash);
  const valid = decoded?.version === DID_IS_VERSION;
  if (valid) {
    lastValidAddress = text;
    lastValidHash = decoded.hash;
  }
  return valid;
}

/**
 * Whether `key` (33 bytes) is the key of the did:is `address`: HASH160(key) is the address's hash.
 * The same answer as `addressOfKey(key) === address` (base58check is one-to-one), with the
 * platform's SHA-256 where the verifier has one.
 */
function isKeyOf(key: Uint8Array, address: string, hash: Hash): boolean {
  if (key.length !== 33) return false;
  const decoded =
    address === lastValidAddress ? { version: DID_IS_VERSION, hash: lastValidHash } : decodeAddress(address, hash);
  if (decoded?.version !== DID_IS_VERSION) return false;
  return sameBytes(ripemd160(hash(key)), decoded.hash);
}

/** The address of a `did:is:<address>` identifier, or undefined. */
export function addressOfDid(did: unknown): string | undefined {
  if (typeof did !== 'string' || !did.startsWith(DID_IS_PREFIX)) return undefined;
  const address = did.slice(DID_IS_PREFIX.length);
  return isDidIsAddress(address) ? address : undefined;
}

export interface VerifyOptions {
  readonly maxChars: number;
  readonly verifier?: Sha256Verifier;
  readonly keys?: KeyCache;
  /** The signer's 33-byte key as the sender claims it; checked, never trusted. */
  readonly keyHint?: Uint8Array;
  /** `kid` is a DID URL `did:is:<address>#<fragment>` (credentials) instead of the bare address. */
  readonly kidIsDidUrl?: boolean;
  /** Header members besides alg, typ, kid that are allowed. */
  readonly extraHeader?: readonly string[];
}

export interface VerifiedJws extends ParsedJws {
  readonly address: string;
  readonly publicKey: Uint8Array;
  /** Hex SHA-256 of the signing input and r‖s: the record's identity (the header byte is left out). */
  readonly recordId: string;
  readonly path: 'cache' | 'hint' | 'recovered';
}

const HEADER_MEMBERS = new Set(['alg', 'typ', 'kid']);

function kidAddress(kid: unknown, didUrl: boolean, sha: Hash): string {
  if (typeof kid !== 'string') fail('KID_INVALID', 'the header has no kid');
  if (!didUrl) {
    if (!isDidIsAddress(kid, sha))
      fail('KID_INVALID', `kid ${JSON.stringify(kid.slice(0, 64))} is not a did:is address`);
    return kid;
  }
  const hash = kid.indexOf('#');
  const address = hash > 0 ? addressOfDid(kid.slice(0, hash)) : undefined;
  if (!address || hash === kid.length - 1) {
    fail('KID_INVALID', `kid "${kid.slice(0, 80)}" is not a did:is DID URL with a fragment`);
  }
  return address;
}

function checkHeader(header: Record<string, unknown>, opts: VerifyOptions, hash: Hash): string {
  if (header.alg !== 'ES256K') fail('ALG_UNSUPPORTED', `alg ${JSON.stringify(header.alg)} is not ES256K`);
  if (header.typ !== undefined && header.typ !== 'JWT') fail('HEADER_INVALID', 'typ must be JWT when present');
  for (const member of Object.keys(header)) {
    if (!HEADER_MEMBERS.has(member) && !opts.extraHeader?.includes(member)) {
      fail('HEADER_INVALID', `header member "${member.slice(0, 32)}" is not allowed`);
    }
  }
  return kidAddress(header.kid, opts.kidIsDidUrl === true, hash);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The key among the four recovery ids whose address is `address`, header's id first. */
function recoverKey(digest: Uint8Array, signature: Uint8Array, address: string): Uint8Array | undefined {
  const first = signature[0]! - 31;
  for (const recid of [first, first ^ 1, first ^ 2, first ^ 3]) {
    const candidate = Uint8Array.from(signature);
    candidate[0] = 31 + recid;
    try {
      const key = recoverCompact(digest, candidate);
      if (addressOfKey(key) === address) return key;
    } catch (err) {
      if (!isCompactSignatureError(err)) throw err;
    }
  }
  return undefined;
}

/** Parses `content` and checks its signature against the address in its kid. Throws IdentityError. */
export function verifyDidIsJws(content: unknown, opts: VerifyOptions): VerifiedJws {
  const jws = parseCompactJws(content, opts.maxChars);
  const verifier = opts.verifier ?? nobleSha256Verifier;
  const hash: Hash = verifier.sha256 ?? sha256;
  const hashText = (text: string) => (verifier.sha256 ? verifier.sha256(text) : sha256(asciiBytes(text)));
  const address = checkHeader(jws.header, opts, hash);
  const sig = jws.signature;
  if (sig.length !== 65) fail('SIGNATURE_MALFORMED', `a did:is signature is 65 bytes, not ${sig.length}`);
  if (sig[0]! < 31 || sig[0]! > 34) {
    fail('SIGNATURE_MALFORMED', `signature header byte ${sig[0]} is not a compressed-key header (31–34)`);
  }
  const rs = sig.subarray(1);
  const range = compactRange(rs);
  if (range === 'out-of-range') fail('SIGNATURE_MALFORMED', 'r or s is out of range');
  if (range === 'high-s') fail('SIGNATURE_HIGH_S', 'the signature has a high S (its low-S twin is the valid one)');
  const singleHash = hashText(jws.signingInput);
  const recordId = bytesToHex(hashText(`${jws.signingInput}.${b64urlFromBytes(rs)}`));
  const cached = opts.keys?.get(address);
  if (cached) {
    if (!verifier.verifySha256(rs, singleHash, cached)) wrongKey(address);
    return { ...jws, address, publicKey: cached, recordId, path: 'cache' };
  }
  const hint = opts.keyHint;
  if (hint && isKeyOf(hint, address, hash)) {
    if (!verifier.verifySha256(rs, singleHash, hint)) wrongKey(address);
    opts.keys?.set(address, hint);
    return { ...jws, address, publicKey: hint, recordId, path: 'hint' };
  }
  const key = recoverKey(sha256(singleHash), sig, address);
  if (!key) wrongKey(address);
  opts.keys?.set(address, key);
  return { ...jws, address, publicKey: key, recordId, path: 'recovered' };
}

function wrongKey(address: string): never {
  fail('SIGNATURE_WRONG_KEY', `the signature is not by the key of ${address}`);
}

/** Signs 32-byte digests with a did:is key: 65-byte compact recoverable, low S. The vault implements it. */
export interface DigestSigner {
  /** 33-byte compressed public key. */
  readonly publicKey: Uint8Array;
  signDigest(digest: Uint8Array): Uint8Array;
}

/** A signer over a raw secret key: for tests and tools; real keys stay in the vault. */
export function keySigner(secretKey: Uint8Array): DigestSigner {
  return {
    publicKey: secp256k1.getPublicKey(secretKey, true),
    signDigest: (digest) => signCompact(digest, secretKey),
  };
}

/** The exact header did:is writes (the spec's member order). */
export function didIsHeaderJson(kid: string): string {
  return JSON.stringify({ alg: 'ES256K', typ: 'JWT', kid });
}

/** `b64(header).b64(payload).b64(sig)` with the signature over SHA256(SHA256(signing input)). */
export function signDidIsJws(headerJson: string, payloadJson: string, signer: DigestSigner): string {
  const signingInput = `${b64urlFromText(headerJson)}.${b64urlFromText(payloadJson)}`;
  const sig = signer.signDigest(sha256(sha256(asciiBytes(signingInput))));
  if (sig.length !== 65) throw new RangeError('a did:is signer returns 65-byte compact signatures');
  return `${signingInput}.${b64urlFromBytes(sig)}`;
}

export function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return sameBytes(a, b);
}
