// The identity extension of a payment request: the `identity*` parameters, the canonical bytes
// the identity key signs, and the check that the signature holds for the request being paid.
// docs/payments.md §3 is the specification other wallets can follow.
import { base64urlnopad } from '@scure/base';
import {
  addressOfKey,
  decodeAddress,
  DID_IS_VERSION,
  doubleSha256,
  recoverCompact,
  signCompact,
} from '../identity/compact.ts';
import type { CoinParams } from '../coins/registry.ts';
import { paymentError } from './errors.ts';
import type { PaymentScheme } from './schemes.ts';

export const BINDING_TAG = 'did:is payment binding v1';
export const DID_PREFIX = 'did:is:';
export const IDENTITY_KEY_BYTES = 32;
export const NONCE_MIN_BYTES = 16;
export const NONCE_MAX_BYTES = 32;
export const SIGNATURE_BYTES = 65;

/** The keys of the extension, in the order build.ts writes them. */
export const IDENTITY_PARAMS = [
  'identity',
  'identity-key',
  'identity-expires',
  'identity-nonce',
  'identity-sig',
] as const;
export type IdentityParamKey = (typeof IDENTITY_PARAMS)[number];

export interface IdentityParams {
  /** `did:is:P…` */
  readonly did: string;
  /** Opens the merchant's private metadata. */
  readonly key: Uint8Array | undefined;
  readonly binding: BindingParams | undefined;
}

export interface BindingParams {
  /** Unix seconds, as written in the URI. */
  readonly expires: number;
  readonly nonce: Uint8Array;
  readonly signature: Uint8Array;
}

/** Everything the identity key signs (§3.3). */
export interface BindingFields {
  readonly scheme: PaymentScheme;
  readonly network: CoinParams['network'];
  readonly did: string;
  /** Canonical form: segwit lower case, base58 as written. */
  readonly address: string;
  readonly amount: bigint | undefined;
  readonly label: string | undefined;
  readonly message: string | undefined;
  readonly expires: number;
  readonly nonce: Uint8Array;
  readonly identityKey: Uint8Array | undefined;
}

const text = new TextEncoder();

/** The canonical bytes: each field as u32 big-endian length ‖ bytes, in §3.3's order. */
export function bindingBytes(f: BindingFields): Uint8Array {
  const fields: Uint8Array[] = [
    text.encode(BINDING_TAG),
    text.encode(f.scheme),
    text.encode(f.network),
    text.encode(f.did),
    text.encode(f.address),
    text.encode(f.amount === undefined ? '' : f.amount.toString()),
    text.encode(f.label ?? ''),
    text.encode(f.message ?? ''),
    text.encode(String(f.expires)),
    f.nonce,
    f.identityKey ?? new Uint8Array(0),
  ];
  return lengthPrefixed(fields);
}

export function lengthPrefixed(fields: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(fields.reduce((n, f) => n + 4 + f.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const f of fields) {
    view.setUint32(at, f.length, false);
    out.set(f, at + 4);
    at += 4 + f.length;
  }
  return out;
}

export function bindingDigest(f: BindingFields): Uint8Array {
  return doubleSha256(bindingBytes(f));
}

/** The `identity-sig` value for `f`, signed with the identity's secret key. */
export function signBinding(f: BindingFields, secretKey: Uint8Array): string {
  return base64urlnopad.encode(signCompact(bindingDigest(f), secretKey));
}

/** Whether `signature` over `f` recovers the key of `f.did`. */
export function bindingHolds(f: BindingFields, signature: Uint8Array): boolean {
  try {
    return DID_PREFIX + addressOfKey(recoverCompact(bindingDigest(f), signature)) === f.did;
  } catch {
    return false;
  }
}

/** Reads the extension's parameters; undefined when the request names no identity. */
export function parseIdentityParams(values: ReadonlyMap<IdentityParamKey, string>): IdentityParams | undefined {
  const did = values.get('identity');
  if (did === undefined) {
    const stray = IDENTITY_PARAMS.find((k) => values.has(k));
    if (stray) throw paymentError('IDENTITY_MISSING', `"${stray}" is given without "identity"`, { key: stray });
    return undefined;
  }
  checkDid(did);
  const rawKey = values.get('identity-key');
  const key = rawKey === undefined ? undefined : decodeFixed(rawKey, 'identity-key', IDENTITY_KEY_BYTES);
  const expires = values.get('identity-expires');
  const nonce = values.get('identity-nonce');
  const sig = values.get('identity-sig');
  const present = [expires, nonce, sig].filter((v) => v !== undefined).length;
  if (present === 0) return { did, key, binding: undefined };
  if (present !== 3) {
    throw paymentError(
      'BINDING_INCOMPLETE',
      'a signed identity needs "identity-sig", "identity-expires" and "identity-nonce" together',
    );
  }
  return { did, key, binding: parseBinding(expires!, nonce!, sig!) };
}

export function checkDid(did: string): void {
  const decoded = did.startsWith(DID_PREFIX) ? decodeAddress(did.slice(DID_PREFIX.length)) : undefined;
  if (!decoded || decoded.version !== DID_IS_VERSION) {
    throw paymentError(
      'IDENTITY_INVALID',
      `"identity" must be a did:is identifier (did:is:P…), not "${did.length > 50 ? `${did.slice(0, 49)}…` : did}"`,
    );
  }
}

function parseBinding(expires: string, nonce: string, sig: string): BindingParams {
  if (!/^[1-9][0-9]{0,10}$/.test(expires)) {
    throw paymentError(
      'BINDING_INVALID',
      '"identity-expires" must be a time in whole seconds since 1970 (digits, no leading zero)',
    );
  }
  const nonceBytes = decodeBase64url(nonce, 'identity-nonce', 'BINDING_INVALID');
  if (nonceBytes.length < NONCE_MIN_BYTES || nonceBytes.length > NONCE_MAX_BYTES) {
    throw paymentError(
      'BINDING_INVALID',
      `"identity-nonce" must be ${NONCE_MIN_BYTES} to ${NONCE_MAX_BYTES} bytes, not ${nonceBytes.length}`,
    );
  }
  const signature = decodeFixed(sig, 'identity-sig', SIGNATURE_BYTES);
  return { expires: Number(expires), nonce: nonceBytes, signature };
}

function decodeFixed(value: string, key: 'identity-key' | 'identity-sig', size: number): Uint8Array {
  const code = key === 'identity-key' ? 'IDENTITY_KEY_INVALID' : 'BINDING_INVALID';
  const bytes = decodeBase64url(value, key, code);
  if (bytes.length !== size) throw paymentError(code, `"${key}" must be ${size} bytes, not ${bytes.length}`);
  return bytes;
}

function decodeBase64url(value: string, key: string, code: 'IDENTITY_KEY_INVALID' | 'BINDING_INVALID'): Uint8Array {
  try {
    return base64urlnopad.decode(value);
  } catch {
    throw paymentError(code, `"${key}" is not base64url without padding (A–Z, a–z, 0–9, "-", "_")`, { key });
  }
}

export function encodeBase64url(bytes: Uint8Array): string {
  return base64urlnopad.encode(bytes);
}
