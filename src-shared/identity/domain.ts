// Linked domains (DIF Well-Known DID Configuration): the DomainLinkageCredential a domain serves at
// /.well-known/did-configuration.json, signed the did:is way (compact recoverable signature over
// double SHA-256). Build and verify are pure; main fetches the file. docs/identity.md §8.
import { fail } from './errors.ts';
import { checkOrigin } from './links.ts';
import { iatToDateTime } from './resolve.ts';
import {
  DID_IS_PREFIX,
  addressOfDid,
  signDidIsJws,
  verifyDidIsJws,
  type DigestSigner,
  type VerifyOptions,
} from './verify.ts';

export const DID_CONFIGURATION_PATH = '/.well-known/did-configuration.json';
export const DID_CONFIGURATION_CONTEXT = 'https://identity.foundation/.well-known/did-configuration/v1';
const VC_CONTEXT = 'https://www.w3.org/2018/credentials/v1';
const MAX_CREDENTIAL_CHARS = 4096;
const MAX_LINKED_DIDS = 16;

export interface DomainLinkage {
  readonly did: string;
  readonly origin: string;
  /** JWT NumericDate, seconds. */
  readonly nbf: number;
  readonly exp: number;
}

function checkDid(did: string): void {
  if (addressOfDid(did) === undefined) fail('DID_INVALID', `${did.slice(0, 64)} is not a did:is DID`);
}

/** A DomainLinkageCredential JWT for `origin`, valid `days` from `nowMs`, signed by the DID's key. */
export function signDomainLinkage(
  did: string,
  origin: string,
  nowMs: number,
  days: number,
  signer: DigestSigner,
): string {
  checkDid(did);
  checkOrigin(origin);
  if (!Number.isInteger(days) || days < 1 || days > 3660)
    fail('CREDENTIAL_INVALID', 'a credential lasts 1 to 3660 days');
  const nbf = Math.floor(nowMs / 1000);
  const exp = nbf + days * 86_400;
  const payload = {
    exp,
    iss: did,
    nbf,
    sub: did,
    vc: {
      '@context': [VC_CONTEXT, DID_CONFIGURATION_CONTEXT],
      issuer: did,
      issuanceDate: iatToDateTime(nbf),
      expirationDate: iatToDateTime(exp),
      type: ['VerifiableCredential', 'DomainLinkageCredential'],
      credentialSubject: { id: did, origin },
    },
  };
  const header = JSON.stringify({ alg: 'ES256K', typ: 'JWT', kid: `${did}#key-1` });
  return signDidIsJws(header, JSON.stringify(payload), signer);
}

/** The did-configuration.json a domain serves. */
export function didConfiguration(jwts: readonly string[]) {
  return { '@context': DID_CONFIGURATION_CONTEXT, linked_dids: [...jwts] };
}

interface CredentialPayload {
  iss?: unknown;
  sub?: unknown;
  nbf?: unknown;
  exp?: unknown;
  vc?: {
    issuer?: unknown;
    type?: unknown;
    '@context'?: unknown;
    credentialSubject?: { id?: unknown; origin?: unknown };
  } | null;
}

function invalid(why: string): never {
  return fail('CREDENTIAL_INVALID', `the domain linkage credential ${why}`);
}

/** Checks a credential fetched from `origin` at `nowMs`: signature, DID agreement, origin, validity window, types. */
export function verifyDomainLinkage(
  jwt: unknown,
  origin: string,
  nowMs: number,
  opts: Pick<VerifyOptions, 'verifier' | 'keys'> = {},
): DomainLinkage {
  const jws = verifyDidIsJws(jwt, { ...opts, maxChars: MAX_CREDENTIAL_CHARS, kidIsDidUrl: true });
  const did = `${DID_IS_PREFIX}${jws.address}`;
  const p = jws.payload as CredentialPayload;
  if (jws.header.kid !== `${did}#key-1`) invalid('is not signed with the key #key-1');
  if (p.iss !== did || p.sub !== did) invalid('has iss or sub other than its signer');
  const vc = p.vc;
  if (typeof vc !== 'object' || vc === null) invalid('has no vc');
  if (vc.issuer !== did || vc.credentialSubject?.id !== did) invalid('names another DID as issuer or subject');
  if (vc.credentialSubject?.origin !== origin)
    invalid(`is for ${String(vc.credentialSubject?.origin).slice(0, 80)}, not ${origin}`);
  const types = vc.type;
  if (!Array.isArray(types) || !types.includes('DomainLinkageCredential') || !types.includes('VerifiableCredential')) {
    invalid('is not a DomainLinkageCredential');
  }
  if (!Array.isArray(vc['@context']) || !vc['@context'].includes(DID_CONFIGURATION_CONTEXT))
    invalid('lacks its @context');
  const { nbf, exp } = p;
  if (
    typeof nbf !== 'number' ||
    typeof exp !== 'number' ||
    !Number.isSafeInteger(nbf) ||
    !Number.isSafeInteger(exp) ||
    exp <= nbf
  ) {
    invalid('has no valid nbf/exp');
  }
  const now = Math.floor(nowMs / 1000);
  if (now < nbf) invalid('is not valid yet');
  if (now >= exp) invalid('has expired');
  return { did, origin, nbf, exp };
}

/** The DIDs a fetched did-configuration.json links to `origin`; credentials that fail are left out. */
export function linkedDids(config: unknown, origin: string, nowMs: number): DomainLinkage[] {
  checkOrigin(origin);
  const c = config as { '@context'?: unknown; linked_dids?: unknown } | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    c['@context'] !== DID_CONFIGURATION_CONTEXT ||
    !Array.isArray(c.linked_dids)
  ) {
    invalid('file is not a DID configuration');
  }
  const out: DomainLinkage[] = [];
  for (const jwt of c.linked_dids.slice(0, MAX_LINKED_DIDS)) {
    try {
      out.push(verifyDomainLinkage(jwt, origin, nowMs));
    } catch {
      // Other DIDs' credentials may use methods or formats we do not read; they just do not count.
    }
  }
  return out;
}
