// What travels: the wire envelope relays and storage nodes see (topic, kind, epoch, branch, size),
// and the inner message only members read (the MLS application plaintext: kind, channel, text,
// follow-ups, attachments, per-device sequence and causal links). Sizes are capped before use and
// the plaintext is padded to a few buckets so a ciphertext's size says little (docs §10).
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { CodedError, isCoded } from '../errors.ts';
import { ChannelId } from './descriptor.ts';
import {
  b64,
  Base64Url,
  bytesToHex,
  decodeCanonical,
  DeviceId,
  Did,
  encodeCanonical,
  Hex16,
  Hex32,
  Millis,
  tagged,
} from './ids.ts';
import { InviteRecord, MAX_KEY_PACKAGE_BYTES } from './invite.ts';

export const MAX_TEXT_CHARS = 4000;
export const MAX_ATTACHMENTS = 4;
/**
 * Every message must fit one gossip payload (the p2p host carries at most 64 KiB): the largest
 * plaintext bucket, encrypted and base64url'd in its envelope, stays under it (docs §10).
 */
export const MAX_ATTACHMENT_TOTAL_BYTES = 24 * 1024;
export const MAX_INNER_BYTES = 46 * 1024;
export const PAD_BUCKETS = [256, 1024, 4096, 16 * 1024, MAX_INNER_BYTES] as const;
/** A Welcome carries the ratchet tree (126 KB at 200 members): it travels by request, not gossip. */
export const MAX_MLS_BODY_BYTES = 264 * 1024;
export const MAX_ENVELOPE_BYTES = 400 * 1024;
/** What may be gossiped: larger envelopes (big Welcomes) are fetched by request (docs §13). */
export const MAX_GOSSIP_ENVELOPE_BYTES = 63 * 1024;
export const MAX_ASSET_BYTES = 32 * 1024;
export const MAX_DEPS = 8;

const Seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const Epoch = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** A causal link: "I had seen device d's message s, sent in epoch e". */
export const Dep = z.object({ d: DeviceId, s: Seq, e: Epoch }).strict();
export type Dep = z.infer<typeof Dep>;

export const Attachment = z
  .object({
    name: z.string().min(1).max(128),
    mime: z.string().regex(/^[a-z]+\/[a-z0-9.+-]{1,80}$/, 'not a media type'),
    size: z.number().int().min(1).max(MAX_ATTACHMENT_TOTAL_BYTES),
    sha256: Hex32,
    data: Base64Url(MAX_ATTACHMENT_TOTAL_BYTES),
  })
  .strict()
  .refine(
    (a) => {
      const bytes = b64.decode(a.data);
      return bytes.length === a.size && bytesToHex(sha256(bytes)) === a.sha256;
    },
    { message: 'the attachment does not match its size and hash' },
  );
export type Attachment = z.infer<typeof Attachment>;

const base = { v: z.literal(1), seq: Seq, at: Millis, deps: z.array(Dep).max(MAX_DEPS) };
const inChannel = { ...base, ch: ChannelId };
const Mentions = z.array(Did).max(32).optional();

export const Inner = z.discriminatedUnion('kind', [
  z
    .object({
      ...inChannel,
      kind: z.literal('post'),
      text: z.string().max(MAX_TEXT_CHARS),
      replyTo: Hex32.optional(),
      mentions: Mentions,
      attachments: z.array(Attachment).max(MAX_ATTACHMENTS).optional(),
    })
    .strict(),
  z
    .object({
      ...inChannel,
      kind: z.literal('edit'),
      target: Hex32,
      text: z.string().max(MAX_TEXT_CHARS),
      mentions: Mentions,
    })
    .strict(),
  z.object({ ...inChannel, kind: z.literal('delete'), target: Hex32 }).strict(),
  z
    .object({
      ...inChannel,
      kind: z.literal('react'),
      target: Hex32,
      emoji: z
        .string()
        .min(1)
        .max(16)
        .refine((e) => new TextEncoder().encode(e).length <= 32, 'emoji too long'),
      on: z.boolean(),
    })
    .strict(),
  z.object({ ...base, kind: z.literal('invite'), record: InviteRecord }).strict(),
  z.object({ ...base, kind: z.literal('leave') }).strict(),
  z.object({ ...base, kind: z.literal('renew'), keyPackage: Base64Url(MAX_KEY_PACKAGE_BYTES) }).strict(),
  z
    .object({
      ...base,
      kind: z.literal('asset'),
      sha256: Hex32,
      mime: z.enum(['image/png', 'image/jpeg', 'image/webp']),
      data: Base64Url(MAX_ASSET_BYTES),
    })
    .strict()
    .refine((a) => bytesToHex(sha256(b64.decode(a.data))) === a.sha256, 'the asset does not match its hash'),
  z.object({ ...base, kind: z.literal('assetRequest'), sha256: Hex32 }).strict(),
]);
export type Inner = z.infer<typeof Inner>;
export type ChannelInner = Extract<Inner, { ch: string }>;

/** Why a message or envelope was refused: stable codes (peers are scored and tests match on them). */
export const ENVELOPE_ERROR_CODES = [
  'attachment-too-large',
  'attachment-invalid',
  'empty-post',
  'message-too-large',
  'message-format',
  'envelope-too-large',
  'envelope-format',
] as const;
export type EnvelopeErrorCode = (typeof ENVELOPE_ERROR_CODES)[number];

