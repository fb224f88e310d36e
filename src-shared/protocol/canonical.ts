// Canonical bytes for everything the order network signs: one JSON form per value (sorted keys,
// no whitespace, integers only, amounts as strings), prefixed by a domain tag so a signature for
// one message type can never be replayed as another. Signing itself goes through Signer/Verifier.
import { CodedError } from '../errors.ts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

/** A value with no canonical JSON form (code CANONICAL_JSON). */
const canonicalError = (message: string) => new CodedError('CANONICAL_JSON', message);

/** Nesting deeper than this is refused; no real message comes close. */
export const MAX_CANONICAL_DEPTH = 16;

/**
 * The one canonical JSON text of `value`: object keys sorted by UTF-16 code units (as RFC 8785),
 * no whitespace, strings escaped by JSON.stringify. Refused, because two encoders could disagree
 * about them: non-integer or unsafe numbers, -0, NaN, Infinity, bigint (send amounts as strings),
 * undefined (also as an object value), functions, symbols, non-plain objects (Date, Map, bytes),
 * sparse arrays, lone surrogates (UTF-8 would turn them into U+FFFD, so two strings would sign alike).
 */
export function canonicalJson(value: unknown): string {
  return encode(value, 0, '$');
}

function encode(value: unknown, depth: number, path: string): string {
  if (depth > MAX_CANONICAL_DEPTH) throw canonicalError(`${path}: nested deeper than ${MAX_CANONICAL_DEPTH} levels`);
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      if (!value.isWellFormed()) throw canonicalError(`${path}: string has a lone surrogate`);
      return JSON.stringify(value);
    case 'number':
      if (!Number.isSafeInteger(value))
        throw canonicalError(
          `${path}: only safe integers may be numbers (got ${String(value)}); send amounts as strings`,
        );
      if (Object.is(value, -0)) throw canonicalError(`${path}: -0 is not canonical`);
      return String(value);
    case 'bigint':
      throw canonicalError(`${path}: bigint must be sent as a decimal string`);
    case 'undefined':
      throw canonicalError(`${path}: undefined has no JSON form`);
    case 'object':
      break;
    default:
      throw canonicalError(`${path}: a ${typeof value} has no JSON form`);
  }
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw canonicalError(`${path}[${i}]: sparse arrays have no JSON form`);
      parts.push(encode(value[i], depth + 1, `${path}[${i}]`));
    }
    return `[${parts.join(',')}]`;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null)
    throw canonicalError(`${path}: only plain objects have a JSON form`);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  const parts = keys.map((k) => {
    if (!k.isWellFormed()) throw canonicalError(`${path}: key has a lone surrogate`);
    return `${JSON.stringify(k)}:${encode(record[k], depth + 1, `${path}.${k}`)}`;
  });
  return `{${parts.join(',')}}`;
}

/** Character codes findDuplicateKey looks at: it reads codes, not one-character strings. */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/**
 * The first object key that appears twice in one object of a JSON text, or null. JSON.parse keeps
 * the last duplicate silently while other parsers keep the first, so a signed message with
 * duplicate keys could mean two things; such text is refused before it is parsed.
 * Expects text JSON.parse accepts; on other text the answer is meaningless.
 */
export function findDuplicateKey(text: string): string | null {
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let j = i + 1;
      let escaped = false;
      for (let code = text.charCodeAt(j); j < text.length && code !== QUOTE; code = text.charCodeAt(j)) {
        escaped ||= code === BACKSLASH;
        j += code === BACKSLASH ? 2 : 1;
      }
      if (expectKey) {
        // Only a key with escapes needs decoding to compare (every key of every message read).
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        const keys = stack[stack.length - 1];
        if (keys) {
          if (keys.has(key)) return key;
          keys.add(key);
        }
        expectKey = false;
      }
      i = j;
    } else if (c === OPEN_OBJECT) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === OPEN_ARRAY) {
      stack.push(null);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      stack.pop();
    } else if (c === COMMA) {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
  return null;
}

const TYPE_TAG = /^[a-z][a-z0-9.-]{0,63}$/;
const utf8 = new TextEncoder();

/** `hashlock:<type>:v1\n<canonical json>`: the text every order-network signature covers. */
export function signingText(type: string, body: unknown): string {
  if (!TYPE_TAG.test(type)) throw canonicalError(`"${type}" is not a message type tag`);
  return `hashlock:${type}:v1\n${canonicalJson(body)}`;
}

