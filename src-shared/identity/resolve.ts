// DID resolution as a pure function from what a node stores and the Accept header to an HTTP answer
// (W3C DID Resolution, Universal Resolver driver interface), plus Blockcore's REST bodies.
// docs/identity.md §4. main only looks the DID up and writes the answer out.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { z } from 'zod';
import { isIdentityError, type IdentityError } from './errors.ts';
import { b64urlFromBytes, parseCompactJws } from './jws.ts';
import type { IngestStatus } from './registry.ts';
import { MAX_RECORD_CHARS } from './records.ts';
import { isV2Did, type V2State } from './v2.ts';
import { DID_IS_PREFIX, addressOfDid } from './verify.ts';

export const DID_JSON = 'application/did+json';
export const DID_LD_JSON = 'application/did+ld+json';
export const DID_RESOLUTION = 'application/did-resolution';
export const DID_RESOLUTION_LD = 'application/ld+json;profile="https://w3id.org/did-resolution"';

/** What the node stores for a v0.0.1 DID: its current profile record and what links to it. */
export interface StoredV1 {
  readonly format: 'v1';
  readonly current: {
    readonly iat: number;
    readonly id: string;
    readonly tombstone: boolean;
    readonly publicKey: Uint8Array;
  };
  /** iat of the first record this node stored for the DID. */
  readonly createdIat: number;
  /** CAIP-10 ids of active two-way account links. */
  readonly accounts?: readonly string[];
  /** https origins of active domain links. */
  readonly origins?: readonly string[];
}
export interface StoredV2 {
  readonly format: 'v2';
  readonly state: V2State;
}
export type StoredDid = StoredV1 | StoredV2;

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: unknown;
}

type Representation = 'document' | 'document-ld' | 'result' | 'result-ld';
const CONTENT_TYPE: Record<Representation, string> = {
  document: DID_JSON,
  'document-ld': DID_LD_JSON,
  result: DID_RESOLUTION,
  'result-ld': DID_RESOLUTION_LD,
};

