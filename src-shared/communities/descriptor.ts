// The community descriptor: name, channels, roles and persistence, signed by the owner's identity
// key and versioned (a higher version wins). It lives in the MLS group context (extension 0xF0C1),
// so members and joiners hold the same copy and only commits change it (docs §4).
import { z } from 'zod';
import { addressOfKey, doubleSha256, isCompactSignatureError, recoverCompact } from '../identity/compact.ts';
import type { IdentitySigner } from './binding.ts';
import {
  addressOfDid,
  b64,
  Base64Url,
  communityIdOf,
  decodeCanonical,
  Did,
  encodeCanonical,
  Hex16,
  Hex32,
  Millis,
  OK,
  refuse,
  tagged,
} from './ids.ts';
import type { Verdict } from './ids.ts';

export const DESCRIPTOR_EXTENSION = 0xf0c1;
export const MAX_DESCRIPTOR_BYTES = 8 * 1024;
/** The picture travels as an in-group asset message, which must fit one gossip payload. */
export const MAX_PICTURE_BYTES = 32 * 1024;

export const ChannelId = z.string().regex(/^[a-z0-9-]{1,32}$/, 'a channel id is 1–32 of a–z, 0–9, -');
export const Channel = z
  .object({ id: ChannelId, name: z.string().min(1).max(64), topic: z.string().max(256).optional() })
  .strict();

export const StorageNodeRef = z
  .object({ peerId: z.string().min(1).max(128), key: z.string().regex(/^[0-9a-f]{64}$/, 'not an x-only key') })
  .strict();

export const Persistence = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('relay') }).strict(),
  z
    .object({
      mode: z.literal('store'),
      nodes: z.array(StorageNodeRef).min(1).max(8),
      retentionDays: z.number().int().min(1).max(3650),
    })
    .strict(),
]);
export type Persistence = z.infer<typeof Persistence>;

export const InvitePolicy = z.enum(['owner', 'admins', 'members']);

export const Descriptor = z
  .object({
    v: z.literal(1),
    kind: z.enum(['community', 'dm']),
    id: Hex32,
    nonce: Hex16,
    owner: Did,
    version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    issuedAt: Millis,
    name: z.string().max(100),
    description: z.string().max(2000),
    picture: z
      .object({
        sha256: Hex32,
        mime: z.enum(['image/png', 'image/jpeg', 'image/webp']),
        size: z.number().int().min(1).max(MAX_PICTURE_BYTES),
      })
      .strict()
      .nullable(),
    channels: z.array(Channel).min(1).max(64),
    admins: z.array(Did).max(64),
    invite: InvitePolicy,
    persistence: Persistence,
    peer: Did.optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (new Set(d.channels.map((c) => c.id)).size !== d.channels.length) issue('channel ids repeat');
    if (new Set(d.admins).size !== d.admins.length) issue('admins repeat');
    if (d.admins.includes(d.owner)) issue('the owner is not also an admin');
    if (d.kind === 'community') {
      if (d.name.length === 0) issue('a community has a name');
      if (d.peer !== undefined) issue('only a dm names a peer');
    } else {
      const ok = d.peer !== undefined && d.peer !== d.owner && d.admins.length === 1 && d.admins[0] === d.peer;
      if (!ok) issue('a dm names its peer, who is its only admin');
      if (d.invite !== 'owner' || d.channels.length !== 1) issue('a dm has one channel and no invitations');
    }
  });
export type Descriptor = z.infer<typeof Descriptor>;

export const SignedDescriptor = z.object({ descriptor: Descriptor, sig: Base64Url(65) }).strict();
export type SignedDescriptor = z.infer<typeof SignedDescriptor>;

export function descriptorDigest(descriptor: Descriptor): Uint8Array {
  return doubleSha256(tagged('communities.descriptor', descriptor));
}

/** Signs with the owner's identity key; refuses a descriptor the schema or its id would refuse. */
export async function signDescriptor(signer: IdentitySigner, descriptor: Descriptor): Promise<SignedDescriptor> {
  const parsed = Descriptor.parse(descriptor);
  if (parsed.owner !== signer.did) throw new Error('only the owner signs a descriptor');
  if (communityIdOf(parsed.owner, parsed.nonce) !== parsed.id) throw new Error('the id is not the owner’s');
  const sig = await signer.signDigest(descriptorDigest(parsed));
  return { descriptor: parsed, sig: b64.encode(sig) };
}

/** The signature is the owner's and the id is bound to the owner and nonce. */
export function verifyDescriptor(signed: SignedDescriptor): Verdict {
  const d = signed.descriptor;
  if (communityIdOf(d.owner, d.nonce) !== d.id) return refuse('descriptor-id', 'the id is not bound to this owner');
  try {
    const key = recoverCompact(descriptorDigest(d), b64.decode(signed.sig));
    if (addressOfKey(key) !== addressOfDid(d.owner))
      return refuse('descriptor-signature', 'the descriptor is not signed by its owner');
  } catch (err) {
    if (isCompactSignatureError(err)) return refuse('descriptor-signature', err.message);
    throw err;
  }
  return OK;
}

/**
 * Whether `next` may replace `current` (undefined: the first one). The owner, id, nonce and kind
 * never change; the version strictly grows, so a replayed older descriptor never wins.
 */
export function acceptDescriptor(current: SignedDescriptor | undefined, next: SignedDescriptor): Verdict {
  const verdict = verifyDescriptor(next);
  if (!verdict.ok) return verdict;
  if (current === undefined) return OK;
  const a = current.descriptor;
  const b = next.descriptor;
  if (a.id !== b.id || a.nonce !== b.nonce || a.owner !== b.owner || a.kind !== b.kind)
    return refuse('descriptor-identity', 'a descriptor update keeps its id, owner and kind');
  if (b.version <= a.version)
    return refuse('descriptor-stale', `version ${b.version} does not follow version ${a.version}`);
  if (a.kind === 'dm' && a.peer !== b.peer) return refuse('descriptor-identity', 'a dm keeps its peer');
  return OK;
}

export function encodeDescriptor(signed: SignedDescriptor): Uint8Array {
  return encodeCanonical(signed);
}

export function decodeDescriptor(bytes: Uint8Array): SignedDescriptor | undefined {
  return decodeCanonical(bytes, SignedDescriptor, MAX_DESCRIPTOR_BYTES);
}

/** A fresh version-1 descriptor with defaults a new community starts from. */
export function draftDescriptor(input: {
  owner: string;
  nonce: string;
  issuedAt: number;
  name: string;
  kind?: 'community' | 'dm';
  description?: string;
  channels?: z.input<typeof Channel>[];
  admins?: string[];
  invite?: z.infer<typeof InvitePolicy>;
  persistence?: Persistence;
  peer?: string;
}): Descriptor {
  const kind = input.kind ?? 'community';
  return Descriptor.parse({
    v: 1,
    kind,
    id: communityIdOf(input.owner, input.nonce),
    nonce: input.nonce,
    owner: input.owner,
    version: 1,
    issuedAt: input.issuedAt,
    name: input.name,
    description: input.description ?? '',
    picture: null,
    channels: input.channels ?? [{ id: 'general', name: kind === 'dm' ? 'messages' : 'general' }],
    admins: kind === 'dm' ? [input.peer] : (input.admins ?? []),
    invite: kind === 'dm' ? 'owner' : (input.invite ?? 'admins'),
    persistence: input.persistence ?? { mode: 'relay' },
    ...(kind === 'dm' ? { peer: input.peer } : {}),
  });
}