export const envelopeError = (code: EnvelopeErrorCode, message: string) => new CodedError(code, message);
export const isEnvelopeError = (err: unknown): err is CodedError<EnvelopeErrorCode> =>
  isCoded(err, ...ENVELOPE_ERROR_CODES);

/** A post's attachments together stay under the cap (each one is checked by its schema). */
function checkTotals(inner: Inner): void {
  if (inner.kind !== 'post') return;
  const total = (inner.attachments ?? []).reduce((n, a) => n + a.size, 0);
  if (total > MAX_ATTACHMENT_TOTAL_BYTES)
    throw envelopeError('attachment-too-large', `attachments total ${total} bytes, over ${MAX_ATTACHMENT_TOTAL_BYTES}`);
  if (inner.text.length === 0 && total === 0) throw envelopeError('empty-post', 'a post has text or an attachment');
}

/** The plaintext to encrypt: canonical JSON, zero-padded to the next bucket. */
export function encodeInner(inner: Inner): Uint8Array {
  const parsed = Inner.safeParse(inner);
  if (!parsed.success) throw envelopeError(codeOf(parsed.error), parsed.error.issues[0]?.message ?? 'bad message');
  checkTotals(parsed.data);
  const bytes = encodeCanonical(parsed.data);
  const bucket = PAD_BUCKETS.find((b) => b >= bytes.length);
  if (bucket === undefined) throw envelopeError('message-too-large', `the message is ${bytes.length} bytes`);
  const out = new Uint8Array(bucket);
  out.set(bytes);
  return out;
}

/** The inner message of decrypted bytes; throws an envelopeError on anything malformed. */
export function decodeInner(padded: Uint8Array): Inner {
  if (padded.length > MAX_INNER_BYTES) throw envelopeError('message-too-large', 'the plaintext is over the cap');
  let end = padded.length;
  while (end > 0 && padded[end - 1] === 0) end--;
  const inner = decodeCanonical(padded.subarray(0, end), Inner, MAX_INNER_BYTES);
  if (!inner) {
    const parsed = (() => {
      try {
        return Inner.safeParse(JSON.parse(new TextDecoder().decode(padded.subarray(0, end))));
      } catch {
        return undefined;
      }
    })();
    const code = parsed && !parsed.success ? codeOf(parsed.error) : 'message-format';
    throw envelopeError(code, 'the message is malformed');
  }
  checkTotals(inner);
  return inner;
}

function codeOf(error: z.ZodError): EnvelopeErrorCode {
  for (const issue of error.issues)
    if (issue.path.includes('attachments'))
      return issue.code === 'too_big' ? 'attachment-too-large' : 'attachment-invalid';
  return 'message-format';
}

/** A message's id: independent of its encryption, so a copy re-sent after a lost epoch is the same. */
export function messageId(did: string, device: string, inner: Inner): string {
  return bytesToHex(sha256(tagged('communities.message', { did, device, inner })));
}

export const TOPIC = /^\/hashlock\/communities\/1\/[0-9a-f]{32}$/;

export const Envelope = z
  .object({
    v: z.literal(1),
    topic: z.string().regex(TOPIC, 'not a community topic'),
    kind: z.enum(['msg', 'commit', 'welcome', 'join']),
    epoch: z
      .string()
      .regex(/^(0|[1-9][0-9]{0,15})$/, 'not an epoch')
      .optional(),
    branch: Hex16.optional(),
    to: Hex32.optional(),
    body: Base64Url(MAX_MLS_BODY_BYTES),
    auth: Base64Url(64).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    // A welcome names the epoch it welcomes into: its poster proves membership with that epoch's key.
    const inGroup = e.kind !== 'join';
    if (inGroup !== (e.epoch !== undefined && e.branch !== undefined))
      ctx.addIssue({ code: 'custom', message: 'everything but a join request names an epoch and branch' });
    if ((e.kind === 'welcome') !== (e.to !== undefined))
      ctx.addIssue({ code: 'custom', message: 'a welcome, and only a welcome, names its recipient' });
  });
export type Envelope = z.infer<typeof Envelope>;

export function encodeEnvelope(envelope: Envelope): Uint8Array {
  return parseEnvelope(envelope).bytes;
}

/** An envelope from untrusted JSON: parsed once under the schema, and its canonical bytes within the cap. */
export function parseEnvelope(input: unknown): { envelope: Envelope; bytes: Uint8Array } {
  const envelope = Envelope.parse(input);
  const bytes = encodeCanonical(envelope);
  if (bytes.length > MAX_ENVELOPE_BYTES) throw envelopeError('envelope-too-large', `${bytes.length} bytes`);
  return { envelope, bytes };
}

/** Parses wire bytes; the size is checked before anything is parsed. */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  if (bytes.length > MAX_ENVELOPE_BYTES) throw envelopeError('envelope-too-large', `${bytes.length} bytes`);
  const envelope = decodeCanonical(bytes, Envelope, MAX_ENVELOPE_BYTES);
  if (!envelope) throw envelopeError('envelope-format', 'not a community envelope');
  return envelope;
}

/** The bytes a storage-auth signature covers: the envelope without its `auth`. */
export function envelopeAuthDigest(envelope: Envelope): Uint8Array {
  const { auth: _auth, ...rest } = envelope;
  return sha256(tagged('communities.envelope', rest));
}
