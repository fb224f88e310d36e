// Names of things in a community: did:is identities, community ids (owner-bound), gossip topics,
// devices (one per messaging key) and the byte/text encodings they travel in. Every other file in
// this folder takes its schemas from here, so an id is checked the same way everywhere.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { base64urlnopad } from '@scure/base';
import { z } from 'zod';
import { ApiError } from '../api/errors.ts';
import { isCoded } from '../errors.ts';
import { DID_IS_VERSION, decodeAddress } from '../identity/compact.ts';
import { canonicalJson, findDuplicateKey } from '../protocol/canonical.ts';

export { bytesToHex, hexToBytes, utf8ToBytes };

export const DID_PREFIX = 'did:is:';

/** A did:is identifier whose address decodes with the did:is version byte. */
export const Did = z
  .string()
  .max(64)
  .refine((s) => s.startsWith(DID_PREFIX) && decodeAddress(s.slice(DID_PREFIX.length))?.version === DID_IS_VERSION, {
    message: 'not a did:is identifier',
  });

export const Hex32 = z.string().regex(/^[0-9a-f]{64}$/, 'not 32 bytes of lowercase hex');
export const Hex16 = z.string().regex(/^[0-9a-f]{32}$/, 'not 16 bytes of lowercase hex');
export const DeviceId = z.string().regex(/^[0-9a-f]{16}$/, 'not a device id');
/** Milliseconds since 1970, as an integer. */
export const Millis = z.number().int().min(0).max(8.64e15);

export function didOfAddress(address: string): string {
  return DID_PREFIX + address;
}

export function addressOfDid(did: string): string {
  return did.slice(DID_PREFIX.length);
}

/** `hashlock:<type>:v1\n<canonical json>` as bytes: the domain-tagged text every hash here covers. */
export function tagged(type: string, body: unknown): Uint8Array {
  return utf8ToBytes(`hashlock:${type}:v1\n${canonicalJson(body)}`);
}

/** Domain-separated SHA-256 of raw bytes. */
export function taggedHash(tag: string, ...parts: Uint8Array[]): Uint8Array {
  const h = sha256.create().update(utf8ToBytes(`hashlock:${tag}:v1`));
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The community id binds its owner: no one else can issue a valid descriptor for it. */
export function communityIdOf(owner: string, nonce: string): string {
  return bytesToHex(sha256(tagged('communities.id', { owner, nonce })));
}

/** The gossip topic: computable only from the id, says nothing about the name. */
export function topicOf(communityId: string): string {
  const h = bytesToHex(taggedHash('communities.topic', hexToBytes(communityId))).slice(0, 32);
  return `/hashlock/communities/1/${h}`;
}

/** A device is one messaging key: the first 8 bytes of its SHA-256, as hex. */
export function deviceOf(messagingPublicKey: Uint8Array): string {
  return bytesToHex(sha256(messagingPublicKey)).slice(0, 16);
}

export const b64 = {
  encode: (bytes: Uint8Array): string => base64urlnopad.encode(bytes),
  decode: (text: string): Uint8Array => base64urlnopad.decode(text),
};

/** Base64url text whose decoded size is at most `maxBytes`. */
export function Base64Url(maxBytes: number) {
  return z
    .string()
    .max(Math.ceil((maxBytes * 4) / 3) + 4)
    .regex(/^[A-Za-z0-9_-]*$/, 'not base64url')
    .refine(
      (s) => {
        try {
          return base64urlnopad.decode(s).length <= maxBytes;
        } catch {
          return false;
        }
      },
      { message: `not base64url of at most ${maxBytes} bytes` },
    );
}

/**
 * A coded refusal of the core, already as the API tells it: a CONFLICT ApiError whose details.code
 * is stable (tests and the API match on it); the message is for people.
 */
export type CommunityError = ApiError & { readonly details: { readonly code: string } };

export function communityError(code: string, message: string): CommunityError {
  return new ApiError('CONFLICT', message, { code }) as CommunityError;
}

/** True when `err` is a community refusal (with one of `codes`, when given). */
export function isCommunityError(err: unknown, ...codes: string[]): err is CommunityError {
  if (!isCoded(err, 'CONFLICT') || !(err instanceof ApiError)) return false;
  const code = (err.details as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (codes.length === 0 || codes.includes(code));
}

export type Verdict = { ok: true } | { ok: false; code: string; reason: string };
export const OK: Verdict = { ok: true };
export function refuse(code: string, reason: string): Verdict {
  return { ok: false, code, reason };
}

/** Canonical JSON as UTF-8: the byte form of every structured value that is signed or hashed here. */
export function encodeCanonical(value: unknown): Uint8Array {
  return utf8ToBytes(canonicalJson(value));
}

/**
 * Parses bytes that must be the canonical JSON of a value `schema` accepts; anything else (other
 * encodings of the same value, duplicate keys, bad UTF-8, over `maxBytes`) is undefined, so one
 * value has one byte form and one hash.
 */
export function decodeCanonical<S extends z.ZodType>(
  bytes: Uint8Array,
  schema: S,
  maxBytes: number,
): z.output<S> | undefined {
  if (bytes.length > maxBytes) return undefined;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (findDuplicateKey(text) !== null) return undefined;
    const parsed = schema.safeParse(JSON.parse(text));
    if (!parsed.success || canonicalJson(parsed.data) !== text) return undefined;
    return parsed.data;
  } catch {
    return undefined;
  }
}
