import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  decodeEnvelope,
  decodeInner,
  encodeEnvelope,
  encodeInner,
  MAX_ATTACHMENT_TOTAL_BYTES,
  MAX_INNER_BYTES,
  MAX_ENVELOPE_BYTES,
  messageId,
} from './envelope.ts';
import type { Envelope, Inner } from './envelope.ts';
import { b64, bytesToHex, encodeCanonical, topicOf, utf8ToBytes } from './ids.ts';
import { identity, T0 } from './testkit.ts';

const post = (patch: Partial<Extract<Inner, { kind: 'post' }>> = {}): Inner => ({
  v: 1,
  kind: 'post',
  ch: 'general',
  seq: 1,
  at: T0,
  deps: [],
  text: 'hello',
  ...patch,
});

function attachment(size: number, fill = 7) {
  const data = new Uint8Array(size).fill(fill);
  return {
    name: 'f.bin',
    mime: 'application/octet-stream',
    size,
    sha256: bytesToHex(sha256(data)),
    data: b64.encode(data),
  };
}

const code = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'no error';
};

describe('inner messages', () => {
  it('round-trips through padding to the size buckets', () => {
    const small = encodeInner(post());
    expect(small.length).toBe(256);
    expect(decodeInner(small)).toEqual(post());
    expect(encodeInner(post({ text: 'x'.repeat(1500) })).length).toBe(4096);
    expect(encodeInner(post({ attachments: [attachment(20_000)] })).length).toBe(MAX_INNER_BYTES);
  });

  it('an oversized attachment is refused', () => {
    expect(code(() => encodeInner(post({ attachments: [attachment(MAX_ATTACHMENT_TOTAL_BYTES + 1)] })))).toBe(
      'attachment-too-large',
    );
    const two = [attachment(13 * 1024, 1), attachment(13 * 1024, 2)];
    expect(code(() => encodeInner(post({ attachments: two })))).toBe('attachment-too-large');
  });

  it('an attachment whose hash does not match is refused', () => {
    const a = { ...attachment(100), sha256: '00'.repeat(32) };
    expect(code(() => encodeInner(post({ attachments: [a] })))).toBe('attachment-invalid');
    // Also when it arrives: a sender's client may skip its own checks.
    const bytes = encodeCanonical(post({ attachments: [a] }));
    expect(code(() => decodeInner(bytes))).toBe('attachment-invalid');
  });

  it('refuses text over 4000 characters, empty posts and unknown kinds', () => {
    expect(code(() => encodeInner(post({ text: 'x'.repeat(4001) })))).toBe('message-format');
    expect(code(() => encodeInner(post({ text: '' })))).toBe('empty-post');
    expect(code(() => decodeInner(utf8ToBytes('{"kind":"typing","v":1}')))).toBe('message-format');
  });

  it('refuses another encoding of the same message', () => {
    expect(code(() => decodeInner(utf8ToBytes(JSON.stringify(post(), null, 1))))).toBe('message-format');
    expect(code(() => decodeInner(Uint8Array.of(...encodeCanonical(post()), 0x20)))).toBe('message-format');
  });

  it('follow-ups name their target; reactions are short', () => {
    const react: Inner = {
      v: 1,
      kind: 'react',
      ch: 'general',
      seq: 2,
      at: T0,
      deps: [],
      target: 'ab'.repeat(32),
      emoji: '👍',
      on: true,
    };
    expect(decodeInner(encodeInner(react))).toEqual(react);
    expect(code(() => encodeInner({ ...react, emoji: '👍'.repeat(9) }))).toBe('message-format');
  });

  it('a message id is the same however it is encrypted, and differs per sender', () => {
    const alice = identity('alice').did;
    const bob = identity('bob').did;
    const m = decodeInner(encodeInner(post()));
    expect(messageId(alice, '0011223344556677', m)).toBe(messageId(alice, '0011223344556677', post()));
    expect(messageId(alice, '0011223344556677', m)).not.toBe(messageId(bob, '0011223344556677', m));
  });
});

describe('wire envelopes', () => {
  const topic = topicOf('ab'.repeat(32));
  const msg: Envelope = {
    v: 1,
    topic,
    kind: 'msg',
    epoch: '3',
    branch: 'cd'.repeat(16),
    body: b64.encode(new Uint8Array(300)),
  };

  it('round-trip and show only topic, kind, epoch, branch and size', () => {
    const bytes = encodeEnvelope(msg);
    expect(decodeEnvelope(bytes)).toEqual(msg);
    expect(Object.keys(JSON.parse(new TextDecoder().decode(bytes))).sort()).toEqual([
      'body',
      'branch',
      'epoch',
      'kind',
      'topic',
      'v',
    ]);
  });

  it('an oversized envelope is refused before it is parsed', () => {
    expect(code(() => decodeEnvelope(new Uint8Array(MAX_ENVELOPE_BYTES + 1)))).toBe('envelope-too-large');
    const huge = { ...msg, body: b64.encode(new Uint8Array(MAX_ENVELOPE_BYTES)) };
    expect(code(() => encodeEnvelope(huge))).not.toBe('no error');
  });

  it('messages, commits and welcomes name their epoch; only welcomes a recipient; joins neither', () => {
    expect(code(() => encodeEnvelope({ ...msg, epoch: undefined }))).not.toBe('no error');
    expect(code(() => encodeEnvelope({ ...msg, kind: 'welcome' }))).not.toBe('no error');
    expect(code(() => encodeEnvelope({ ...msg, kind: 'welcome', to: 'ef'.repeat(32) }))).toBe('no error');
    expect(code(() => encodeEnvelope({ v: 1, topic, kind: 'join', body: msg.body }))).toBe('no error');
    expect(code(() => decodeEnvelope(utf8ToBytes(JSON.stringify({ ...msg, topic: '/other/topic' }))))).toBe(
      'envelope-format',
    );
  });
});
