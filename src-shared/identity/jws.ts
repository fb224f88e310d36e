// Compact JWS as did:is uses it: three base64url parts, strictly decoded, size-capped before any
// decoding. Parsing keeps the received segments so signatures are checked over the exact bytes
// that were signed; nothing here re-serializes a payload it did not write.
import { findDuplicateKey } from '../protocol/canonical.ts';
import { fail } from './errors.ts';

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// base64url by table: every record is decoded on ingest, and a generic radix codec cost more per
// profile than hashing it (docs/identity.md §12). jws.test.ts checks both ways against @scure/base.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DIGITS = Array.from(ALPHABET);
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** The 6-bit value of the character at `i`, or -1 outside the base64url alphabet. */
function digit(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 128 ? VALUES[c]! : -1;
}

export function b64urlFromBytes(bytes: Uint8Array): string {
  let out = '';
  const whole = bytes.length - (bytes.length % 3);
  for (let i = 0; i < whole; i += 3) {
    const x = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += DIGITS[x >> 18]! + DIGITS[(x >> 12) & 63]! + DIGITS[(x >> 6) & 63]! + DIGITS[x & 63]!;
  }
  if (bytes.length - whole === 1) {
    const x = bytes[whole]!;
    out += DIGITS[x >> 2]! + DIGITS[(x & 3) << 4]!;
  } else if (bytes.length - whole === 2) {
    const x = (bytes[whole]! << 8) | bytes[whole + 1]!;
    out += DIGITS[x >> 10]! + DIGITS[(x >> 4) & 63]! + DIGITS[(x & 15) << 2]!;
  }
  return out;
}

export function b64urlFromText(text: string): string {
  return b64urlFromBytes(utf8.encode(text));
}

/**
 * Strict base64url without padding: the alphabet, no '=', and the canonical encoding only (a last
 * character with non-zero unused bits decodes to the same bytes as its canonical twin, which
 * would hash differently, so it is refused).
 */
export function b64urlToBytes(text: string): Uint8Array | undefined {
  const rest = text.length % 4;
  if (rest === 1) return undefined;
  const out = new Uint8Array((text.length * 3) >> 2);
  const whole = text.length - rest;
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = digit(text, i);
    const b = digit(text, i + 1);
    const c = digit(text, i + 2);
    const d = digit(text, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
    out[o++] = ((c & 3) << 6) | d;
  }
  if (rest === 0) return out;
  const a = digit(text, whole);
  const b = digit(text, whole + 1);
  if ((a | b) < 0) return undefined;
  out[o++] = (a << 2) | (b >> 4);
  if (rest === 2) return (b & 15) === 0 ? out : undefined;
  const c = digit(text, whole + 2);
  if (c < 0 || (c & 3) !== 0) return undefined;
  out[o] = ((b & 15) << 4) | (c >> 2);
  return out;
}

export function asciiBytes(text: string): Uint8Array {
  return utf8.encode(text);
}

/** A JSON object from UTF-8 bytes, or undefined (not UTF-8, not JSON, duplicate keys, not an object). */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = utf8Strict.decode(bytes);
  } catch {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (findDuplicateKey(text) !== null) return undefined;
  return value as Record<string, unknown>;
}

export interface ParsedJws {
  readonly content: string;
  /** `<b64 header>.<b64 payload>`: the ASCII the signature covers. */
  readonly signingInput: string;
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly headerB64: string;
  readonly payloadB64: string;
  readonly signatureB64: string;
  readonly signature: Uint8Array;
}

/** Splits and decodes a compact JWS. The signature is not checked here. */
export function parseCompactJws(content: unknown, maxChars: number): ParsedJws {
  if (typeof content !== 'string') fail('JWS_MALFORMED', 'a compact JWS is a string');
  if (content.length > maxChars) {
    fail('JWS_TOO_LARGE', `the JWS has ${content.length} characters; at most ${maxChars} are accepted`);
  }
  const parts = content.split('.');
  if (parts.length !== 3) fail('JWS_MALFORMED', `a compact JWS has three dot-separated parts, not ${parts.length}`);
  const [headerB64, payloadB64, signatureB64] = parts as [string, string, string];
  const headerBytes = b64urlToBytes(headerB64);
  const payloadBytes = b64urlToBytes(payloadB64);
  const signature = b64urlToBytes(signatureB64);
  if (!headerBytes || !payloadBytes || !signature || headerB64 === '' || payloadB64 === '') {
    fail('JWS_MALFORMED', 'each JWS part must be non-empty canonical base64url without padding');
  }
  const header = parseJsonObject(headerBytes);
  if (!header) fail('HEADER_INVALID', 'the JWS header is not a JSON object (UTF-8, no duplicate keys)');
  const payload = parseJsonObject(payloadBytes);
  if (!payload) fail('PAYLOAD_NOT_JSON', 'the JWS payload is not a JSON object (UTF-8, no duplicate keys)');
  return {
    content,
    signingInput: `${headerB64}.${payloadB64}`,
    header,
    payload,
    headerB64,
    payloadB64,
    signatureB64,
    signature,
  };
}

/** Serializes a JSON value with the members in the order given (JSON.stringify keeps insertion order). */
export function jsonInOrder(entries: ReadonlyArray<readonly [string, unknown]>): string {
  return JSON.stringify(Object.fromEntries(entries));
}
