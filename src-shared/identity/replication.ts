// Wire messages of identity replication (docs/identity.md §5): the gossip push, the reconcile and
// fetch request/response bodies, their caps, and which refusals are peer offences. main's module
// moves bytes; everything it accepts passes these schemas and then verifyRecord.
import { z } from 'zod';
import { JsonText } from '../protocol/reqres.ts';
import { isConflict, type IdentityReason } from './errors.ts';
import { hexToBytes } from '@noble/hashes/utils.js';
import { b64urlFromBytes, b64urlToBytes } from './jws.ts';
import type { ReconcileItem } from './reconcile-set.ts';
import { MAX_RECORD_CHARS } from './records.ts';
import { ReconcileMessage } from './reconcile.ts';

export const IDENTITY_TOPIC = '/hashlock/identity/records/1';
export const RECONCILE_PROTOCOL = '/hashlock/identity/reconcile/1';
/**
 * Fetch, version 2: the messages of version 1 with larger caps, so a catch-up of 100,000 records
 * takes ~25 requests instead of ~98 (the p2p host's per-peer budget is 30 requests at once, then
 * 10 a second: 98 fetches cost ~7 s of waiting on it alone). Its frames have their own caps
 * (FETCH_FRAME_CAPS); version 1 is still served, with the host's, for nodes that ask it.
 */
export const FETCH_PROTOCOL = '/hashlock/identity/fetch/2';
export const FETCH_PROTOCOL_V1 = '/hashlock/identity/fetch/1';

export const MAX_PUSH_BYTES = 40 * 1024;
export const MAX_FETCH_IDS = 8192;
export const MAX_FETCH_IDS_V1 = 1024;
/**
 * Frames of fetch/2: a request of 8,192 ids is ~377 KB of JSON; an answer is cut at
 * MAX_FETCH2_RESPONSE_BYTES, under its 4 MiB frame. A peer can make us buffer one request frame per
 * inbound stream (8 a protocol and connection, inside its request budget); we buffer only answers
 * we asked for, a few at once.
 */
export const FETCH_FRAME_CAPS = { maxRequestBytes: 512 * 1024, maxResponseBytes: 4 * 1024 * 1024 } as const;
export const MAX_FETCH2_RESPONSE_BYTES = FETCH_FRAME_CAPS.maxResponseBytes - 64 * 1024;
/** Answers under the host's 1 MiB response frame: fetch/1, lookups. */
export const MAX_FETCH_RESPONSE_BYTES = 960 * 1024;

/** A 33-byte compressed key as base64url: the signer's key, a hint that saves recovery. */
const KeyHint = z.string().regex(/^[A-Za-z0-9_-]{44}$/);
const RecordContent = z.string().min(1).max(MAX_RECORD_CHARS);
const RecordId = z.string().regex(/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/);

export const WireRecord = z.object({ content: RecordContent, key: KeyHint.optional() }).strict();
export type WireRecord = z.infer<typeof WireRecord>;

export const PushMessage = z.object({ v: z.literal(1), content: RecordContent, key: KeyHint.optional() }).strict();
export type PushMessage = z.infer<typeof PushMessage>;

const fetchRequest = (maxIds: number) =>
  z
    .object({ v: z.literal(1), ids: z.array(RecordId).min(1).max(maxIds) })
    .strict()
    .refine((r) => new Set(r.ids).size === r.ids.length, 'ids repeat');
export const FetchRequest = fetchRequest(MAX_FETCH_IDS);
export const FetchRequestV1 = fetchRequest(MAX_FETCH_IDS_V1);
export type FetchRequest = z.infer<typeof FetchRequest>;

export const FetchResponse = z.object({ v: z.literal(1), records: z.array(WireRecord).max(MAX_FETCH_IDS) }).strict();
export type FetchResponse = z.infer<typeof FetchResponse>;

export { ReconcileMessage };

/** The reconciliation item of a stored record: its iat and its id's bytes. */
export function reconcileItemOf(record: { readonly iat: number; readonly id: string }): ReconcileItem {
  return { ts: record.iat, id: hexToBytes(record.id) };
}

/** A record id (64 hex, as stored) as it travels in reconcile and fetch messages (base64url). */
export function wireId(hexId: string): string {
  return b64urlFromBytes(hexToBytes(hexId));
}

/** The key hint's bytes, or undefined when absent or not 33 bytes. */
export function keyHintBytes(key: string | undefined): Uint8Array | undefined {
  if (key === undefined) return undefined;
  const bytes = b64urlToBytes(key);
  return bytes?.length === 33 ? bytes : undefined;
}

// The characters of a compact JWS and a key hint: their JSON strings need no escape.
const PLAIN_JSON_STRING = /^[A-Za-z0-9._-]*$/;
const jsonString = (s: string) => (PLAIN_JSON_STRING.test(s) ? `"${s}"` : JSON.stringify(s));

/**
 * A fetch answer, as JSON text: the records in order until the byte cap (characters of the text);
 * the caller looks each id up and passes what it has, and what does not fit is asked for again.
 * Written by hand, the same text JSON.stringify writes: stringifying each record to size it and then
 * the whole answer was a fifth of a serving node's CPU in a 100,000-record join.
 */
export function fetchResponseJson(records: readonly WireRecord[], maxBytes = MAX_FETCH_RESPONSE_BYTES): JsonText {
  const parts: string[] = [];
  let bytes = '{"v":1,"records":[]}'.length;
  for (const r of records) {
    const key = r.key === undefined ? '' : `,"key":${jsonString(r.key)}`;
    const part = `{"content":${jsonString(r.content)}${key}}`;
    if (bytes + part.length + 1 > maxBytes) break;
    parts.push(part);
    bytes += part.length + 1;
  }
  return new JsonText(`{"v":1,"records":[${parts.join(',')}]}`);
}

/** Offences of docs/p2p.md a peer earns for what it sent; undefined when it is no offence. */
export type ReplicationOffence = 'malformed' | 'badResponse' | 'oversize';

/** A record a peer pushed or sent in a fetch answer was refused with `reason`: is that an offence? */
export function offenceFor(reason: IdentityReason, where: 'push' | 'fetch'): ReplicationOffence | undefined {
  if (isConflict(reason)) return undefined;
  if (reason === 'JWS_TOO_LARGE') return where === 'push' ? 'oversize' : 'badResponse';
  // A chain this node does not link is a choice of ours, not a peer's fault.
  if (reason === 'LINK_CHAIN_UNKNOWN') return undefined;
  return where === 'push' ? 'malformed' : 'badResponse';
}

/** Ids in a fetch answer that were not asked for: the whole answer is refused as a bad response. */
export function unaskedIds(asked: ReadonlySet<string>, answeredIds: readonly string[]): string[] {
  return answeredIds.filter((id) => !asked.has(id));
}
