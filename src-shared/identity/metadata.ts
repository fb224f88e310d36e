// Private metadata: fields an identity shares only with those it gives a key to (the `identity-key`
// of a payment request). Sealed as compact JWE (dir + A256GCM) with jose, wrapped in a did:is-signed
// record so it is stored, replicated and withdrawn like a profile. The DID is in the JWE's
// authenticated header, so a sealed blob cannot be re-wrapped by another identity.
import { CompactEncrypt, compactDecrypt } from 'jose';
import { z } from 'zod';
import { fail } from './errors.ts';
import { b64urlFromBytes, b64urlToBytes, jsonInOrder, parseJsonObject } from './jws.ts';
import { checkIat, checkState, STATE_ACTIVE, STATE_DELETED } from './profile.ts';
import { addressOfDid } from './verify.ts';

export const METADATA_TYPE = 'identity-metadata';
export const MAX_METADATA_PLAINTEXT_BYTES = 8 * 1024;
export const MAX_METADATA_JWE_CHARS = 12 * 1024;
export const MAX_METADATA_JWS_CHARS = 16 * 1024;
export const METADATA_KEY_BYTES = 32;

export const MetadataFields = z
  .record(z.string().min(1).max(64), z.string().max(2000))
  .refine((r) => Object.keys(r).length <= 32, 'at most 32 metadata fields');
export type MetadataFields = z.infer<typeof MetadataFields>;

export interface MetadataPayload {
  identifier: string;
  iat: number;
  '@type': typeof METADATA_TYPE;
  '@state': 0 | 999;
  jwe: string | null;
}

/** A fresh metadata key from the platform's CSPRNG, as the base64url `identity-key`. */
export function newMetadataKey(): string {
  return b64urlFromBytes(crypto.getRandomValues(new Uint8Array(METADATA_KEY_BYTES)));
}

function keyBytes(identityKey: string): Uint8Array {
  const key = b64urlToBytes(identityKey);
  if (!key || key.length !== METADATA_KEY_BYTES)
    fail('METADATA_KEY_WRONG', 'identity-key is not 32 bytes of base64url');
  return key;
}

const utf8 = new TextEncoder();

export async function sealMetadata(fields: MetadataFields, identityKey: string, did: string): Promise<string> {
  const parsed = MetadataFields.safeParse(fields);
  if (!parsed.success) fail('METADATA_INVALID', parsed.error.issues[0]?.message ?? 'invalid metadata fields');
  const plaintext = utf8.encode(JSON.stringify(parsed.data));
  if (plaintext.length > MAX_METADATA_PLAINTEXT_BYTES) {
    fail('METADATA_TOO_LARGE', `metadata is ${plaintext.length} bytes; at most ${MAX_METADATA_PLAINTEXT_BYTES}`);
  }
  return new CompactEncrypt(plaintext)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'json', iss: did })
    .encrypt(keyBytes(identityKey));
}

/** The protected header of a compact JWE, checked for our algorithms and issuer; no decryption. */
export function checkSealedShape(jwe: unknown, did: string): string {
  if (typeof jwe !== 'string' || jwe.length > MAX_METADATA_JWE_CHARS) {
    fail('METADATA_TOO_LARGE', `sealed metadata is a string of at most ${MAX_METADATA_JWE_CHARS} characters`);
  }
  const parts = jwe.split('.');
  const header = parts.length === 5 && parts[1] === '' ? b64urlToBytes(parts[0]!) : undefined;
  const parsed = header ? parseJsonObject(header) : undefined;
  if (!parsed || parts.slice(2).some((p) => b64urlToBytes(p) === undefined || p === '')) {
    fail('METADATA_INVALID', 'sealed metadata is not a compact JWE with direct key agreement');
  }
  if (parsed.alg !== 'dir' || parsed.enc !== 'A256GCM' || parsed.iss !== did) {
    fail('METADATA_INVALID', 'sealed metadata must be dir/A256GCM and name its identity as iss');
  }
  return jwe;
}

/** Opens sealed metadata with the identity-key a payer was given. */
export async function openMetadata(jwe: string, identityKey: string, did: string): Promise<MetadataFields> {
  checkSealedShape(jwe, did);
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(jwe, keyBytes(identityKey), {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    }));
  } catch {
    return fail('METADATA_KEY_WRONG', 'the key does not open this metadata (wrong key or altered data)');
  }
  const value = parseJsonObject(plaintext);
  const parsed = value ? MetadataFields.safeParse(value) : undefined;
  if (!parsed?.success) fail('METADATA_INVALID', 'the opened metadata is not a JSON object of strings');
  return parsed.data;
}

const MEMBERS = new Set(['identifier', 'iat', '@type', '@state', 'jwe']);

export function checkMetadataPayload(payload: Record<string, unknown>): MetadataPayload {
  for (const key of Object.keys(payload)) {
    if (!MEMBERS.has(key)) fail('FIELD_UNKNOWN', `metadata member "${key.slice(0, 32)}" is not allowed`);
  }
  const did = payload.identifier;
  if (addressOfDid(did) === undefined) fail('IDENTIFIER_INVALID', 'identifier is not a did:is DID');
  const iat = checkIat(payload.iat);
  const state = checkState(payload['@state']);
  if (state === STATE_DELETED) {
    if (payload.jwe != null) fail('TOMBSTONE_NOT_EMPTY', 'withdrawn metadata carries no JWE');
  } else {
    checkSealedShape(payload.jwe, did as string);
  }
  return {
    identifier: did as string,
    iat,
    '@type': METADATA_TYPE,
    '@state': state,
    jwe: (payload.jwe as string) ?? null,
  };
}

export function buildMetadataPayload(did: string, iat: number, jwe: string | null): string {
  const payload = jsonInOrder([
    ['identifier', did],
    ['iat', iat],
    ['@type', METADATA_TYPE],
    ['@state', jwe === null ? STATE_DELETED : STATE_ACTIVE],
    ['jwe', jwe],
  ]);
  checkMetadataPayload(JSON.parse(payload) as Record<string, unknown>);
  return payload;
}
