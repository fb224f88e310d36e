// Invitations in the spirit of Keybase's Seitan (docs §8): the link carries a one-time secret; the
// group learns only a public key derived from it, and the joiner proves knowledge of the secret by
// signing with the derived key, inside a request sealed so that relays see an opaque id and a size.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base58 } from '@scure/base';
import { z } from 'zod';
import { addressOfKey, doubleSha256, recoverCompact, signCompact } from '../identity/compact.ts';
import type { IdentitySigner } from './binding.ts';
import type { Descriptor } from './descriptor.ts';
import {
  addressOfDid,
  b64,
  Base64Url,
  bytesToHex,
  communityError,
  decodeCanonical,
  Did,
  encodeCanonical,
  Hex16,
  Hex32,
  hexToBytes,
  Millis,
  OK,
  refuse,
  tagged,
  utf8ToBytes,
} from './ids.ts';
import type { Verdict } from './ids.ts';
import { mayInvite } from './roles.ts';
import type { Role } from './roles.ts';
import type { Roster } from './roster.ts';

export const LINK_PREFIX = 'hashlock://community/join#';
export const INVITE_SECRET_BYTES = 16;
export const DEFAULT_INVITE_MS = 7 * 24 * 3600 * 1000;
/** How far a request's time may be from the admitting admin's clock. */
export const REQUEST_SKEW_MS = 24 * 3600 * 1000;
export const MAX_KEY_PACKAGE_BYTES = 4096;
const MAX_REQUEST_BYTES = 8 * 1024;

export interface InviteKeys {
  readonly inviteId: string;
  /** The secp256k1 secret that proves knowledge of the link's secret. */
  readonly key: Uint8Array;
  /** Its 33-byte compressed public key, hex: what the group is told. */
  readonly publicKey: string;
  /** AES-256-GCM key that seals join requests from relays. */
  readonly sealKey: Uint8Array;
}

function derive(ikm: Uint8Array, community: string, label: string, length: number): Uint8Array {
  return hkdf(sha256, ikm, hexToBytes(community), utf8ToBytes(`hashlock/communities/invite/${label}`), length);
}

export function inviteKeys(community: string, secret: Uint8Array): InviteKeys {
  if (secret.length !== INVITE_SECRET_BYTES) throw communityError('invite-format', 'an invite secret is 16 bytes');
  let key = derive(secret, community, 'key', 32);
  // A 32-byte string is a valid secp256k1 scalar but for ~2^-128 of them; derive again if not.
  for (let i = 1; !secp256k1.utils.isValidSecretKey(key); i++) key = derive(secret, community, `key/${i}`, 32);
  return {
    inviteId: bytesToHex(derive(secret, community, 'id', 16)),
    key,
    publicKey: bytesToHex(secp256k1.getPublicKey(key, true)),
    sealKey: derive(secret, community, 'seal', 32),
  };
}

/** A request without an invitation ("knock") is sealed with a key anyone who knows the id can derive. */
export function knockSealKey(community: string): Uint8Array {
  return derive(hexToBytes(community), community, 'knock', 32);
}

export function inviteLink(community: string, secret: Uint8Array): string {
  const payload = new Uint8Array(1 + 32 + INVITE_SECRET_BYTES);
  payload[0] = 1;
  payload.set(hexToBytes(community), 1);
  payload.set(secret, 33);
  return LINK_PREFIX + base58.encode(payload);
}

export function parseInviteLink(link: string): { community: string; secret: Uint8Array } {
  const text = link.trim();
  if (!text.startsWith(LINK_PREFIX) || text.length > LINK_PREFIX.length + 80)
    throw communityError('invite-format', 'not a community invitation link');
  let payload: Uint8Array;
  try {
    payload = base58.decode(text.slice(LINK_PREFIX.length));
  } catch {
    throw communityError('invite-format', 'the invitation link is damaged');
  }
  if (payload.length !== 49 || payload[0] !== 1) throw communityError('invite-format', 'unknown invitation format');
  return { community: bytesToHex(payload.subarray(1, 33)), secret: payload.slice(33) };
}

/** What the inviter tells the group (an in-group `invite` control message): never the secret. */
export const InviteRecord = z
  .object({
    inviteId: Hex16,
    key: z.string().regex(/^0[23][0-9a-f]{64}$/, 'not a compressed public key'),
    sealKey: Hex32,
    expiresAt: Millis,
  })
  .strict();
export type InviteRecord = z.infer<typeof InviteRecord>;

export function inviteRecord(keys: InviteKeys, expiresAt: number): InviteRecord {
  return { inviteId: keys.inviteId, key: keys.publicKey, sealKey: bytesToHex(keys.sealKey), expiresAt };
}

export const JoinRequest = z
  .object({
    v: z.literal(1),
    community: Hex32,
    inviteId: Hex16.nullable(),
    did: Did,
    keyPackage: Base64Url(MAX_KEY_PACKAGE_BYTES),
    at: Millis,
    proof: Base64Url(65).nullable(),
    idSig: Base64Url(65),
  })
  .strict();
export type JoinRequest = z.infer<typeof JoinRequest>;

