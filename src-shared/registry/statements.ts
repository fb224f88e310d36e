// The five statement kinds of the content registry (docs/registry.md §1): records, co-signatures,
// added URIs, witnesses and trust. Each is a did:is JWS over a canonical JSON payload; this file
// checks the fields (cheap, first), the canonical form, then the signature, and makes statements.
import { canonicalJson } from '../protocol/canonical.ts';
import { b64urlToBytes, parseCompactJws } from '../identity/jws.ts';
import {
  DID_IS_PREFIX,
  addressOfDid,
  didIsHeaderJson,
  signDidIsJws,
  verifyDidIsJws,
  type DigestSigner,
  type KeyCache,
  type Sha256Verifier,
} from '../identity/verify.ts';
import { registryFail, type RegistryReason } from './errors.ts';
import {
  isMediaType,
  isSha512Hex,
  languageRangeProblem,
  languageTagProblem,
  parseContentUri,
  spdxLicences,
  textProblem,
} from './fields.ts';

export const MAX_STATEMENT_CHARS = 16 * 1024;
export const MAX_URIS = 8;
export const MAX_RELATIONS = 16;
export const MAX_PARTIES = 16;
export const MAX_TRUST_LANGUAGES = 16;
export const RELATION_TYPES = [
  'revision-of',
  'translation-of',
  'format-of',
  'part-of',
  'derived-from',
  'references',
] as const;
export type RelationType = (typeof RELATION_TYPES)[number];
export const TRUST_LEVELS = ['friend', 'trust', 'none'] as const;
export type TrustLevel = (typeof TRUST_LEVELS)[number];

export type Licence = { readonly spdx: string } | { readonly text: string };

interface Common {
  readonly '@type': string;
  readonly v: 1;
  readonly signer: string;
  readonly iat: number;
}
export interface RecordPayload extends Common {
  readonly hash: string;
  readonly size: number;
  readonly name: string;
  readonly language: string;
  readonly licence: Licence;
  readonly format: string;
  readonly uris: readonly string[];
  readonly relations: ReadonlyArray<{ readonly type: RelationType; readonly hash: string }>;
  readonly parties: readonly string[];
}
export interface CosignPayload extends Common {
  readonly record: string;
  readonly hash: string;
}
export interface UriPayload extends Common {
  readonly hash: string;
  readonly uri: string;
}
export interface WitnessPayload extends Common {
  readonly record: string;
  readonly hash: string;
}
export interface TrustPayload extends Common {
  readonly subject: string;
  readonly level: TrustLevel;
  readonly languages: readonly string[] | null;
}

export const KIND_OF_TYPE = {
  'registry-record': 'record',
  'registry-cosign': 'cosign',
  'registry-uri': 'uri',
  'registry-witness': 'witness',
  'registry-trust': 'trust',
} as const;
export type StatementKind = (typeof KIND_OF_TYPE)[keyof typeof KIND_OF_TYPE];
const TYPE_OF_KIND = Object.fromEntries(Object.entries(KIND_OF_TYPE).map(([t, k]) => [k, t])) as Record<
  StatementKind,
  string
>;

interface Base {
  /** 64 hex: the did:is record id (docs/identity.md §2). */
  readonly id: string;
  readonly content: string;
  readonly signer: string;
  readonly address: string;
  readonly publicKey: Uint8Array;
  readonly iat: number;
}
export type Statement =
  | (Base & { readonly kind: 'record'; readonly payload: RecordPayload })
  | (Base & { readonly kind: 'cosign'; readonly payload: CosignPayload })
  | (Base & { readonly kind: 'uri'; readonly payload: UriPayload })
  | (Base & { readonly kind: 'witness'; readonly payload: WitnessPayload })
  | (Base & { readonly kind: 'trust'; readonly payload: TrustPayload });
export type StatementOf<K extends StatementKind> = Extract<Statement, { kind: K }>;

const COMMON = ['@type', 'v', 'signer', 'iat'];
const MEMBERS: Record<StatementKind, readonly string[]> = {
  record: [...COMMON, 'hash', 'size', 'name', 'language', 'licence', 'format', 'uris', 'relations', 'parties'],
  cosign: [...COMMON, 'record', 'hash'],
  uri: [...COMMON, 'hash', 'uri'],
  witness: [...COMMON, 'record', 'hash'],
  trust: [...COMMON, 'subject', 'level', 'languages'],
};

const ID_HEX = /^[0-9a-f]{64}$/;
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function need(ok: boolean, reason: RegistryReason, message: string): void {
  if (!ok) registryFail(reason, message);
}

function checkMembers(p: Record<string, unknown>, kind: StatementKind): void {
  const allowed = MEMBERS[kind];
  for (const k of Object.keys(p))
    need(allowed.includes(k), 'FIELD_UNKNOWN', `member "${k.slice(0, 32)}" is not part of a ${kind}`);
  for (const k of allowed) need(k in p, 'FIELD_INVALID', `a ${kind} needs "${k}"`);
}

