// Every kind of record the registry stores, verified into one shape: which slot it fills, its iat,
// whether it is a tombstone, and its id. Ingest, replication and the API all go through
// verifyRecord, so a record is judged the same way wherever it comes from.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { MAX_ATTESTATION_CHARS, ORDER_KEY_TYPE, checkOrderKeyPayload, type OrderKeyPayload } from './attestation.ts';
import { BACKUP_TYPE, MAX_BACKUP_JWS_CHARS, backupSlot, checkBackupPayload, type BackupPayload } from './backup.ts';
import { fail } from './errors.ts';
import { asciiBytes, b64urlFromBytes, b64urlToBytes, parseJsonObject } from './jws.ts';
import {
  LINK_TYPE,
  MAX_LINK_REVOCATION_CHARS,
  checkLinkPayload,
  checkLinkRevocation,
  knownChain,
  linkTarget,
  type ChainLookup,
  type LinkPayload,
  type LinkRevocation,
} from './links.ts';
import { METADATA_TYPE, MAX_METADATA_JWS_CHARS, checkMetadataPayload, type MetadataPayload } from './metadata.ts';
import {
  MAX_PROFILE_JWS_CHARS,
  PROFILE_TYPE,
  STATE_DELETED,
  checkProfilePayload,
  type ProfilePayload,
} from './profile.ts';
import { DID_IS_PREFIX, verifyDidIsJws, type KeyCache, type Sha256Verifier } from './verify.ts';

export type RecordKind = 'profile' | 'metadata' | 'link' | 'order-key' | 'backup';

/** The largest record of any kind, checked before anything is decoded. */
export const MAX_RECORD_CHARS = MAX_PROFILE_JWS_CHARS;

interface RecordBase {
  readonly did: string;
  readonly address: string;
  /** `did`, `did#metadata`, `did#link:<target>` or `did#order-key:<key>`: one current record per slot. */
  readonly slot: string;
  readonly iat: number;
  readonly tombstone: boolean;
  /** 64 hex: SHA-256 over the signed bytes (header byte of a did:is signature left out). */
  readonly id: string;
  readonly content: string;
}

export type VerifiedRecord =
  | (RecordBase & { kind: 'profile'; profile: ProfilePayload; publicKey: Uint8Array })
  | (RecordBase & { kind: 'metadata'; metadata: MetadataPayload; publicKey: Uint8Array })
  | (RecordBase & { kind: 'backup'; backup: BackupPayload; publicKey: Uint8Array })
  | (RecordBase & { kind: 'link'; link: LinkPayload; publicKey: Uint8Array })
  | (RecordBase & { kind: 'link'; revocation: LinkRevocation; publicKey?: undefined })
  | (RecordBase & { kind: 'order-key'; attestation: OrderKeyPayload; publicKey: Uint8Array });

export interface RecordOptions {
  readonly verifier?: Sha256Verifier;
  readonly keys?: KeyCache;
  readonly keyHint?: Uint8Array;
  readonly chains?: ChainLookup;
}

export function linkSlot(did: string, target: string): string {
  return `${did}#link:${target}`;
}

export function orderKeySlot(did: string, orderKeyHex: string): string {
  return `${did}#order-key:${orderKeyHex}`;
}

export function metadataSlot(did: string): string {
  return `${did}#metadata`;
}

function verifyRevocation(content: string, chains: ChainLookup): VerifiedRecord {
  if (content.length > MAX_LINK_REVOCATION_CHARS) fail('JWS_TOO_LARGE', 'a link revocation is at most 1 KiB');
  const value = parseJsonObject(asciiBytes(content));
  if (!value) fail('PAYLOAD_NOT_JSON', 'a link revocation is a JSON object');
  const revocation = checkLinkRevocation(value, chains);
  const did = revocation.identifier;
  return {
    kind: 'link',
    did,
    address: did.slice(DID_IS_PREFIX.length),
    slot: linkSlot(did, revocation.account),
    iat: revocation.iat,
    tombstone: true,
    id: bytesToHex(sha256(asciiBytes(content))),
    content,
    revocation,
  };
}