/** The signing text as UTF-8: the exact bytes that are hashed and signed. */
export function signingPayload(type: string, body: unknown): Uint8Array {
  return utf8.encode(signingText(type, body));
}

/** SHA-256 of the signing payload; the 32 bytes that are actually signed, and the id of many messages. */
export function signingDigest(type: string, body: unknown): Uint8Array {
  return sha256(signingPayload(type, body));
}

export function digestHex(type: string, body: unknown): string {
  return bytesToHex(signingDigest(type, body));
}

/**
 * Signs 32-byte digests with one secp256k1 key. The vault implements it (keys never leave it);
 * `publicKey` is the 33-byte compressed key as lowercase hex, `signDigest` returns the 64-byte
 * compact r||s signature with low S.
 */
export interface Signer {
  readonly publicKey: string;
  signDigest(digest: Uint8Array): Uint8Array;
}

export interface Verifier {
  verifyDigest(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean;
  /**
   * The same check given the signed payload instead of its SHA-256 digest, for verifiers that
   * hash themselves (main's native one: Node's crypto takes a message, not a digest). Must accept
   * exactly what `verifyDigest(signature, sha256(payload), publicKey)` accepts.
   */
  verifyPayload?(signature: Uint8Array, payload: Uint8Array, publicKey: Uint8Array): boolean;
}

/** secp256k1 ECDSA over the digest as is (no second hash), 64-byte compact, high S refused (malleable). */
export const secp256k1Verifier: Verifier = {
  verifyDigest(signature, digest, publicKey) {
    try {
      return secp256k1.verify(signature, digest, publicKey, { prehash: false, lowS: true, format: 'compact' });
    } catch {
      return false;
    }
  },
};

/** Whether `signature` signs SHA-256(`payload`), through the verifier's payload path when it has one. */
export function verifyPayload(
  verifier: Verifier,
  signature: Uint8Array,
  payload: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  return verifier.verifyPayload
    ? verifier.verifyPayload(signature, payload, publicKey)
    : verifier.verifyDigest(signature, sha256(payload), publicKey);
}

const SIG_HEX = /^[0-9a-f]{128}$/;
const PUBKEY_HEX = /^0[23][0-9a-f]{64}$/;

/** The signature (128 lowercase hex chars) of `body` under the `type` domain. */
export function signBody(type: string, body: unknown, signer: Signer): string {
  return bytesToHex(signer.signDigest(signingDigest(type, body)));
}

/** Whether `sigHex` is `pubkeyHex`'s signature of `body` under `type`. Never throws: malformed input is just false. */
export function verifyBody(
  type: string,
  body: unknown,
  sigHex: string,
  pubkeyHex: string,
  verifier: Verifier = secp256k1Verifier,
): boolean {
  let payload: Uint8Array;
  try {
    payload = signingPayload(type, body);
  } catch {
    return false;
  }
  return verifyPayloadHex(payload, sigHex, pubkeyHex, verifier);
}

/** Same as verifyBody for a signing payload already encoded (an order's terms: their digest is also its id). */
export function verifyPayloadHex(
  payload: Uint8Array,
  sigHex: string,
  pubkeyHex: string,
  verifier: Verifier = secp256k1Verifier,
): boolean {
  if (!SIG_HEX.test(sigHex) || !PUBKEY_HEX.test(pubkeyHex)) return false;
  return verifyPayload(verifier, hexToBytes(sigHex), payload, hexToBytes(pubkeyHex));
}

/** Same as verifyBody for a digest already computed (e.g. an order id). */
export function verifyDigestHex(
  digestHexValue: string,
  sigHex: string,
  pubkeyHex: string,
  verifier: Verifier = secp256k1Verifier,
): boolean {
  if (!/^[0-9a-f]{64}$/.test(digestHexValue) || !SIG_HEX.test(sigHex) || !PUBKEY_HEX.test(pubkeyHex)) return false;
  return verifier.verifyDigest(hexToBytes(sigHex), hexToBytes(digestHexValue), hexToBytes(pubkeyHex));
}

/**
 * The wire form of a value held with bigints: every bigint becomes its decimal string, the way
 * amounts travel. Inverse of the wire schemas' amount transforms (which refuse leading zeros),
 * so wireForm(decode(x)) is canonically equal to x.
 */
export function wireForm(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(wireForm);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = wireForm(v);
    return out;
  }
  return value;
}