function representationOf(range: string): Representation | undefined {
  const [type = '', ...params] = range.split(';').map((p) => p.trim());
  const profile = params
    .find((p) => p.toLowerCase().startsWith('profile='))
    ?.slice(8)
    .replace(/"/g, '');
  switch (type.toLowerCase()) {
    case DID_JSON:
    case 'application/json':
    case 'application/*':
    case '*/*':
      return 'document';
    case DID_LD_JSON:
      return 'document-ld';
    case DID_RESOLUTION:
      return 'result';
    case 'application/ld+json':
      return profile === 'https://w3id.org/did-resolution' ? 'result-ld' : 'document-ld';
    default:
      return undefined;
  }
}

/** The representation an Accept header asks for: highest q first, then the order listed. */
export function negotiate(accept: string | undefined): Representation | undefined {
  if (accept === undefined || accept.trim() === '') return 'document';
  const ranges = accept
    .slice(0, 1024)
    .split(',')
    .map((range, order) => {
      const q = /;\s*q=([0-9.]+)/i.exec(range);
      return { rep: representationOf(range.replace(/;\s*q=[0-9.]+/i, '')), q: q ? Number(q[1]) : 1, order };
    })
    .filter((r) => r.rep !== undefined && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return ranges[0]?.rep;
}

/** `YYYY-MM-DDTHH:MM:SSZ` of an iat; below 10^11 it is read as seconds, else milliseconds. */
export function iatToDateTime(iat: number): string {
  const ms = iat < 1e11 ? iat * 1000 : iat;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function jwkOf(publicKey: Uint8Array) {
  const raw = secp256k1.Point.fromBytes(publicKey).toBytes(false);
  return { kty: 'EC', crv: 'secp256k1', x: b64urlFromBytes(raw.subarray(1, 33)), y: b64urlFromBytes(raw.subarray(33)) };
}

/** The DID document of a v0.0.1 identity, with the key recovered from its profile's signature. */
export function didDocumentV1(
  did: string,
  publicKey: Uint8Array,
  accounts: readonly string[] = [],
  origins: readonly string[] = [],
) {
  const key = `${did}#key-1`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: did,
    verificationMethod: [{ id: key, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwkOf(publicKey) }],
    authentication: [key],
    assertionMethod: [key],
    ...(accounts.length > 0 ? { alsoKnownAs: accounts.map((a) => `did:pkh:${a}`) } : {}),
    ...(origins.length > 0
      ? {
          service: [{ id: `${did}#linked-domains`, type: 'LinkedDomains', serviceEndpoint: { origins: [...origins] } }],
        }
      : {}),
  };
}

function result(didDocument: unknown, resolution: Record<string, unknown>, metadata: Record<string, unknown>) {
  return { didDocument, didResolutionMetadata: resolution, didDocumentMetadata: metadata };
}

function failure(status: number, error: string, rep: Representation | undefined, metadata = {}): HttpAnswer {
  const contentType = rep === 'result-ld' ? DID_RESOLUTION_LD : DID_RESOLUTION;
  return { status, contentType, body: result(null, { contentType, error }, metadata) };
}

/** The HTTP answer to `GET /1.0/identifiers/{did}` given what is stored for `did` (undefined: nothing). */
export function resolveDid(did: string, accept: string | undefined, stored: StoredDid | undefined): HttpAnswer {
  const rep = negotiate(accept);
  const m = /^did:([a-z0-9]+):([A-Za-z0-9._%-]+(?::[A-Za-z0-9._%-]+)*)$/.exec(did.length <= 200 ? did : '');
  if (!m) return failure(400, 'invalidDid', rep);
  if (m[1] !== 'is') return failure(501, 'methodNotSupported', rep);
  if (addressOfDid(did) === undefined && !isV2Did(did)) return failure(400, 'invalidDid', rep);
  if (rep === undefined) return failure(406, 'representationNotSupported', rep);
  if (stored === undefined) return failure(404, 'notFound', rep);
  const { document, metadata } = stored.format === 'v1' ? v1Parts(did, stored) : v2Parts(stored.state);
  if (document === null) return failure(410, 'deactivated', rep, metadata);
  const contentType = CONTENT_TYPE[rep];
  if (rep === 'document' || rep === 'document-ld') return { status: 200, contentType, body: document };
  return { status: 200, contentType, body: result(document, { contentType: DID_JSON }, metadata) };
}

function v1Parts(did: string, s: StoredV1) {
  const metadata = {
    created: iatToDateTime(s.createdIat),
    updated: iatToDateTime(s.current.iat),
    versionId: s.current.id,
    deactivated: s.current.tombstone,
  };
  const document = s.current.tombstone ? null : didDocumentV1(did, s.current.publicKey, s.accounts, s.origins);
  return { document, metadata };
}

function v2Parts(state: V2State) {
  const metadata = {
    created: iatToDateTime(state.createdIat),
    updated: iatToDateTime(state.iat),
    versionId: String(state.version),
    deactivated: state.document === null,
  };
  return { document: state.document, metadata };
}

// ---- Blockcore's REST shape ----

export const MAX_PUT_BODY_BYTES = 40 * 1024;
export const PutIdentityBody = z
  .object({ version: z.literal(4), content: z.string().min(1).max(MAX_RECORD_CHARS) })
  .strict();
export type PutIdentityBody = z.infer<typeof PutIdentityBody>;

/** `GET /api/identity/{address}`: the stored record as Blockcore's node returned it. */
export function identityRestBody(content: string) {
  const jws = parseCompactJws(content, MAX_RECORD_CHARS);
  const address = typeof jws.header.kid === 'string' ? jws.header.kid : '';
  return { id: address, version: 4, header: jws.header, payload: jws.payload, signature: jws.signatureB64, content };
}

/** The did:is DID of a REST path's address, or undefined when it is not an address. */
export function didOfRestAddress(address: string): string | undefined {
  const did = `${DID_IS_PREFIX}${address}`;
  return addressOfDid(did) === undefined ? undefined : did;
}

/** `PUT /api/identity`'s answer: what ingest decided, or why the record was refused. */
export function putIdentityAnswer(outcome: { address: string; status: IngestStatus } | IdentityError): HttpAnswer {
  if (!isIdentityError(outcome)) {
    return { status: 200, contentType: 'application/json', body: { id: outcome.address, status: outcome.status } };
  }
  if (outcome.details.reason === 'DUPLICATE') {
    return { status: 200, contentType: 'application/json', body: { status: 'unchanged' } };
  }
  const status = outcome.code === 'CONFLICT' ? 409 : 400;
  return { status, contentType: 'application/json', body: { code: outcome.details.reason, message: outcome.message } };
}
