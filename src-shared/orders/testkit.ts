// Test-only: fixed keys, real regtest addresses and one valid DEVA/DEVB order, so tests build
// messages the way the network does and change one field at a time.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { bech32 } from '@scure/base';
import { wireForm, type Signer } from '../protocol/canonical.ts';
import { signOrderMessage, signedMessageId } from '../protocol/orders.ts';
import { createOrder, fillQuote, signOrderAsServiceNode } from './order.ts';
import { ReplayGuard } from './replay.ts';
import type { KnownServiceNode, ValidationContext } from './validate.ts';
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
    maker: {
      peerId: MAKER_PEER,
      pubkey: MAKER.pubkey,
      addresses: { payout: MAKER.address, refund: testKey(11).address },
    },
    makerUtxos: [`${TXID_A}:0`],
    createdAt: NOW,
    expiresAt: NOW + 3_600_000,
    nonce: '0f'.repeat(16),
    ...over,
  };
}

export function makerOrder(over: Partial<OrderTerms> = {}, maker: TestKey = MAKER): MakerSignedOrder {
  // A coin backs one listed order: orders told apart by their nonce get a coin of their own.
  const coin = over.nonce !== undefined ? { makerUtxos: [`${over.nonce}${over.nonce}:0`] } : {};
  return createOrder(
    orderTerms({
      maker: {
        peerId: MAKER_PEER,
        pubkey: maker.pubkey,
        addresses: { payout: maker.address, refund: testKey(11).address },
      },
      ...coin,
      ...over,
    }),
    maker.signer,
  );
}

export function signedOrder(
  over: Partial<OrderTerms> = {},
  opts: { maker?: TestKey; serviceNode?: TestKey; signedAt?: number } = {},
): Order {
  return signOrderAsServiceNode(
    makerOrder(over, opts.maker),
    (opts.serviceNode ?? SERVICE_NODE).signer,
    opts.signedAt ?? (over.createdAt ?? NOW) + 100,
  );
}

// ---- wire messages as the network sends them ------------------------------------------------

export const MARKETS: ReadonlySet<string> = new Set(['DEVA/DEVB']);
export const KNOWN_SERVICE_NODES: ReadonlyMap<string, KnownServiceNode> = new Map([
  [SERVICE_NODE.pubkey, { coins: ['DEVA', 'DEVB', 'rLTC'] }],
]);
/** When the test messages arrive: one second after the order was made. */
export const ARRIVAL = NOW + 1000;

export function context(over: Partial<ValidationContext> = {}): ValidationContext {
  return { now: ARRIVAL, seen: new ReplayGuard(), knownServiceNodes: KNOWN_SERVICE_NODES, markets: MARKETS, ...over };
}

export function announceWire(order: Order): Record<string, unknown> {
  return wireForm({ type: 'order.announce', order }) as Record<string, unknown>;
}

export function keepaliveWire(
  orderIds: string[],
  over: { seq?: number; ts?: number } = {},
  maker: TestKey = MAKER,
): Record<string, unknown> {
  return signOrderMessage(
    { type: 'order.keepalive', maker: maker.pubkey, orderIds, seq: over.seq ?? 10, ts: over.ts ?? ARRIVAL },
    maker.signer,
  );
}

export function cancelWire(
  orderId: string,
  over: { seq?: number; ts?: number } = {},
  maker: TestKey = MAKER,
): Record<string, unknown> {
  return signOrderMessage(
    { type: 'order.cancel', orderId, maker: maker.pubkey, seq: over.seq ?? 11, ts: over.ts ?? ARRIVAL },
    maker.signer,
  );
}

export function acceptWire(
  order: Order,
  over: Partial<{
    baseAmount: bigint;
    quoteAmount: bigint;
    seq: number;
    ts: number;
    payout: string;
    refund: string;
    feeTxid: string;
  }> = {},
  taker: TestKey = TAKER,
): Record<string, unknown> {
  const baseAmount = over.baseAmount ?? order.baseAmount;
  return signOrderMessage(
    {
      type: 'order.accept',
      orderId: order.id,
      taker: {
        peerId: TAKER_PEER,
        pubkey: taker.pubkey,
        addresses: { payout: over.payout ?? taker.address, refund: over.refund ?? testKey(12).address },
      },
      baseAmount,
      quoteAmount: over.quoteAmount ?? fillQuote(order.price, baseAmount, order.side),
      feeTxid: over.feeTxid ?? TXID_B,
      seq: over.seq ?? 20,
      ts: over.ts ?? ARRIVAL,
    },
    taker.signer,
  );
}

export function ackWire(
  accept: Record<string, unknown>,
  over: { seq?: number; ts?: number; acceptId?: string } = {},
  maker: TestKey = MAKER,
): Record<string, unknown> {
  return signOrderMessage(
    {
      type: 'order.ack',
      acceptId: over.acceptId ?? signedMessageId(accept as { type: 'order.accept' }),
      orderId: accept.orderId,
      maker: maker.pubkey,
      seq: over.seq ?? 30,
      ts: over.ts ?? ARRIVAL,
    },
    maker.signer,
  );
}

export function holdWire(
  order: Order,
  over: Partial<{
    baseAmount: bigint;
    quoteAmount: bigint;
    remainingBase: bigint;
    seq: number;
    ts: number;
    acceptId: string;
  }> = {},
  serviceNode: TestKey = SERVICE_NODE,
): Record<string, unknown> {
  const baseAmount = over.baseAmount ?? order.baseAmount;
  return signOrderMessage(
    {
      type: 'order.hold',
      orderId: order.id,
      acceptId: over.acceptId ?? 'ac'.repeat(32),
      taker: TAKER.pubkey,
      baseAmount,
      quoteAmount: over.quoteAmount ?? fillQuote(order.price, baseAmount, order.side),
      remainingBase: over.remainingBase ?? order.baseAmount - baseAmount,
      serviceNode: serviceNode.pubkey,
      seq: over.seq ?? 40,
      ts: over.ts ?? ARRIVAL,
    },
    serviceNode.signer,
  );
}
