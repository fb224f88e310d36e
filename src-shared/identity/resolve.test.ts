// DID resolution answers (status, content type, body) for every case of docs/identity.md §4, from
// real records: the document carries the key recovered from the profile's signature.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { identityError } from './errors.ts';
import { b64urlToBytes } from './jws.ts';
import { verifyRecord } from './records.ts';
import {
  DID_JSON,
  DID_RESOLUTION,
  DID_RESOLUTION_LD,
  iatToDateTime,
  identityRestBody,
  negotiate,
  putIdentityAnswer,
  resolveDid,
  type StoredV1,
} from './resolve.ts';
import { applyV2Operation, type V2State } from './v2.ts';
import vectors from './fixtures/did-is-vectors.json' with { type: 'json' };
import v2 from './fixtures/did-is-v2.json' with { type: 'json' };

const spec = verifyRecord(vectors.valid[0]!.jws);
const DID = spec.did;
const stored = (tombstone = false, extra: Partial<StoredV1> = {}): StoredV1 => ({
  format: 'v1',
  current: { iat: spec.iat, id: spec.id, tombstone, publicKey: spec.publicKey! },
  createdIat: 1598803000000,
  ...extra,
});
const body = (a: { body: unknown }) => a.body as Record<string, any>;

describe('DID resolution', () => {
  it.each([
    ['not a DID', 'hello', 400, 'invalidDid'],
    ['a did:is with a bad checksum', 'did:is:PLBNc1Ph6whu1vbQGEuRywTTHCEnfDDuXX', 400, 'invalidDid'],
    ['another method', 'did:web:example.com', 501, 'methodNotSupported'],
    ['a DID nobody stored', 'did:is:PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP', 404, 'notFound'],
  ])('answers %s with %i %s', (_n, did, status, error) => {
    const a = resolveDid(did, undefined, undefined);
    expect([a.status, a.contentType, body(a).didResolutionMetadata.error]).toEqual([status, DID_RESOLUTION, error]);
    expect(body(a).didDocument).toBeNull();
  });

  it('answers an unsupported Accept with 406 representationNotSupported', () => {
    const a = resolveDid(DID, 'text/html', stored());
    expect([a.status, body(a).didResolutionMetadata.error]).toEqual([406, 'representationNotSupported']);
  });

  it('answers a deleted identity with 410 and deactivated metadata', () => {
    const a = resolveDid(DID, DID_JSON, stored(true));
    expect(a.status).toBe(410);
    expect(body(a).didResolutionMetadata.error).toBe('deactivated');
    expect(body(a).didDocumentMetadata).toMatchObject({ deactivated: true, versionId: spec.id });
  });

  it('gives the document alone for did+json, with the key recovered from the signature', () => {
    const a = resolveDid(DID, DID_JSON, stored());
    expect([a.status, a.contentType]).toEqual([200, DID_JSON]);
    const doc = body(a);
    expect(doc.id).toBe(DID);
    const jwk = doc.verificationMethod[0].publicKeyJwk;
    const key = secp256k1.Point.fromBytes(Uint8Array.of(4, ...b64urlToBytes(jwk.x)!, ...b64urlToBytes(jwk.y)!));
    expect(key.toBytes(true)).toEqual(spec.publicKey);
    expect(doc.authentication).toEqual([`${DID}#key-1`]);
    expect(doc).not.toHaveProperty('alsoKnownAs');
  });

  it.each([
    [DID_RESOLUTION, DID_RESOLUTION],
    [DID_RESOLUTION_LD, DID_RESOLUTION_LD],
    [`${DID_JSON};q=0.4, ${DID_RESOLUTION}`, DID_RESOLUTION],
  ])('gives the full result for Accept %s', (accept, contentType) => {
    const a = resolveDid(DID, accept, stored());
    expect([a.status, a.contentType]).toEqual([200, contentType]);
    expect(body(a).didDocumentMetadata).toEqual({
      created: '2020-08-30T15:56:40Z',
      updated: '2020-08-30T15:59:40Z',
      versionId: spec.id,
      deactivated: false,
    });
    expect(body(a).didDocument.id).toBe(DID);
  });

  it('lists linked accounts and domains', () => {
    const account = 'bip122:12a765e31ffd4059bada1e25190f6e98:LbTjMGN7gELw4KbeyQf6cTCq859hD18guE';
    const doc = body(
      resolveDid(DID, undefined, stored(false, { accounts: [account], origins: ['https://a.example'] })),
    );
    expect(doc.alsoKnownAs).toEqual([`did:pkh:${account}`]);
    expect(doc.service).toEqual([
      { id: `${DID}#linked-domains`, type: 'LinkedDomains', serviceEndpoint: { origins: ['https://a.example'] } },
    ]);
  });

  it('resolves a v2 DID to its published document and version', () => {
    const state = v2.chain.slice(0, 5).reduce<V2State | undefined>((s, op) => applyV2Operation(s, op.jws), undefined)!;
    const a = resolveDid(v2.did, DID_RESOLUTION, { format: 'v2', state });
    expect(a.status).toBe(200);
    expect(body(a).didDocument).toEqual(state.document);
    expect(body(a).didDocumentMetadata).toMatchObject({ versionId: '4', created: '2022-11-17T10:40:32Z' });
  });

  it('reads iat below 10^11 as seconds and above as milliseconds, without fractions', () => {
    expect(iatToDateTime(1580598000)).toBe('2020-02-01T23:00:00Z');
    expect(iatToDateTime(1598803180438)).toBe('2020-08-30T15:59:40Z');
  });

  it('prefers the first listed type on equal q and skips q=0', () => {
    expect(negotiate(`${DID_RESOLUTION}, ${DID_JSON}`)).toBe('result');
    expect(negotiate(`${DID_RESOLUTION};q=0, text/html`)).toBeUndefined();
    expect(negotiate('*/*')).toBe('document');
  });
});

describe('Blockcore REST bodies', () => {
  it('GET /api/identity/{address} returns id, version, header, payload, signature, content', () => {
    const jws = vectors.valid[1]!.jws;
    expect(identityRestBody(jws)).toEqual({
      id: 'PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP',
      version: 4,
      header: { alg: 'ES256K', typ: 'JWT', kid: 'PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP' },
      payload: expect.objectContaining({ name: 'John Doe', iat: 1580598000 }),
      signature: jws.split('.')[2],
      content: jws,
    });
  });

  it('PUT answers 200 with the status, 409 for stale records and 400 for invalid ones', () => {
    expect(putIdentityAnswer({ address: 'P1', status: 'created' })).toMatchObject({
      status: 200,
      body: { status: 'created' },
    });
    expect(putIdentityAnswer(identityError('DUPLICATE', 'x'))).toMatchObject({
      status: 200,
      body: { status: 'unchanged' },
    });
    expect(putIdentityAnswer(identityError('IAT_NOT_NEWER', 'x'))).toMatchObject({ status: 409 });
    expect(putIdentityAnswer(identityError('ALG_UNSUPPORTED', 'x'))).toMatchObject({
      status: 400,
      body: { code: 'ALG_UNSUPPORTED' },
    });
  });
});