function checkDid(x: unknown, reason: RegistryReason, what: string): string {
  need(addressOfDid(x) !== undefined, reason, `${what} is not a did:is DID`);
  return x as string;
}

function checkHash(x: unknown, what = 'hash'): string {
  need(isSha512Hex(x), 'HASH_INVALID', `${what} is not 128 lowercase hex (SHA-512)`);
  return x as string;
}

function checkLicence(x: unknown): void {
  need(isObject(x) && Object.keys(x).length === 1, 'LICENCE_INVALID', 'licence is {"spdx": …} or {"text": …}');
  const l = x as Record<string, unknown>;
  if ('spdx' in l) {
    const parsed = typeof l.spdx === 'string' ? spdxLicences(l.spdx) : { problem: 'spdx is a string' };
    if ('problem' in parsed) registryFail('LICENCE_INVALID', parsed.problem);
    return;
  }
  const problem = 'text' in l ? textProblem(l.text, 500, 'the licence text') : 'licence is {"spdx": …} or {"text": …}';
  if (problem) registryFail('LICENCE_INVALID', problem);
}

function checkRecordFields(p: Record<string, unknown>): void {
  checkHash(p.hash);
  need(Number.isSafeInteger(p.size) && (p.size as number) >= 0, 'FIELD_INVALID', 'size is a whole number of bytes');
  const nameProblem = textProblem(p.name, 300, 'the name');
  if (nameProblem) registryFail('NAME_INVALID', nameProblem);
  const langProblem = languageTagProblem(p.language);
  if (langProblem) registryFail('LANGUAGE_INVALID', langProblem);
  checkLicence(p.licence);
  need(isMediaType(p.format), 'FORMAT_INVALID', 'format is a lowercase media type type/subtype without parameters');
  need(Array.isArray(p.uris) && p.uris.length >= 1, 'URI_INVALID', 'a record has at least one URI');
  const uris = p.uris as unknown[];
  need(uris.length <= MAX_URIS, 'URIS_TOO_MANY', `a record has at most ${MAX_URIS} URIs`);
  for (const u of uris) {
    const parsed = parseContentUri(u);
    if ('problem' in parsed) registryFail('URI_INVALID', parsed.problem);
    if (parsed.scheme === 'hashlock')
      need(parsed.hash === p.hash, 'URI_INVALID', "a hashlock URI names the record's own hash");
  }
  need(new Set(uris).size === uris.length, 'URI_INVALID', 'a URI is listed twice');
  need(
    Array.isArray(p.relations) && p.relations.length <= MAX_RELATIONS,
    'RELATION_INVALID',
    `relations is a list of at most ${MAX_RELATIONS}`,
  );
  const seen = new Set<string>();
  for (const r of p.relations as unknown[]) {
    const ok =
      isObject(r) &&
      Object.keys(r).length === 2 &&
      RELATION_TYPES.includes(r.type as RelationType) &&
      isSha512Hex(r.hash) &&
      r.hash !== p.hash;
    need(
      ok,
      'RELATION_INVALID',
      `a relation is {"type": one of ${RELATION_TYPES.join(', ')}, "hash": another content's SHA-512}`,
    );
    const key = `${(r as { type: string }).type}:${(r as { hash: string }).hash}`;
    need(!seen.has(key), 'RELATION_INVALID', 'a relation is listed twice');
    seen.add(key);
  }
  need(
    Array.isArray(p.parties) && p.parties.length <= MAX_PARTIES,
    'PARTIES_INVALID',
    `parties is a list of at most ${MAX_PARTIES} DIDs`,
  );
  for (const d of p.parties as unknown[]) checkDid(d, 'PARTIES_INVALID', 'a party');
  need(
    new Set(p.parties as unknown[]).size === (p.parties as unknown[]).length,
    'PARTIES_INVALID',
    'a party is listed twice',
  );
}

function checkKindFields(kind: StatementKind, p: Record<string, unknown>): void {
  switch (kind) {
    case 'record':
      return checkRecordFields(p);
    case 'cosign':
    case 'witness':
      need(typeof p.record === 'string' && ID_HEX.test(p.record), 'FIELD_INVALID', 'record is a 64-hex record id');
      checkHash(p.hash);
      return;
    case 'uri': {
      checkHash(p.hash);
      const parsed = parseContentUri(p.uri);
      if ('problem' in parsed) registryFail('URI_INVALID', parsed.problem);
      if (parsed.scheme === 'hashlock')
        need(parsed.hash === p.hash, 'URI_INVALID', 'a hashlock URI names its own hash');
      return;
    }
    case 'trust': {
      checkDid(p.subject, 'FIELD_INVALID', 'subject');
      need(p.subject !== p.signer, 'TRUST_SELF', 'an identity does not state trust in itself');
      need(TRUST_LEVELS.includes(p.level as TrustLevel), 'FIELD_INVALID', `level is one of ${TRUST_LEVELS.join(', ')}`);
      if (p.languages === null) return;
      const langs = p.languages;
      need(
        Array.isArray(langs) && langs.length >= 1 && langs.length <= MAX_TRUST_LANGUAGES,
        'LANGUAGE_INVALID',
        `languages is null or 1–${MAX_TRUST_LANGUAGES} language ranges`,
      );
      for (const r of langs as unknown[]) {
        const problem = languageRangeProblem(r);
        if (problem) registryFail('LANGUAGE_INVALID', problem);
      }
      need(
        new Set(langs as unknown[]).size === (langs as unknown[]).length,
        'LANGUAGE_INVALID',
        'a language range is listed twice',
      );
    }
  }
}

