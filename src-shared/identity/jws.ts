// Compact JWS as did:is uses it: three base64url parts, strictly decoded, size-capped before any
// decoding. Parsing keeps the received segments so signatures are checked over the exact bytes
// that were signed; nothing here re-serializes a payload it did not write.
import { base64urlnopad } from '@scure/base';
import { findDuplicateKey } from '../protocol/canonical.ts';
import { fail } from './errors.ts';

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const B64URL = /^[A-Za-z0-9_-]*$/;

export function b64urlFromBytes(bytes: Uint8Array): string {
  return base64urlnopad.encode(bytes);
}

export function b64urlFromText(text: string): string {
  return base64urlnopad.encode(utf8.encode(text));
}

/** Strict base64url without padding: the alphabet, no '=', and the canonical encoding only. */
export function b64urlToBytes(text: string): Uint8Array | undefined {
  if (!B64URL.test(text) || text.length % 4 === 1) return undefined;
  try {
    const bytes = base64urlnopad.decode(text);
    // Non-zero trailing bits decode to the same bytes: such a twin would hash differently.
    return base64urlnopad.encode(bytes) === text ? bytes : undefined;
  } catch {
    return undefined;
  }
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
