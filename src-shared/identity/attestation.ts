// An identity vouching for a node's order key, so a maker's orders can show "verified identity":
// the DID signs the order-signing public key with an expiry (docs/identity.md §9). One attestation
// covers every order that key signs until it expires.
import { fail } from './errors.ts';
import { jsonInOrder } from './jws.ts';
import { checkIat } from './profile.ts';
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

export interface OrderKeyAttestation {
  readonly did: string;
  readonly orderKey: string;
  readonly iat: number;
  readonly exp: number;
}

export function signOrderKeyAttestation(
  did: string,
  orderKeyHex: string,
  nowMs: number,
  days: number,
  signer: DigestSigner,
): string {
  const address = addressOfDid(did);
  if (!address) fail('DID_INVALID', 'not a did:is DID');
  if (!PUBKEY_HEX.test(orderKeyHex))
    fail('ATTESTATION_INVALID', 'the order key is a 33-byte compressed key in lowercase hex');
  const exp = nowMs + days * 86_400_000;
  if (!Number.isInteger(days) || days < 1 || exp - nowMs > MAX_ATTESTATION_MS)
    fail('ATTESTATION_INVALID', 'an attestation lasts 1 to 30 days');
  const payload = jsonInOrder([
    ['identifier', did],
    ['iat', checkIat(nowMs)],
    ['exp', exp],
    ['@type', ORDER_KEY_TYPE],
    ['orderKey', orderKeyHex],
  ]);
  return signDidIsJws(didIsHeaderJson(address), payload, signer);
}

function invalid(why: string): never {
  return fail('ATTESTATION_INVALID', `the identity attestation ${why}`);
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
  const p = v.payload;
  const keys = Object.keys(p);
  if (keys.length !== 5 || !['identifier', 'iat', 'exp', '@type', 'orderKey'].every((k) => k in p)) {
    invalid('has other members than identifier, iat, exp, @type, orderKey');
  }
  if (p['@type'] !== ORDER_KEY_TYPE) fail('TYPE_UNKNOWN', 'not an order-key attestation');
  if (p.identifier !== did) fail('KID_MISMATCH', "the identifier is not the signer's DID");
  const iat = checkIat(p.iat);
  const exp = checkIat(p.exp);
  if (p.orderKey !== orderPubkeyHex) invalid("is for another order key than the order's");
  if (exp <= iat || exp - iat > MAX_ATTESTATION_MS) invalid('lasts longer than 30 days');
  if (iat > nowMs + CLOCK_SKEW_MS) invalid('is issued in the future');
  if (nowMs >= exp) invalid('has expired');
  return { did, orderKey: orderPubkeyHex, iat, exp };
}
