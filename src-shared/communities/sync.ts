// The request protocols of communities (docs §13–14): members catching up from each other
// (`sync`), members and storage nodes (`store`), and direct messages started with a peer (`dm`).
// Schemas of every request and answer, and the membership proof a member signs with its epoch's
// storage-auth key, so whoever answers learns that a member asks, never which one.
import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { Envelope, TOPIC } from './envelope.ts';
import { b64, Base64Url, DeviceId, Did, Hex16, Hex32, hexToBytes, Millis, OK, refuse, tagged } from './ids.ts';
import type { Verdict } from './ids.ts';
import { MAX_KEY_PACKAGE_BYTES } from './invite.ts';
import { MAX_PAGE, ServeRequest, SignedEpochKey, SignedGrant, SERVE_EPOCH_WINDOW, SERVE_SKEW_MS } from './storage.ts';
import type { StorageKey } from './storage.ts';

export const SYNC_PROTOCOL = '/hashlock/communities/sync/1';
export const STORE_PROTOCOL = '/hashlock/communities/store/1';
export const DM_PROTOCOL = '/hashlock/communities/dm/1';

const Topic = z.string().regex(TOPIC, 'not a community topic');
const EpochText = z.string().regex(/^(0|[1-9][0-9]{0,15})$/, 'not an epoch');
const XOnly = z.string().regex(/^[0-9a-f]{64}$/, 'not an x-only public key');
/** How many device seqs one range request may ask for. */
export const MAX_RANGE = 512;

/** "A member of epoch (epoch, branch) asks this, now": a Schnorr signature by that epoch's storage key. */
export const Proof = z.object({ epoch: EpochText, branch: Hex16, at: Millis, sig: Base64Url(64) }).strict();
export type Proof = z.infer<typeof Proof>;

function proofDigest(topic: string, t: string, p: Omit<Proof, 'sig'>): Uint8Array {
  return sha256(tagged('communities.sync-proof', { topic, t, epoch: p.epoch, branch: p.branch, at: p.at }));
}

export function makeProof(
  topic: string,
  t: string,
  epoch: { epoch: number; branch: string },
  at: number,
  key: StorageKey,
): Proof {
  const fields = { epoch: String(epoch.epoch), branch: epoch.branch, at };
  return { ...fields, sig: b64.encode(schnorr.sign(proofDigest(topic, t, fields), key.secret)) };
}

/**
 * Signatures of proofs that checked, remembered (bounded, oldest first out): a member reuses one
 * proof for the pages of a catch-up (it is not bound to a page, so this adds nothing a replay of
 * it could not do within the skew), and the Schnorr check is the costly part. Only the signature
 * is remembered: the time and the epoch of a remembered proof are judged again each time.
 */
