// Storage nodes (docs §14): keep ciphertext they cannot read, per topic, numbered by their own
// sequence. Membership is proven with a per-epoch key every member derives from MLS and that an
// admin announces, so the node learns no identity. Clients check every page they are served.
import { ed25519 } from '@noble/curves/ed25519.js';
import { schnorr } from '@noble/curves/secp256k1.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { Envelope, envelopeAuthDigest, TOPIC } from './envelope.ts';
import { b64, Base64Url, bytesToHex, hexToBytes, Hex16, Millis, OK, refuse, tagged, utf8ToBytes } from './ids.ts';
import type { Verdict } from './ids.ts';

export const MAX_PAGE = 256;
/** How many epochs back a serve request's membership proof may be. */
export const SERVE_EPOCH_WINDOW = 64;
export const SERVE_SKEW_MS = 5 * 60 * 1000;
export const KNOCK_BOX_MAX = 256;
export const KNOCK_MAX_BYTES = 16 * 1024;
export const KNOCK_TTL_MS = 7 * 24 * 3600 * 1000;

const XOnly = z.string().regex(/^[0-9a-f]{64}$/, 'not an x-only public key');
const SchnorrSig = Base64Url(64);
const EpochText = z.string().regex(/^(0|[1-9][0-9]{0,15})$/, 'not an epoch');

export const StorageGrant = z
  .object({
    v: z.literal(1),
    topic: z.string().regex(TOPIC),
    node: z.string().min(1).max(128),
    controller: XOnly,
    /** Ed25519 messaging keys of the owner's and admins' devices (32 bytes, hex). */
    admins: z.array(XOnly).max(66),
    retentionDays: z.number().int().min(1).max(3650),
    quotaBytes: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    maxEnvelopeBytes: z
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024),
    version: z.number().int().min(1),
    issuedAt: Millis,
  })
  .strict();
export type StorageGrant = z.infer<typeof StorageGrant>;
export const SignedGrant = z.object({ grant: StorageGrant, sig: SchnorrSig }).strict();
export type SignedGrant = z.infer<typeof SignedGrant>;

export const EpochKey = z
  .object({ v: z.literal(1), topic: z.string().regex(TOPIC), epoch: EpochText, branch: Hex16, key: XOnly, by: XOnly })
  .strict();
export type EpochKey = z.infer<typeof EpochKey>;
export const SignedEpochKey = z.object({ epochKey: EpochKey, sig: SchnorrSig }).strict();
export type SignedEpochKey = z.infer<typeof SignedEpochKey>;

export interface StorageKey {
  readonly secret: Uint8Array;
  /** x-only public key, hex. */
  readonly publicKey: string;
}

/** A Schnorr key from 32 secret bytes (an MLS exporter output, or a vault-derived controller seed). */
export function storageKeyFromSeed(seed: Uint8Array): StorageKey {
  let secret = hkdf(sha256, seed, undefined, utf8ToBytes('hashlock/communities/storage-key'), 32);
  for (let i = 1; !validScalar(secret); i++)
    secret = hkdf(sha256, seed, undefined, utf8ToBytes(`hashlock/communities/storage-key/${i}`), 32);
  return { secret, publicKey: bytesToHex(schnorr.getPublicKey(secret)) };
}

/** A key kept as its secret (sealed by the node); throws on bytes that are no valid key. */
export function storageKeyFromSecret(secret: Uint8Array): StorageKey {
  return { secret, publicKey: bytesToHex(schnorr.getPublicKey(secret)) };
}

function validScalar(bytes: Uint8Array): boolean {
  try {
    schnorr.getPublicKey(bytes);
    return true;
  } catch {
    return false;
  }
}

function signTagged(type: string, body: unknown, key: StorageKey): string {
  return b64.encode(schnorr.sign(sha256(tagged(type, body)), key.secret));
}

function verifyTagged(type: string, body: unknown, sig: string, publicKey: string): boolean {
  try {
    return schnorr.verify(b64.decode(sig), sha256(tagged(type, body)), hexToBytes(publicKey));
  } catch {
    return false;
  }
}

export function signGrant(grant: StorageGrant, controller: StorageKey): SignedGrant {
  if (grant.controller !== controller.publicKey) throw new Error('the grant names another controller');
  return { grant: StorageGrant.parse(grant), sig: signTagged('communities.storage-grant', grant, controller) };
}

/** A grant replaces another only for the same topic, node and controller, with a higher version. */
export function acceptGrant(current: SignedGrant | undefined, next: SignedGrant): Verdict {
  if (!verifyTagged('communities.storage-grant', next.grant, next.sig, next.grant.controller))
    return refuse('grant-signature', 'the grant is not signed by its controller');
  if (!current) return OK;
  const a = current.grant;
  const b = next.grant;
  if (a.topic !== b.topic || a.node !== b.node || a.controller !== b.controller)
    return refuse('grant-identity', 'a grant update keeps its topic, node and controller');
  if (b.version <= a.version) return refuse('grant-stale', 'the grant is not newer');
  return OK;
}

