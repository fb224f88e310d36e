// Reading Blockcore's later did:is "v2" operations (2022–23, no written spec) for resolution only:
// identifier = 64 hex (x-only key), JWS of whole DID documents with a sequential version, signed
// with a standard 64-byte ES256K over one SHA-256. We never write v2 (docs/identity.md §1.2).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { fail } from './errors.ts';
import { asciiBytes, b64urlToBytes, parseCompactJws } from './jws.ts';
import { checkIat } from './profile.ts';
import { DID_IS_PREFIX, nobleSha256Verifier, type Sha256Verifier } from './verify.ts';

export const MAX_V2_JWS_CHARS = 64 * 1024;
const V2_ID = /^[0-9a-f]{64}$/;

export interface V2State {
  readonly did: string;
  readonly version: number;
  readonly iat: number;
  /** The current DID document; null once deactivated. */
  readonly document: Record<string, unknown> | null;
  readonly createdIat: number;
  readonly content: string;
  /** Hex SHA-256 of the operation as received. */
  readonly id: string;
}

export function isV2Did(did: unknown): did is string {
  return typeof did === 'string' && did.startsWith(DID_IS_PREFIX) && V2_ID.test(did.slice(DID_IS_PREFIX.length));
}

type Doc = Record<string, unknown>;

function isObject(x: unknown): x is Doc {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The 32-byte x of a secp256k1 JWK; Blockcore pads its base64url with '='. */
function jwkX(vm: unknown): Uint8Array | undefined {
  if (!isObject(vm) || !isObject(vm.publicKeyJwk)) return undefined;
  const jwk = vm.publicKeyJwk;
  if (jwk.kty !== 'EC' || jwk.crv !== 'secp256k1' || typeof jwk.x !== 'string') return undefined;
  const x = b64urlToBytes(jwk.x.replace(/=+$/, ''));
  return x?.length === 32 ? x : undefined;
}

/** The verification method `kid` names among the document's authentication entries. */
function authenticationMethod(doc: Doc, kid: string): unknown {
  const fragment = kid.slice(kid.indexOf('#'));
  const matches = (id: unknown) =>
    typeof id === 'string' && id.length > 1 && fragment.endsWith(id.slice(id.indexOf('#')));
  const auth = Array.isArray(doc.authentication) ? doc.authentication : [];
  const vms = Array.isArray(doc.verificationMethod) ? doc.verificationMethod : [];
  for (const entry of auth) {
    if (typeof entry === 'string' && matches(entry)) return vms.find((vm) => isObject(vm) && matches(vm.id));
    if (isObject(entry) && matches(entry.id)) return entry;
  }
  return undefined;
}

function checkDocument(doc: unknown, did: string): Doc {
  if (!isObject(doc) || doc.id !== did) fail('V2_INVALID', 'the DID document is missing or names another DID');
  if (!Array.isArray(doc.verificationMethod) || doc.verificationMethod.length === 0) {
    fail('V2_INVALID', 'the DID document has no verification method');
  }
  return doc;
}

/** Applies one v2 operation to the stored state (undefined before the create); throws V2_INVALID. */
export function applyV2Operation(
  state: V2State | undefined,
  content: string,
  verifier: Sha256Verifier = nobleSha256Verifier,
): V2State {
  const jws = parseCompactJws(content, MAX_V2_JWS_CHARS);
  const { header, payload } = jws;
  if (header.alg !== 'ES256K') fail('ALG_UNSUPPORTED', 'v2 operations are ES256K');
  const kid = header.kid;
  if (
    typeof kid !== 'string' ||
    !kid.includes('#') ||
    Object.keys(header).some((k) => !['alg', 'kid', 'typ'].includes(k))
  ) {
    fail('HEADER_INVALID', 'a v2 header has alg and a kid naming a key by fragment');
  }
  if (Object.keys(payload).some((k) => !['version', 'iat', 'didDocument'].includes(k))) {
    fail('FIELD_UNKNOWN', 'a v2 operation has version, iat and didDocument only');
  }
  const version = payload.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0)
    fail('V2_INVALID', 'version is not an integer ≥ 0');
  const iat = checkIat(payload.iat);
  const incoming = payload.didDocument;
  const did = state?.did ?? (isObject(incoming) && typeof incoming.id === 'string' ? incoming.id : '');
  if (!isV2Did(did)) fail('DID_INVALID', 'the operation names no v2 did:is identifier');
  if (!kid.startsWith('#') && kid.slice(0, kid.indexOf('#')) !== did) fail('KID_MISMATCH', 'kid names another DID');
  let signingDoc: Doc;
  if (state === undefined) {
    if (version !== 0 || incoming === null) fail('V2_INVALID', 'the first operation of a DID is a create (version 0)');
    signingDoc = checkDocument(incoming, did);
    const first = jwkX((signingDoc.verificationMethod as unknown[])[0]);
    if (!first || bytesToHex(first) !== did.slice(DID_IS_PREFIX.length)) {
      fail('V2_INVALID', "the first verification method's key is not the identifier's key");
    }
  } else {
    if (state.document === null) fail('V2_INVALID', 'the DID is deactivated; nothing follows');
    if (version !== state.version + 1)
      fail('V2_INVALID', `version ${version} is not the next version ${state.version + 1}`);
    signingDoc = state.document;
  }
  const x = jwkX(authenticationMethod(signingDoc, kid));
  if (!x) fail('V2_INVALID', `kid ${kid.slice(0, 80)} is not an authentication key of the document`);
  if (state === undefined && bytesToHex(x) !== did.slice(DID_IS_PREFIX.length)) {
    fail('SIGNATURE_WRONG_KEY', 'a create is signed by the identifier key');
  }
  verifyV2Signature(jws.signingInput, jws.signature, x, verifier);
  const document = incoming === null ? null : checkDocument(incoming, did);
  const id = bytesToHex(sha256(asciiBytes(content)));
  return { did, version, iat, document, createdIat: state?.createdIat ?? iat, content, id };
}

/** x-only: the identifier commits to x alone and Blockcore's documents carry either y, so both parities are tried. */
function verifyV2Signature(signingInput: string, sig: Uint8Array, x: Uint8Array, verifier: Sha256Verifier): void {
  if (sig.length !== 64) fail('SIGNATURE_MALFORMED', `a v2 signature is 64 bytes, not ${sig.length}`);
  const message = asciiBytes(signingInput);
  for (const parity of [2, 3]) {
    if (verifier.verifySha256(sig, message, Uint8Array.of(parity, ...x))) return;
  }
  fail('SIGNATURE_WRONG_KEY', 'the signature is not by the named key');
}