export class VerifiedProofs {
  readonly #seen = new Set<string>();
  readonly #max: number;
  constructor(max = 1024) {
    this.#max = max;
  }
  has(k: string): boolean {
    return this.#seen.has(k);
  }
  add(k: string): void {
    if (this.#seen.size >= this.#max) this.#seen.delete(this.#seen.values().next().value!);
    this.#seen.add(k);
  }
}

/**
 * Whether `proof` comes from a member of a recent epoch this node knows (`keyOf`), made within the
 * skew of `now`. A removed member keeps old keys: it can fetch ciphertext of the last few epochs,
 * learning sizes and timing, nothing it can read. `verified`: signatures already checked.
 */
export function verifyProof(
  topic: string,
  t: string,
  proof: Proof,
  known: {
    keyOf: (epoch: number, branch: string) => string | undefined;
    newestEpoch: number;
    verified?: VerifiedProofs;
  },
  now: number,
): Verdict {
  if (Math.abs(proof.at - now) > SERVE_SKEW_MS) return refuse('serve-time', 'the request is too old or too new');
  const epoch = Number(proof.epoch);
  if (epoch + SERVE_EPOCH_WINDOW < known.newestEpoch)
    return refuse('serve-epoch', 'the membership proof is from too old an epoch');
  const key = known.keyOf(epoch, proof.branch);
  if (!key) return refuse('unknown-epoch', 'this node does not know that epoch');
  try {
    const { sig, ...fields } = proof;
    const digest = proofDigest(topic, t, fields);
    // The key, the signature and what it signs: a proof with any field changed is checked afresh.
    const memo = `${key}:${sig}:${b64.encode(digest)}`;
    if (known.verified?.has(memo)) return OK;
    if (schnorr.verify(b64.decode(sig), digest, hexToBytes(key))) {
      known.verified?.add(memo);
      return OK;
    }
  } catch {
    // falls through to the refusal
  }
  return refuse('bad-auth', 'the request is not signed by a member');
}

export const SyncRequest = z.discriminatedUnion('t', [
  /** Commit envelopes of the answering member's chain whose parent epoch is at least `epoch`. */
  z.object({ v: z.literal(1), t: z.literal('commits'), topic: Topic, epoch: z.number().int().min(0), proof: Proof }),
  /** Envelopes the answering member received, in its own order: after its cursor, or since a time. */
  z.object({
    v: z.literal(1),
    t: z.literal('since'),
    topic: Topic,
    after: z.number().int().min(0).nullable(),
    at: Millis,
    limit: z.number().int().min(1).max(MAX_PAGE),
    proof: Proof,
  }),
  /** Messages of one device by seq: the timeline's gaps. */
  z.object({
    v: z.literal(1),
    t: z.literal('range'),
    topic: Topic,
    device: DeviceId,
    from: z.number().int().min(1),
    to: z.number().int().min(1),
    proof: Proof,
  }),
  /** A Welcome for a key package (its SHA-256): asked by a joiner, who is no member yet. */
  z.object({ v: z.literal(1), t: z.literal('welcome'), topic: Topic, to: Hex32 }),
  /** An envelope pushed straight to a peer (a Welcome to its joiner, a join request to an admin). */
  z.object({ v: z.literal(1), t: z.literal('deliver'), envelope: Envelope }),
]);
export type SyncRequest = z.infer<typeof SyncRequest>;

export const SyncReply = z.object({
  items: z.array(Envelope).max(MAX_PAGE),
  /** The cursor to continue from, or null when nothing more is there. */
  next: z.number().int().min(0).nullable(),
});
export type SyncReply = z.infer<typeof SyncReply>;

export const StorageInfo = z
  .object({
    v: z.literal(1),
    /** The node's receipt key (x-only): descriptors name it, receipts are signed with it. */
    key: XOnly,
    quotaBytes: z.number().int().min(1),
    maxEnvelopeBytes: z.number().int().min(1024),
    maxRetentionDays: z.number().int().min(1),
  })
  .strict();
export type StorageInfo = z.infer<typeof StorageInfo>;

export const StoreRequest = z.discriminatedUnion('t', [
  z.object({ v: z.literal(1), t: z.literal('info') }),
  z.object({ v: z.literal(1), t: z.literal('grant'), grant: SignedGrant }),
  z.object({ v: z.literal(1), t: z.literal('epochKey'), epochKey: SignedEpochKey }),
  z.object({ v: z.literal(1), t: z.literal('store'), envelope: Envelope }),
  z.object({ v: z.literal(1), t: z.literal('serve'), request: ServeRequest }),
  z.object({ v: z.literal(1), t: z.literal('welcome'), topic: Topic, to: Hex32 }),
]);
export type StoreRequest = z.infer<typeof StoreRequest>;

/** The node's signed word that it keeps an envelope under a seq: a dropped one is then provable. */
export const Receipt = z.object({ topic: Topic, seq: z.number().int().min(1), hash: Hex32, sig: Base64Url(64) });
export type Receipt = z.infer<typeof Receipt>;

function receiptDigest(r: Omit<Receipt, 'sig'>): Uint8Array {
  return sha256(tagged('communities.storage-receipt', { topic: r.topic, seq: r.seq, hash: r.hash }));
}

export function signReceipt(r: Omit<Receipt, 'sig'>, nodeKey: StorageKey): Receipt {
  return { ...r, sig: b64.encode(schnorr.sign(receiptDigest(r), nodeKey.secret)) };
}

export function verifyReceipt(r: Receipt, nodeKey: string): boolean {
  try {
    const { sig, ...fields } = r;
    return schnorr.verify(b64.decode(sig), receiptDigest(fields), hexToBytes(nodeKey));
  } catch {
    return false;
  }
}

export const DmRequest = z.discriminatedUnion('t', [
  /** A chat about a swap: the asker is the swap's counterparty (the answering node checks). */
  z.object({ v: z.literal(1), t: z.literal('swapChat'), swapId: z.string().min(1).max(128), did: Did }),
  /** A direct message with one of the answering node's identities. */
  z.object({ v: z.literal(1), t: z.literal('keyPackage'), did: Did, from: Did }),
]);
export type DmRequest = z.infer<typeof DmRequest>;

export const DmReply = z.object({ keyPackage: Base64Url(MAX_KEY_PACKAGE_BYTES) }).strict();
export type DmReply = z.infer<typeof DmReply>;
