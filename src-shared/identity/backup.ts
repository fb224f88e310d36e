// An encrypted backup an identity keeps for itself (the payment book first): a compact JWE only
// its owner can open, wrapped in a did:is-signed record so the registry stores, replicates and
// replaces it like any record, one per slot `did#backup:<name>`. Restoring the seed restores the
// identity key, which finds the record again and derives the key that opens it (docs/payments.md §10).
import { fail } from './errors.ts';
import { b64urlToBytes, jsonInOrder, parseJsonObject } from './jws.ts';
import { MAX_PROFILE_JWS_CHARS, STATE_ACTIVE, STATE_DELETED, checkIat, checkState } from './profile.ts';
import { addressOfDid } from './verify.ts';

export const BACKUP_TYPE = 'identity-backup';
/** The whole record fits the registry's cap on any record. */
export const MAX_BACKUP_JWS_CHARS = MAX_PROFILE_JWS_CHARS;
/** Room for the JWE inside such a record, after the header, the payload members and the signature. */
export const MAX_BACKUP_JWE_CHARS = 23 * 1024;
const NAME = /^[a-z][a-z0-9-]{0,31}$/;

export interface BackupPayload {
  identifier: string;
  iat: number;
  '@type': typeof BACKUP_TYPE;
  '@state': 0 | 999;
  /** What is backed up, e.g. "payments": one slot per name. */
  name: string;
  jwe: string | null;
}

export function backupSlot(did: string, name: string): string {
  return `${did}#backup:${name}`;
}

const MEMBERS = new Set(['identifier', 'iat', '@type', '@state', 'name', 'jwe']);

/** A compact JWE sealed with a direct key (dir/A256GCM) that names its identity as iss; not opened. */
export function checkBackupJwe(jwe: unknown, did: string): string {
  if (typeof jwe !== 'string' || jwe.length > MAX_BACKUP_JWE_CHARS) {
    fail('BACKUP_INVALID', `a backup is a JWE of at most ${MAX_BACKUP_JWE_CHARS} characters`);
  }
  const parts = jwe.split('.');
  const header = parts.length === 5 && parts[1] === '' ? b64urlToBytes(parts[0]!) : undefined;
  const parsed = header ? parseJsonObject(header) : undefined;
  if (!parsed || parts.slice(2).some((p) => p === '' || b64urlToBytes(p) === undefined)) {
    fail('BACKUP_INVALID', 'a backup is a compact JWE with a direct key');
  }
  if (parsed.alg !== 'dir' || parsed.enc !== 'A256GCM' || parsed.iss !== did) {
    fail('BACKUP_INVALID', 'a backup must be dir/A256GCM and name its identity as iss');
  }
  return jwe;
}

export function checkBackupPayload(payload: Record<string, unknown>): BackupPayload {
  for (const key of Object.keys(payload)) {
    if (!MEMBERS.has(key)) fail('FIELD_UNKNOWN', `backup member "${key.slice(0, 32)}" is not allowed`);
  }
  const did = payload.identifier;
  if (addressOfDid(did) === undefined) fail('IDENTIFIER_INVALID', 'identifier is not a did:is DID');
  const iat = checkIat(payload.iat);
  const state = checkState(payload['@state']);
  const name = payload.name;
  if (typeof name !== 'string' || !NAME.test(name)) {
    fail('BACKUP_INVALID', 'a backup names what it holds in lower-case letters, digits and dashes (at most 32)');
  }
  if (state === STATE_DELETED) {
    if (payload.jwe != null) fail('TOMBSTONE_NOT_EMPTY', 'a withdrawn backup carries no JWE');
  } else {
    checkBackupJwe(payload.jwe, did as string);
  }
  return {
    identifier: did as string,
    iat,
    '@type': BACKUP_TYPE,
    '@state': state,
    name,
    jwe: (payload.jwe as string) ?? null,
  };
}

/** The payload JSON of a backup (or, with jwe null, its withdrawal), checked as a reader would. */
export function buildBackupPayload(did: string, iat: number, name: string, jwe: string | null): string {
  const payload = jsonInOrder([
    ['identifier', did],
    ['iat', iat],
    ['@type', BACKUP_TYPE],
    ['@state', jwe === null ? STATE_DELETED : STATE_ACTIVE],
    ['name', name],
    ['jwe', jwe],
  ]);
  checkBackupPayload(JSON.parse(payload) as Record<string, unknown>);
  return payload;
}
