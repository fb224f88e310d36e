// Bitcoin-Core-style signed messages ("signmessage"), which prove control of an address's key
// without a transaction. A service node proves it controls its collateral this way, signed by
// the wallet that holds the collateral, so the node never needs that private key.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { base64 } from '@scure/base';
import { decodeAddress, type AddressParams } from './address.ts';

export interface MessageCoin extends AddressParams {
  readonly family: 'bitcoin' | 'litecoin';
}

/** The prefix each daemon family's signmessage puts before the message. */
export function messageMagic(family: MessageCoin['family']): string {
  return family === 'litecoin' ? 'Litecoin Signed Message:\n' : 'Bitcoin Signed Message:\n';
}

const utf8 = new TextEncoder();

function varint(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return Uint8Array.of(0xfd, n & 0xff, n >>> 8);
  return Uint8Array.of(0xfe, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
}

/** double-SHA256(varint|magic|varint|message), the digest signmessage signs. */
export function messageDigest(message: Uint8Array, family: MessageCoin['family']): Uint8Array {
  const magic = utf8.encode(messageMagic(family));
  return sha256(sha256(concatBytes(varint(magic.length), magic, varint(message.length), message)));
}

function hash160(b: Uint8Array): Uint8Array {
  return ripemd160(sha256(b));
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Whether `signatureBase64` (65 bytes: header, r, s) is a signed message of `message` by the key
 * behind `address` on `coin`. P2PKH, P2WPKH and P2SH-P2WPKH addresses are accepted; the header's
 * BIP137 address-type hint is ignored (Core's signmessagewithprivkey always writes the P2PKH
 * header), only the recovery id and compression flag are read from it.
 */
export function verifySignedMessage(
  address: string,
  signatureBase64: string,
  message: Uint8Array,
  coin: MessageCoin,
): boolean {
  const decoded = decodeAddress(address, coin);
  if (!decoded || decoded.kind === 'p2wsh' || decoded.kind === 'p2tr') return false;
  let raw: Uint8Array;
  try {
    raw = base64.decode(signatureBase64);
  } catch {
    return false;
  }
  const header = raw[0];
  if (raw.length !== 65 || header === undefined || header < 27 || header > 42) return false;
  const recovery = (header - 27) & 3;
  const compressed = header >= 31;
  let pubkey: Uint8Array;
  try {
    const sig = secp256k1.Signature.fromBytes(raw.subarray(1), 'compact').addRecoveryBit(recovery);
    pubkey = sig.recoverPublicKey(messageDigest(message, coin.family)).toBytes(compressed);
  } catch {
    return false;
  }
  const keyHash = hash160(pubkey);
  switch (decoded.kind) {
    case 'p2pkh':
      return equal(keyHash, decoded.hash);
    case 'p2wpkh':
      return compressed && equal(keyHash, decoded.hash);
    case 'p2sh':
      return compressed && equal(hash160(concatBytes(Uint8Array.of(0x00, 0x14), keyHash)), decoded.hash);
  }
}

/** signmessage with a raw key: for tests and tools; real collateral is signed by the coin's wallet. */
export function signMessageWithKey(secretKey: Uint8Array, message: Uint8Array, family: MessageCoin['family']): string {
  const sig = secp256k1.sign(messageDigest(message, family), secretKey, { prehash: false, format: 'recovered' });
  const out = Uint8Array.from(sig);
  out[0] = 31 + (sig[0] ?? 0);
  return base64.encode(out);
}
