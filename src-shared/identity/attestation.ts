// An identity vouching for a node's order key, so a maker's orders can show who made them
// (docs/identity.md §9): a registry record, signed by the DID and counter-signed by the order key
// (nobody can claim a key that is not theirs), replicated and withdrawn like a link. One
// attestation covers every order that key signs until it expires.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { fail } from './errors.ts';
import { asciiBytes, b64urlFromBytes, b64urlToBytes, jsonInOrder } from './jws.ts';
import { STATE_ACTIVE, STATE_DELETED, checkIat } from './profile.ts';
import {
  DID_IS_PREFIX,
  addressOfDid,
  didIsHeaderJson,
  signDidIsJws,
  verifyDidIsJws,
  type DigestSigner,
  type VerifyOptions,
} from './verify.ts';

export const ORDER_KEY_TYPE = 'identity-order-key';
export const MAX_ATTESTATION_MS = 30 * 86_400_000;
export const MAX_ATTESTATION_CHARS = 1024;
const CLOCK_SKEW_MS = 5 * 60_000;
const PUBKEY_HEX = /^0[23][0-9a-f]{64}$/;
const MEMBERS = ['identifier', 'iat', 'exp', '@type', '@state', 'orderKey', 'keySig'];

export interface OrderKeyAttestation {
  readonly did: string;
  readonly orderKey: string;
  readonly iat: number;
  readonly exp: number;
}

/** The checked payload of an attestation record; `exp` and `keySig` are null in a tombstone. */
export interface OrderKeyPayload {
  readonly identifier: string;
  readonly iat: number;
  readonly exp: number | null;
  readonly '@state': typeof STATE_ACTIVE | typeof STATE_DELETED;
  readonly orderKey: string;
  readonly keySig: string | null;
}

/** Signs a 32-byte digest with the order key: 64 bytes r ‖ s, low S. */
export type OrderKeySigner = (digest32: Uint8Array) => Uint8Array;

function invalid(why: string): never {
  return fail('ATTESTATION_INVALID', `the identity attestation ${why}`);
}

/** What the order key signs: the DID it belongs to, at this iat (an old signature cannot be moved). */
export function orderKeyStatementDigest(did: string, orderKeyHex: string, iat: number): Uint8Array {
  return sha256(asciiBytes(`hashlock identity order key v1\ndid: ${did}\norder key: ${orderKeyHex}\niat: ${iat}\n`));
}

/** The payload of a fresh attestation: the order key signs first, the DID signs the whole. */
export function buildOrderKeyPayload(
  did: string,
  orderKeyHex: string,
  iat: number,
  days: number,
  orderKeySigner: OrderKeySigner,
): string {
  if (!addressOfDid(did)) fail('DID_INVALID', 'not a did:is DID');
  if (!PUBKEY_HEX.test(orderKeyHex))
    fail('ATTESTATION_INVALID', 'the order key is a 33-byte compressed key in lowercase hex');
  checkIat(iat);
  const exp = iat + days * 86_400_000;
  if (!Number.isInteger(days) || days < 1 || exp - iat > MAX_ATTESTATION_MS)
    fail('ATTESTATION_INVALID', 'an attestation lasts 1 to 30 days');
  const keySig = orderKeySigner(orderKeyStatementDigest(did, orderKeyHex, iat));
  return jsonInOrder([
    ['identifier', did],
    ['iat', iat],
    ['exp', exp],
    ['@type', ORDER_KEY_TYPE],
    ['@state', STATE_ACTIVE],
    ['orderKey', orderKeyHex],
    ['keySig', b64urlFromBytes(keySig)],
  ]);
}

export function signOrderKeyAttestation(
  did: string,
  orderKeyHex: string,
  iat: number,
  days: number,
  signer: DigestSigner,
  orderKeySigner: OrderKeySigner,
): string {
  const payload = buildOrderKeyPayload(did, orderKeyHex, iat, days, orderKeySigner);
  return signDidIsJws(didIsHeaderJson(addressOfDid(did)!), payload, signer);
}

