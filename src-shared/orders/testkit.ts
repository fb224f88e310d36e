// Test-only: fixed keys, real regtest addresses and one valid DEVA/DEVB order, so tests build
// messages the way the network does and change one field at a time.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { bech32 } from '@scure/base';
import type { Signer } from '../protocol/canonical.ts';
import { createOrder, signOrderAsServiceNode } from './order.ts';
import type { MakerSignedOrder, Order, OrderTerms } from './types.ts';

export interface TestKey {
  readonly secretKey: Uint8Array;
  readonly signer: Signer;
  readonly pubkey: string;
  /** Its P2WPKH address on the Litecoin regtest chains (DEVA, DEVB, rLTC). */
  readonly address: string;
}

export function testKey(n: number): TestKey {
  const secretKey = new Uint8Array(32);
  secretKey[31] = n & 0xff;
  secretKey[30] = n >> 8;
  const pubkey = bytesToHex(secp256k1.getPublicKey(secretKey, true));
  const signer: Signer = { publicKey: pubkey, signDigest: (d) => secp256k1.sign(d, secretKey, { prehash: false }) };
  return { secretKey, signer, pubkey, address: p2wpkhAddress(pubkey) };
}

export function p2wpkhAddress(pubkeyHex: string, hrp = 'rltc'): string {
  return bech32.encode(hrp, [0, ...bech32.toWords(ripemd160(sha256(hexToBytes(pubkeyHex))))]);
}

export const MAKER = testKey(1);
export const TAKER = testKey(2);
export const SERVICE_NODE = testKey(3);
export const STRANGER = testKey(9);
export const MAKER_PEER = '12D3KooWMakerMakerMakerMakerMakerMakerMakerMakerMaker';
export const TAKER_PEER = '12D3KooWTakerTakerTakerTakerTakerTakerTakerTakerTaker';
export const SN_PEER = '12D3KooWServiceNodeServiceNodeServiceNodeServiceNode';
export const NOW = 1_700_000_000_000;
export const TXID_A = 'a1'.repeat(32);
export const TXID_B = 'b2'.repeat(32);

/** 1 DEVA for 0.25 DEVB, maker sells, partial fills of at least 0.1 DEVA. */
export function orderTerms(over: Partial<OrderTerms> = {}): OrderTerms {
  return {
    market: { base: 'DEVA', quote: 'DEVB' },
    side: 'sell',
    baseAmount: 100_000_000n,
    quoteAmount: 25_000_000n,
    partial: { allowed: true, minBase: 10_000_000n },
    maker: { peerId: MAKER_PEER, pubkey: MAKER.pubkey, addresses: { payout: MAKER.address, refund: testKey(11).address } },
    makerUtxos: [`${TXID_A}:0`],
    createdAt: NOW,
    expiresAt: NOW + 3_600_000,
    nonce: '0f'.repeat(16),
    ...over,
  };
}

export function makerOrder(over: Partial<OrderTerms> = {}, maker: TestKey = MAKER): MakerSignedOrder {
  return createOrder(orderTerms({ maker: { peerId: MAKER_PEER, pubkey: maker.pubkey, addresses: { payout: maker.address, refund: testKey(11).address } }, ...over }), maker.signer);
}

export function signedOrder(over: Partial<OrderTerms> = {}, opts: { maker?: TestKey; serviceNode?: TestKey; signedAt?: number } = {}): Order {
  return signOrderAsServiceNode(makerOrder(over, opts.maker), (opts.serviceNode ?? SERVICE_NODE).signer, opts.signedAt ?? (over.createdAt ?? NOW) + 100);
}