function requestDigest(r: Pick<JoinRequest, 'community' | 'inviteId' | 'did' | 'keyPackage' | 'at'>): Uint8Array {
  const kp = bytesToHex(sha256(b64.decode(r.keyPackage)));
  return doubleSha256(
    tagged('communities.join', { community: r.community, inviteId: r.inviteId, did: r.did, kp, at: r.at }),
  );
}

/** The joiner's request: signed by its identity and, with an invitation, by the invite key. */
export async function makeJoinRequest(input: {
  community: string;
  invite: InviteKeys | null;
  signer: IdentitySigner;
  keyPackage: Uint8Array;
  at: number;
}): Promise<JoinRequest> {
  const base = {
    community: input.community,
    inviteId: input.invite?.inviteId ?? null,
    did: input.signer.did,
    keyPackage: b64.encode(input.keyPackage),
    at: input.at,
  };
  const digest = requestDigest(base);
  const proof = input.invite ? b64.encode(signCompact(digest, input.invite.key)) : null;
  const idSig = b64.encode(await input.signer.signDigest(digest));
  return JoinRequest.parse({ v: 1, ...base, proof, idSig });
}

/** What travels: the invite id in the clear for routing, the request sealed. */
export const SealedJoin = z
  .object({ inviteId: Hex16.nullable(), nonce: Base64Url(12), ct: Base64Url(MAX_REQUEST_BYTES + 16) })
  .strict();
export type SealedJoin = z.infer<typeof SealedJoin>;

async function aesKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

function sealAad(community: string, inviteId: string | null): Uint8Array<ArrayBuffer> {
  return tagged('communities.join-seal', { community, inviteId }) as Uint8Array<ArrayBuffer>;
}

export async function sealJoinRequest(
  request: JoinRequest,
  sealKey: Uint8Array,
  nonce?: Uint8Array,
): Promise<SealedJoin> {
  const iv = (nonce ?? crypto.getRandomValues(new Uint8Array(12))) as Uint8Array<ArrayBuffer>;
  const plain = encodeCanonical(request) as Uint8Array<ArrayBuffer>;
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: sealAad(request.community, request.inviteId) },
    await aesKey(sealKey),
    plain,
  );
  return { inviteId: request.inviteId, nonce: b64.encode(iv), ct: b64.encode(new Uint8Array(ct)) };
}

/** Opens a sealed request; undefined when the key is wrong or anything was changed. */
export async function openJoinRequest(
  sealed: SealedJoin,
  community: string,
  sealKey: Uint8Array,
): Promise<JoinRequest | undefined> {
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: b64.decode(sealed.nonce) as Uint8Array<ArrayBuffer>,
        additionalData: sealAad(community, sealed.inviteId),
      },
      await aesKey(sealKey),
      b64.decode(sealed.ct) as Uint8Array<ArrayBuffer>,
    );
    const request = decodeCanonical(new Uint8Array(plain), JoinRequest, MAX_REQUEST_BYTES);
    if (!request || request.inviteId !== sealed.inviteId || request.community !== community) return undefined;
    return request;
  } catch {
    return undefined;
  }
}

/**
 * The admitting admin's check (docs §8 step 3). `keyPackageDid` is the DID in the key package's
 * binding (the MLS wrapper reads it); `record` and `creatorRole` come from the in-group invite message.
 */
export function checkJoinRequest(input: {
  request: JoinRequest;
  descriptor: Descriptor;
  roster: Roster;
  record: InviteRecord | undefined;
  creatorRole: Role | undefined;
  keyPackageDid: string | undefined;
  now: number;
}): Verdict {
  const { request: r, descriptor: d, roster, record } = input;
  if (r.community !== d.id) return refuse('join-community', 'the request is for another community');
  if (Math.abs(r.at - input.now) > REQUEST_SKEW_MS) return refuse('join-time', 'the request is too old or too new');
  if (roster.bans.includes(r.did)) return refuse('banned', `${r.did} is banned`);
  if (input.keyPackageDid !== r.did) return refuse('join-key-package', 'the key package is bound to another identity');
  const digest = requestDigest(r);
  if (!signedBy(digest, r.idSig, (key) => addressOfKey(key) === addressOfDid(r.did)))
    return refuse('join-signature', 'the request is not signed by its identity');
  if (r.inviteId === null) return OK; // a knock: an admin decides by hand
  if (record === undefined || record.inviteId !== r.inviteId) return refuse('invite-unknown', 'no such invitation');
  if (input.creatorRole === undefined || !mayInvite(d, input.creatorRole))
    return refuse('invite-not-allowed', 'the invitation’s creator may not invite');
  if (record.expiresAt < input.now) return refuse('invite-expired', 'the invitation has expired');
  if (roster.usedInvites.some((u) => u.id === r.inviteId)) return refuse('invite-used', 'the invitation was used');
  if (r.proof === null || !signedBy(digest, r.proof, (key) => bytesToHex(key) === record.key))
    return refuse('invite-proof', 'the request does not prove knowledge of the invitation secret');
  return OK;
}

function signedBy(digest: Uint8Array, sig: string, accept: (key: Uint8Array) => boolean): boolean {
  try {
    return accept(recoverCompact(digest, b64.decode(sig)));
  } catch {
    return false;
  }
}