/** The payload that withdraws an attestation (the DID alone may: it is its own claim). */
export function buildOrderKeyWithdrawal(did: string, orderKeyHex: string, iat: number): string {
  if (!PUBKEY_HEX.test(orderKeyHex))
    fail('ATTESTATION_INVALID', 'the order key is a 33-byte compressed key in lowercase hex');
  return jsonInOrder([
    ['identifier', did],
    ['iat', checkIat(iat)],
    ['exp', null],
    ['@type', ORDER_KEY_TYPE],
    ['@state', STATE_DELETED],
    ['orderKey', orderKeyHex],
    ['keySig', null],
  ]);
}

/**
 * Shape, limits and the order key's counter-signature of an attestation payload (the DID's own
 * signature is checked by the caller). The clock is not consulted: see `isLive`.
 */
export function checkOrderKeyPayload(p: Record<string, unknown>): OrderKeyPayload {
  const keys = Object.keys(p);
  if (keys.length !== MEMBERS.length || !MEMBERS.every((k) => k in p)) {
    invalid(`has members other than ${MEMBERS.join(', ')}`);
  }
  if (p['@type'] !== ORDER_KEY_TYPE) fail('TYPE_UNKNOWN', 'not an order-key attestation');
  const iat = checkIat(p.iat);
  if (typeof p.orderKey !== 'string' || !PUBKEY_HEX.test(p.orderKey)) invalid('names no valid order key');
  const identifier = p.identifier as string;
  if (p['@state'] === STATE_DELETED) {
    if (p.exp !== null || p.keySig !== null)
      fail('TOMBSTONE_NOT_EMPTY', 'a withdrawn attestation has no exp or keySig');
    return { identifier, iat, exp: null, '@state': STATE_DELETED, orderKey: p.orderKey, keySig: null };
  }
  if (p['@state'] !== STATE_ACTIVE) fail('STATE_UNKNOWN', '@state is 0 (active) or 999 (withdrawn)');
  const exp = checkIat(p.exp);
  if (exp <= iat || exp - iat > MAX_ATTESTATION_MS) invalid('lasts longer than 30 days or ends before it starts');
  const sig = typeof p.keySig === 'string' ? b64urlToBytes(p.keySig) : undefined;
  if (!sig || sig.length !== 64) invalid('carries no 64-byte signature by the order key');
  let ok: boolean;
  try {
    ok = secp256k1.verify(sig, orderKeyStatementDigest(identifier, p.orderKey, iat), hexToBytes(p.orderKey), {
      prehash: false,
      lowS: true,
      format: 'compact',
    });
  } catch {
    ok = false;
  }
  if (!ok) invalid('is not signed by the order key it names');
  return { identifier, iat, exp, '@state': STATE_ACTIVE, orderKey: p.orderKey, keySig: p.keySig as string };
}

/** Whether an attestation speaks for its order key at `nowMs` (active, issued, not expired). */
export function isLive(p: OrderKeyPayload, nowMs: number): boolean {
  return p['@state'] === STATE_ACTIVE && p.exp !== null && p.iat <= nowMs + CLOCK_SKEW_MS && nowMs < p.exp;
}

/** Whether `jws` is a live attestation of `orderPubkeyHex` (the order's maker.pubkey) at `nowMs`. */
export function verifyOrderKeyAttestation(
  jws: unknown,
  orderPubkeyHex: string,
  nowMs: number,
  opts: Pick<VerifyOptions, 'verifier' | 'keys'> = {},
): OrderKeyAttestation {
  const v = verifyDidIsJws(jws, { ...opts, maxChars: MAX_ATTESTATION_CHARS });
  const did = `${DID_IS_PREFIX}${v.address}`;
  if (v.payload.identifier !== did) fail('KID_MISMATCH', "the identifier is not the signer's DID");
  const p = checkOrderKeyPayload(v.payload);
  if (p.orderKey !== orderPubkeyHex) invalid("is for another order key than the order's");
  if (p['@state'] === STATE_DELETED) invalid('is withdrawn');
  if (p.iat > nowMs + CLOCK_SKEW_MS) invalid('is issued in the future');
  if (nowMs >= p.exp!) invalid('has expired');
  return { did, orderKey: orderPubkeyHex, iat: p.iat, exp: p.exp! };
}