/** By the controller (Schnorr): the owner's own announcements. */
export function signEpochKey(epochKey: EpochKey, controller: StorageKey): SignedEpochKey {
  if (epochKey.by !== controller.publicKey) throw new Error('the epoch key names another signer');
  return { epochKey: EpochKey.parse(epochKey), sig: signTagged('communities.epoch-key', epochKey, controller) };
}

/**
 * By an owner or admin device's messaging key (Ed25519, through the MLS provider): the grant lists
 * those keys, which the owner reads from the group's own tree, so admins announce nothing extra.
 */
export async function signEpochKeyAsAdmin(
  epochKey: EpochKey,
  sign: (message: Uint8Array) => Uint8Array | Promise<Uint8Array>,
): Promise<SignedEpochKey> {
  const parsed = EpochKey.parse(epochKey);
  return { epochKey: parsed, sig: b64.encode(await sign(epochKeyDigest(parsed))) };
}

function epochKeyDigest(k: EpochKey): Uint8Array {
  return sha256(tagged('communities.epoch-key', k));
}

/** Only keys the grant names may introduce an epoch key: a removed member knows old ones, but is no admin. */
export function acceptEpochKey(grant: StorageGrant, signed: SignedEpochKey): Verdict {
  const k = signed.epochKey;
  if (k.topic !== grant.topic) return refuse('not-granted', 'the epoch key is for another topic');
  const byController = k.by === grant.controller;
  if (!byController && !grant.admins.includes(k.by))
    return refuse('epoch-key-signer', 'the epoch key is not signed by an admin storage key');
  const valid = byController
    ? verifyTagged('communities.epoch-key', k, signed.sig, k.by)
    : verifyEd25519(signed.sig, epochKeyDigest(k), k.by);
  if (!valid) return refuse('epoch-key-signature', 'the epoch key signature is invalid');
  return OK;
}

function verifyEd25519(sig: string, message: Uint8Array, publicKey: string): boolean {
  try {
    return ed25519.verify(b64.decode(sig), message, hexToBytes(publicKey));
  } catch {
    return false;
  }
}

/** The member's proof for a store: a Schnorr signature by the epoch key over the envelope. */
export function authorizeEnvelope(envelope: Envelope, epochKey: StorageKey): Envelope {
  return { ...envelope, auth: b64.encode(schnorr.sign(envelopeAuthDigest(envelope), epochKey.secret)) };
}

export interface StorageTopicState {
  readonly grant: SignedGrant;
  /** `${epoch}:${branch}` → x-only key. */
  readonly epochKeys: ReadonlyMap<string, string>;
  readonly newestEpoch: number;
  readonly seq: number;
  readonly bytes: number;
  readonly knocks: number;
}

export function openTopic(grant: SignedGrant): StorageTopicState {
  return { grant, epochKeys: new Map(), newestEpoch: 0, seq: 0, bytes: 0, knocks: 0 };
}

export function addEpochKey(
  state: StorageTopicState,
  signed: SignedEpochKey,
): { state: StorageTopicState; verdict: Verdict } {
  const verdict = acceptEpochKey(state.grant.grant, signed);
  if (!verdict.ok) return { state, verdict };
  const k = signed.epochKey;
  const epochKeys = new Map(state.epochKeys).set(`${k.epoch}:${k.branch}`, k.key);
  return { state: { ...state, epochKeys, newestEpoch: Math.max(state.newestEpoch, Number(k.epoch)) }, verdict };
}

export type StoreResult =
  { ok: true; state: StorageTopicState; seq: number } | { ok: false; code: string; reason: string };

/** The node's store decision; `size` is the envelope's encoded size, counted against the quota. */
export function checkStore(state: StorageTopicState, envelope: Envelope, size: number): StoreResult {
  const g = state.grant.grant;
  if (envelope.topic !== g.topic) return refuse('not-granted', 'this node keeps nothing for that topic') as StoreResult;
  if (envelope.kind === 'join') {
    if (size > KNOCK_MAX_BYTES) return refuse('envelope-too-large', 'a join request is over its cap') as StoreResult;
    if (state.knocks >= KNOCK_BOX_MAX) return refuse('knock-box-full', 'too many pending join requests') as StoreResult;
    return { ok: true, state: { ...state, knocks: state.knocks + 1, seq: state.seq + 1 }, seq: state.seq + 1 };
  }
  if (size > g.maxEnvelopeBytes) return refuse('envelope-too-large', 'over the node’s envelope cap') as StoreResult;
  const key = state.epochKeys.get(`${envelope.epoch}:${envelope.branch}`);
  if (!key) return refuse('unknown-epoch', 'no admin announced this epoch') as StoreResult;
  if (!envelope.auth || !verifyAuth(envelopeAuthDigest(envelope), envelope.auth, key))
    return refuse('bad-auth', 'the envelope is not signed by a member of its epoch') as StoreResult;
  if (state.bytes + size > g.quotaBytes) return refuse('quota-exceeded', 'the topic’s quota is used up') as StoreResult;
  return { ok: true, state: { ...state, seq: state.seq + 1, bytes: state.bytes + size }, seq: state.seq + 1 };
}