/** Checks a payload's members and values (everything but the signature). Throws with a reason. */
export function checkPayload(p: Record<string, unknown>): StatementKind {
  const kind = KIND_OF_TYPE[p['@type'] as keyof typeof KIND_OF_TYPE];
  need(
    kind !== undefined,
    'TYPE_UNKNOWN',
    `@type ${JSON.stringify(p['@type'])?.slice(0, 40)} is not a registry statement`,
  );
  need(p.v === 1, 'VERSION_UNKNOWN', 'only version 1 statements are known');
  checkMembers(p, kind);
  checkDid(p.signer, 'FIELD_INVALID', 'signer');
  need(
    Number.isSafeInteger(p.iat) && (p.iat as number) >= 0,
    'IAT_INVALID',
    'iat is a whole number of milliseconds ≥ 0',
  );
  checkKindFields(kind, p);
  return kind;
}

function canonicalOrUndefined(p: unknown): string | undefined {
  try {
    return canonicalJson(p);
  } catch {
    return undefined;
  }
}

export interface StatementVerifyOptions {
  readonly verifier?: Sha256Verifier;
  readonly keys?: KeyCache;
  readonly keyHint?: Uint8Array;
}

/**
 * Verifies a statement: size, JWS shape, fields, canonical payload, signer = kid, signature.
 * Throws ApiError with details.reason (registry reasons, or identity's for the JWS and signature).
 */
export function verifyStatement(content: unknown, opts: StatementVerifyOptions = {}): Statement {
  const parsed = parseCompactJws(content, MAX_STATEMENT_CHARS);
  const kind = checkPayload(parsed.payload);
  const text = new TextDecoder().decode(b64urlToBytes(parsed.payloadB64));
  need(
    canonicalOrUndefined(parsed.payload) === text,
    'NOT_CANONICAL',
    'the payload is not in canonical JSON form (sorted keys, no whitespace)',
  );
  need(
    parsed.header.kid === (parsed.payload.signer as string).slice(DID_IS_PREFIX.length),
    'SIGNER_MISMATCH',
    'signer is not the DID of the signing key',
  );
  const v = verifyDidIsJws(content, { maxChars: MAX_STATEMENT_CHARS, ...opts });
  const payload = parsed.payload;
  return {
    kind,
    id: v.recordId,
    content: v.content,
    signer: payload.signer as string,
    address: v.address,
    publicKey: v.publicKey,
    iat: payload.iat as number,
    payload,
  } as unknown as Statement;
}

/** Signs 32-byte digests as one identity (or the node key); `did` names it. */
export interface StatementSigner {
  readonly did: string;
  signDigest(digest: Uint8Array): Uint8Array;
}

export function signerOf(did: string, signer: DigestSigner): StatementSigner {
  return { did, signDigest: (d) => signer.signDigest(d) };
}

type PayloadOf<K extends StatementKind> = StatementOf<K>['payload'];
export type StatementFields<K extends StatementKind> = Omit<PayloadOf<K>, '@type' | 'v' | 'signer' | 'iat'>;

/** Builds, checks and signs a statement of `kind`; the result verifies with verifyStatement. */
export function signStatement<K extends StatementKind>(
  kind: K,
  fields: StatementFields<K>,
  signer: StatementSigner,
  iat: number,
): string {
  const address = addressOfDid(signer.did);
  if (!address) registryFail('FIELD_INVALID', 'the signer is not a did:is DID');
  const payload = { ...fields, '@type': TYPE_OF_KIND[kind], v: 1, signer: signer.did, iat } as Record<string, unknown>;
  checkPayload(payload);
  return signDidIsJws(didIsHeaderJson(address), canonicalJson(payload), {
    publicKey: new Uint8Array(33),
    signDigest: (d) => signer.signDigest(d),
  });
}

/** The kind of a statement read without verifying (routing and ordering only), or undefined. */
export function peekKind(content: string): StatementKind | undefined {
  try {
    return KIND_OF_TYPE[parseCompactJws(content, MAX_STATEMENT_CHARS).payload['@type'] as keyof typeof KIND_OF_TYPE];
  } catch {
    return undefined;
  }
}
