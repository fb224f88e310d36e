// Replication wire rules: schemas and caps, which refusals are peer offences, and fetch answers
// packed under their byte cap.
import { describe, expect, it } from 'vitest';
import {
  FETCH_FRAME_CAPS,
  FetchRequest,
  FetchRequestV1,
  MAX_FETCH2_RESPONSE_BYTES,
  MAX_FETCH_IDS,
  PushMessage,
  keyHintBytes,
  offenceFor,
  fetchResponseJson,
  type FetchResponse,
  reconcileItemOf,
  wireId,
} from './replication.ts';

const ID = 'A'.repeat(43);

describe('replication messages', () => {
  it('a fetch asks for 1 to 8192 distinct ids (fetch/1: 1024), and the largest request fits its frame', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `${'A'.repeat(37)}${String(i).padStart(5, '0')}A`);
    expect(FetchRequest.safeParse({ v: 1, ids: [ID] }).success).toBe(true);
    expect(FetchRequest.safeParse({ v: 1, ids: [] }).success).toBe(false);
    expect(FetchRequest.safeParse({ v: 1, ids: [ID, ID] }).success).toBe(false);
    expect(FetchRequest.safeParse({ v: 1, ids: ids(8192) }).success).toBe(true);
    expect(FetchRequest.safeParse({ v: 1, ids: ids(8193) }).success).toBe(false);
    expect(FetchRequestV1.safeParse({ v: 1, ids: ids(1024) }).success).toBe(true);
    expect(FetchRequestV1.safeParse({ v: 1, ids: ids(1025) }).success).toBe(false);
    // The ok-response envelope adds a few bytes; a request of MAX_FETCH_IDS must still pass.
    expect(JSON.stringify({ v: 1, ids: ids(MAX_FETCH_IDS) }).length).toBeLessThan(FETCH_FRAME_CAPS.maxRequestBytes);
    expect(MAX_FETCH2_RESPONSE_BYTES).toBeLessThan(FETCH_FRAME_CAPS.maxResponseBytes);
  });

  it('a push carries one record of at most 32 KiB and an optional 33-byte key hint', () => {
    expect(PushMessage.safeParse({ v: 1, content: 'a.b.c', key: 'A'.repeat(44) }).success).toBe(true);
    expect(PushMessage.safeParse({ v: 1, content: 'x'.repeat(32 * 1024 + 1) }).success).toBe(false);
    expect(PushMessage.safeParse({ v: 1, content: 'a.b.c', extra: 1 }).success).toBe(false);
    expect(keyHintBytes('A'.repeat(44))).toHaveLength(33);
    expect(keyHintBytes('A'.repeat(43))).toBeUndefined();
  });

  it('stale and repeated records are no offence; forged ones are', () => {
    expect(offenceFor('IAT_NOT_NEWER', 'push')).toBeUndefined();
    expect(offenceFor('REPLAY_AFTER_DELETE', 'push')).toBeUndefined();
    expect(offenceFor('TIE_LOST', 'fetch')).toBeUndefined();
    expect(offenceFor('SIGNATURE_WRONG_KEY', 'push')).toBe('malformed');
    expect(offenceFor('SIGNATURE_WRONG_KEY', 'fetch')).toBe('badResponse');
    expect(offenceFor('JWS_TOO_LARGE', 'push')).toBe('oversize');
    expect(offenceFor('LINK_CHAIN_UNKNOWN', 'push')).toBeUndefined();
  });

  it('packs a fetch answer up to its byte cap and no further', () => {
    const records = Array.from({ length: 100 }, () => ({ content: 'x'.repeat(1000) }));
    const packed = JSON.parse(fetchResponseJson(records, 20_000).text) as FetchResponse;
    expect(packed.records.length).toBeGreaterThan(15);
    expect(packed.records.length).toBeLessThan(20);
    expect(JSON.stringify(packed).length).toBeLessThanOrEqual(20_000);
  });

  it("writes a fetch answer as JSON.stringify would, records that need escaping too, to the cap's character", () => {
    const jws = 'eyJhbGciOiJFUzI1NksifQ.eyJpYXQiOjF9.H-_x0' + 'a'.repeat(80);
    const records = [
      { content: jws, key: `A${'b'.repeat(42)}_` },
      { content: `${jws}Z` },
      { content: '{"revocation":"quoted \\ \n ünï ✓"}' },
      { content: 'a"b\u2028c\u0000' },
    ];
    const expected = (n: number) => JSON.stringify({ v: 1, records: records.slice(0, n) });
    // Each record is counted with a comma after it: the cap is one character over the text.
    for (let n = 1; n <= records.length; n++) {
      expect(fetchResponseJson(records, expected(n).length + 1).text).toBe(expected(n));
      expect(fetchResponseJson(records, expected(n).length).text).toBe(expected(n - 1));
    }
  });

  it('a stored record id becomes a reconcile item and a wire id of the same bytes', () => {
    const hex = 'ff'.repeat(32);
    expect(reconcileItemOf({ iat: 5, id: hex })).toEqual({ ts: 5, id: new Uint8Array(32).fill(255) });
    expect(wireId(hex)).toBe('_'.repeat(42) + '8');
  });
});