function verifyAuth(digest: Uint8Array, sig: string, key: string): boolean {
  try {
    return schnorr.verify(b64.decode(sig), digest, hexToBytes(key));
  } catch {
    return false;
  }
}

/** Items stored before this time are past the grant's retention. */
export function retentionCutoff(grant: StorageGrant, nowMs: number): number {
  return nowMs - grant.retentionDays * 24 * 3600 * 1000;
}

export const ServeRequest = z
  .object({
    v: z.literal(1),
    topic: z.string().regex(TOPIC),
    after: z.number().int().min(0),
    limit: z.number().int().min(1).max(MAX_PAGE),
    epoch: EpochText,
    branch: Hex16,
    at: Millis,
    auth: SchnorrSig,
  })
  .strict();
export type ServeRequest = z.infer<typeof ServeRequest>;

export function makeServeRequest(fields: Omit<ServeRequest, 'v' | 'auth'>, epochKey: StorageKey): ServeRequest {
  const body = { v: 1 as const, ...fields };
  return ServeRequest.parse({ ...body, auth: signTagged('communities.serve', body, epochKey) });
}

/** Members only, with a key of a recent epoch, recently signed (a captured request cannot be reused for long). */
export function checkServe(state: StorageTopicState, r: ServeRequest, nowMs: number): Verdict {
  if (r.topic !== state.grant.grant.topic) return refuse('not-granted', 'this node keeps nothing for that topic');
  if (Math.abs(r.at - nowMs) > SERVE_SKEW_MS) return refuse('serve-time', 'the request is too old or too new');
  if (Number(r.epoch) + SERVE_EPOCH_WINDOW < state.newestEpoch)
    return refuse('serve-epoch', 'the membership proof is from too old an epoch');
  const key = state.epochKeys.get(`${r.epoch}:${r.branch}`);
  const { auth, ...body } = r;
  if (!key || !verifyTagged('communities.serve', body, auth, key))
    return refuse('bad-auth', 'the request is not signed by a member');
  return OK;
}

export interface StoredItem {
  readonly seq: number;
  readonly envelope: Envelope;
}

export interface Page {
  topic: string;
  items: StoredItem[];
  /** The lowest seq still kept (older ones are past retention). */
  floor: number;
  /** Where to continue, or null when this page reached the head. */
  next: number | null;
  head: number;
}

/**
 * The node's answer from its items (sorted by seq). `sizeOf` and `maxBytes` keep the answer under
 * the network's response cap: a page cut short by size says where to continue (`next`).
 */
export function servePage(
  items: readonly StoredItem[],
  r: Pick<ServeRequest, 'topic' | 'after' | 'limit'>,
  head: number,
  cap?: { maxBytes: number; sizeOf: (item: StoredItem) => number },
): Page {
  const page: StoredItem[] = [];
  let bytes = 0;
  for (const item of items) {
    if (item.seq <= r.after) continue;
    if (page.length >= r.limit) break;
    const size = cap ? cap.sizeOf(item) : 0;
    if (cap && page.length > 0 && bytes + size > cap.maxBytes) break;
    bytes += size;
    page.push(item);
  }
  const last = page[page.length - 1]?.seq;
  return {
    topic: r.topic,
    items: page,
    floor: items[0]?.seq ?? head + 1,
    next: last !== undefined && last < head ? last : null,
    head,
  };
}

/**
 * The client's check of a page: one topic, strictly increasing and contiguous from where it asked
 * (or from the retention floor), within the limit, consistent next/head. A hole is a dropped range.
 */
export function verifyPage(
  r: Pick<ServeRequest, 'topic' | 'after' | 'limit'>,
  page: Page,
): Verdict & { missing?: [number, number] } {
  if (page.topic !== r.topic || page.items.some((i) => i.envelope.topic !== r.topic))
    return refuse('storage-wrong-topic', 'the page holds items of another topic');
  if (page.items.length > r.limit) return refuse('storage-page', 'the page is longer than asked');
  if (page.items.some((item, i) => i > 0 && item.seq <= page.items[i - 1]!.seq))
    return refuse('storage-page', 'items are not in increasing order');
  let expect = Math.max(r.after + 1, page.floor);
  for (const item of page.items) {
    if (item.seq < expect) return refuse('storage-page', 'an item is before the asked range');
    if (item.seq > expect) {
      return {
        ...refuse('storage-dropped-range', `items ${expect}–${item.seq - 1} are missing`),
        missing: [expect, item.seq - 1],
      };
    }
    if (!Envelope.safeParse(item.envelope).success)
      return refuse('storage-altered-item', `item ${item.seq} is malformed`);
    expect++;
  }
  const last = expect - 1;
  if (page.head < last) return refuse('storage-page', 'the head is behind the items');
  // A page may be cut short by size; it then says so by naming its last item as where to go on.
  const full = page.items.length === r.limit || (page.items.length > 0 && page.next === last);
  if (!full && last < page.head)
    return {
      ...refuse('storage-dropped-range', `items ${expect}–${page.head} are missing`),
      missing: [expect, page.head],
    };
  if (page.next !== null && page.next !== last) return refuse('storage-page', 'next does not follow the items');
  return OK;
}
