// The credential binding: an identity key's signature that ties one device's MLS messaging key to a
// did:is identity until an expiry. It is the MLS credential itself, so every member checks it
// (through ts-mls's authentication-service hook) before it trusts a leaf.
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import {
  addressOfKey,
  doubleSha256,
  isCompactSignatureError,
  recoverCompact,
  signCompact,
} from '../identity/compact.ts';
import {
  addressOfDid,
  b64,
  Base64Url,
  bytesToHex,
  decodeCanonical,
  Did,
  encodeCanonical,
  Millis,
  refuse,
  tagged,
} from './ids.ts';
import type { Verdict } from './ids.ts';

/** MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519: the one suite communities use (docs §1). */
export const SUITE_ID = 1;
/** The longest a binding may be valid: a lost device stops being trusted within this. */
export const MAX_BINDING_MS = 400 * 24 * 3600 * 1000;
/** Default validity of a new binding; renewal starts RENEW_BEFORE_MS before it ends. */
export const DEFAULT_BINDING_MS = 90 * 24 * 3600 * 1000;
export const RENEW_BEFORE_MS = 14 * 24 * 3600 * 1000;
const MAX_CREDENTIAL_BYTES = 1024;

export const BindingFields = z
  .object({
    did: Did,
    key: z.string().regex(/^[0-9a-f]{64}$/, 'not an Ed25519 public key'),
    suite: z.literal(SUITE_ID),
    notBefore: Millis,
    notAfter: Millis,
  })
  .strict();
export type BindingFields = z.infer<typeof BindingFields>;

export const Binding = BindingFields.extend({ v: z.literal(1), sig: Base64Url(65) }).strict();
export type Binding = z.infer<typeof Binding>;

/** The 32 bytes the identity key signs: double SHA-256, as did:is signs everything. */
export function bindingDigest(fields: BindingFields): Uint8Array {
  const { did, key, suite, notBefore, notAfter } = fields;
  return doubleSha256(tagged('communities.binding', { did, key, suite, notBefore, notAfter }));
}

/** Signs through the vault in production; tests and benches pass the secret key here. */
export interface IdentitySigner {
  readonly did: string;
  signDigest(digest: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

export function secretKeySigner(did: string, secretKey: Uint8Array): IdentitySigner {
  return { did, signDigest: (digest) => signCompact(digest, secretKey) };
}

export async function signBinding(
  signer: IdentitySigner,
  fields: Omit<BindingFields, 'did' | 'suite'>,
): Promise<Binding> {
  const full = BindingFields.parse({ ...fields, did: signer.did, suite: SUITE_ID });
  const sig = await signer.signDigest(bindingDigest(full));
  return { v: 1, ...full, sig: b64.encode(sig) };
}

/** The credential's identity bytes: the canonical JSON, the only encoding accepted back. */
export function encodeBinding(binding: Binding): Uint8Array {
  return encodeCanonical(binding);
}

/** Parses credential bytes; refuses anything but the exact canonical encoding of a well-formed binding. */
export function decodeBinding(bytes: Uint8Array): Binding | undefined {
  return decodeCanonical(bytes, Binding, MAX_CREDENTIAL_BYTES);
}

export type BindingMode = { kind: 'strict'; at: number } | { kind: 'membership' };

/**
 * Whether `binding` ties `messagingKey` to its DID. Strict mode also checks that `at` (a commit's
 * time, the same for every member) lies inside the validity; membership mode does not (docs §3).
 */
export function verifyBinding(binding: Binding, messagingKey: Uint8Array, mode: BindingMode): Verdict {
  if (binding.key !== bytesToHex(messagingKey))
    return refuse('binding-key', 'the binding is for another messaging key');
  if (binding.notAfter <= binding.notBefore || binding.notAfter - binding.notBefore > MAX_BINDING_MS)
    return refuse('binding-validity', 'the binding validity is empty or longer than 400 days');
  if (mode.kind === 'strict' && (mode.at < binding.notBefore || mode.at > binding.notAfter))
    return refuse('binding-expired', 'the binding is not valid at this time');
  let key: Uint8Array;
  try {
    key = recoverCompact(bindingDigest(binding), b64.decode(binding.sig));
  } catch (err) {
    if (isCompactSignatureError(err)) return refuse('binding-signature', err.message);
    throw err;
  }
  if (addressOfKey(key) !== addressOfDid(binding.did))
    return refuse('binding-signature', 'the binding is not signed by its identity');
  return { ok: true };
}

/**
 * Signature checks cost ~1 ms; a 200-leaf tree arrives in every Welcome. The signature part of a
 * check depends only on the bytes, so it is remembered by their hash; times are checked each call.
 */
export class BindingCache {
  readonly #verified = new Map<string, Binding>();
  readonly #max: number;
  constructor(max = 4096) {
    this.#max = max;
  }

  check(credentialBytes: Uint8Array, messagingKey: Uint8Array, mode: BindingMode): Verdict & { binding?: Binding } {
    const id = bytesToHex(sha256(credentialBytes)) + bytesToHex(messagingKey);
    const known = this.#verified.get(id);
    if (known) {
      if (mode.kind === 'strict' && (mode.at < known.notBefore || mode.at > known.notAfter))
        return refuse('binding-expired', 'the binding is not valid at this time');
      return { ok: true, binding: known };
    }
    const binding = decodeBinding(credentialBytes);
    if (!binding) return refuse('binding-format', 'the credential is not a canonical binding');
    const verdict = verifyBinding(binding, messagingKey, { kind: 'membership' });
    if (!verdict.ok) return verdict;
    if (this.#verified.size >= this.#max) this.#verified.delete(this.#verified.keys().next().value!);
    this.#verified.set(id, binding);
    return this.check(credentialBytes, messagingKey, mode);
  }
}