/**
 * The id a record will have if it verifies, computed without checking anything but its framing
 * (a fetch answer's records are matched to what was asked before the costly check); undefined
 * when it is not even shaped like a record. `hash`: a native SHA-256 where there is one.
 */
export function recordIdOf(content: string, hash: (data: Uint8Array) => Uint8Array = sha256): string | undefined {
  if (content.length > MAX_RECORD_CHARS) return undefined;
  if (content.startsWith('{')) return bytesToHex(hash(asciiBytes(content)));
  const parts = content.split('.');
  if (parts.length !== 3) return undefined;
  const sig = b64urlToBytes(parts[2]!);
  if (!sig || sig.length !== 65) return undefined;
  return bytesToHex(hash(asciiBytes(`${parts[0]}.${parts[1]}.${b64urlFromBytes(sig.subarray(1))}`)));
}

/** Verifies any record (signature, shape, limits); throws IdentityError naming the reason. */
export function verifyRecord(content: unknown, opts: RecordOptions = {}): VerifiedRecord {
  const chains = opts.chains ?? knownChain;
  if (typeof content === 'string' && content.startsWith('{')) return verifyRevocation(content, chains);
  const jws = verifyDidIsJws(content, {
    maxChars: MAX_RECORD_CHARS,
    verifier: opts.verifier,
    keys: opts.keys,
    keyHint: opts.keyHint,
  });
  const did = `${DID_IS_PREFIX}${jws.address}`;
  if (jws.payload.identifier !== did) {
    fail('KID_MISMATCH', `the payload's identifier is not ${did}, the DID of the kid`);
  }
  const base = { did, address: jws.address, iat: 0, id: jws.recordId, content: jws.content, publicKey: jws.publicKey };
  const payloadType = jws.payload['@type'];
  if (payloadType === undefined || payloadType === PROFILE_TYPE) {
    const profile = checkProfilePayload(jws.payload);
    return {
      ...base,
      kind: 'profile',
      slot: did,
      iat: profile.iat,
      tombstone: profile['@state'] === STATE_DELETED,
      profile,
    };
  }
  if (payloadType === METADATA_TYPE) {
    if (jws.content.length > MAX_METADATA_JWS_CHARS) fail('JWS_TOO_LARGE', 'a metadata record is at most 16 KiB');
    const metadata = checkMetadataPayload(jws.payload);
    const tombstone = metadata['@state'] === STATE_DELETED;
    return { ...base, kind: 'metadata', slot: metadataSlot(did), iat: metadata.iat, tombstone, metadata };
  }
  if (payloadType === BACKUP_TYPE) {
    if (jws.content.length > MAX_BACKUP_JWS_CHARS) fail('JWS_TOO_LARGE', 'a backup record is at most 32 KiB');
    const backup = checkBackupPayload(jws.payload);
    const tombstone = backup['@state'] === STATE_DELETED;
    return { ...base, kind: 'backup', slot: backupSlot(did, backup.name), iat: backup.iat, tombstone, backup };
  }
  if (payloadType === LINK_TYPE) {
    const link = checkLinkPayload(jws.payload, chains);
    const slot = linkSlot(did, linkTarget(link));
    return { ...base, kind: 'link', slot, iat: link.iat, tombstone: link['@state'] === STATE_DELETED, link };
  }
  if (payloadType === ORDER_KEY_TYPE) {
    if (jws.content.length > MAX_ATTESTATION_CHARS) fail('JWS_TOO_LARGE', 'an order-key attestation is at most 1 KiB');
    const attestation = checkOrderKeyPayload(jws.payload);
    const slot = orderKeySlot(did, attestation.orderKey);
    const tombstone = attestation['@state'] === STATE_DELETED;
    return { ...base, kind: 'order-key', slot, iat: attestation.iat, tombstone, attestation };
  }
  return fail('TYPE_UNKNOWN', `@type ${JSON.stringify(payloadType)?.slice(0, 40)} is not a record this registry keeps`);
}
