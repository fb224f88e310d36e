// Wire form of the order-network messages (docs/protocol.md): zod schemas, size caps, topic and
// protocol names, and a decoder that never throws. Amounts are base-unit integer strings that
// decode to bigint; hex is lowercase. Decoding checks shape and size; orders/validate.ts checks meaning.
import { CodedError } from '../errors.ts';
import { z } from 'zod';
import { TICKER_PATTERN } from '../coins/registry.ts';
import { digestHex, findDuplicateKey, signBody, wireForm, type Signer } from './canonical.ts';

export const ORDER_MESSAGE_TYPES = [
  'order.announce',
  'order.keepalive',
  'order.cancel',
  'book.snapshot.request',
  'book.snapshot',
  'order.sign.request',
  'order.sign.response',
  'order.accept',
  'order.ack',
  'order.take',
  'order.hold',
  'sn.register',
  'sn.announce',
  'sn.list.request',
  'sn.list',
  'trade.record',
] as const;
export type OrderMessageType = (typeof ORDER_MESSAGE_TYPES)[number];

/** Largest encoded size (UTF-8 JSON bytes) accepted per message type. */
export const ORDER_MESSAGE_CAPS: Readonly<Record<OrderMessageType, number>> = {
  'order.announce': 6 * 1024,
  'order.keepalive': 8 * 1024,
  'order.cancel': 1024,
  'book.snapshot.request': 512,
  'book.snapshot': 900 * 1024,
  // The ownership proof (a signed transaction spending the order's outpoints) makes it larger than an announce.
  'order.sign.request': 24 * 1024,
  'order.sign.response': 1024,
  'order.accept': 2 * 1024,
  'order.ack': 1024,
  // The signed taker-fee transaction rides in the take (the service node broadcasts it with the hold).
  'order.take': 12 * 1024,
  'order.hold': 1536,
  'sn.register': 2 * 1024,
  'sn.announce': 2 * 1024,
  'sn.list.request': 256,
  'sn.list': 900 * 1024,
  'trade.record': 2 * 1024,
};
export const MAX_ORDER_MESSAGE_BYTES = Math.max(...Object.values(ORDER_MESSAGE_CAPS));
/** Entries per snapshot page and service nodes per list. */
export const MAX_SNAPSHOT_ENTRIES = 100;
export const MAX_SERVICE_NODES_PER_LIST = 200;
export const MAX_KEEPALIVE_ORDERS = 100;
export const MAX_SERVICE_NODE_COINS = 64;

/** Gossip topic of one market's book: announces, keepalives, cancels, holds. */
export function marketTopic(base: string, quote: string): string {
  return `/hashlock/orders/${base}-${quote}/1`;
}
export const SERVICE_NODE_TOPIC = '/hashlock/servicenodes/1';
export const TRADE_TOPIC = '/hashlock/trades/1';
/** Request/response protocols (one request, one response; src-shared/protocol/reqres.ts framing). */
export const ORDER_PROTOCOLS = {
  snapshot: '/hashlock/orders/snapshot/1',
  sign: '/hashlock/orders/sign/1',
  accept: '/hashlock/orders/accept/1',
  take: '/hashlock/orders/take/1',
  serviceNodes: '/hashlock/servicenodes/list/1',
} as const;

// ---- building blocks -------------------------------------------------------------------------

export const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'not 32 bytes of lowercase hex');
export const Sig = z.string().regex(/^[0-9a-f]{128}$/, 'not a 64-byte compact signature in lowercase hex');
export const Pubkey = z.string().regex(/^0[23][0-9a-f]{64}$/, 'not a compressed secp256k1 public key');
export const Ticker = z.string().regex(TICKER_PATTERN, 'not a ticker');
export const PeerId = z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{32,128}$/, 'not a base58 peer id');
export const Address = z.string().regex(/^[A-Za-z0-9]{14,100}$/, 'not an address');
export const Outpoint = z.string().regex(/^[0-9a-f]{64}:(0|[1-9][0-9]{0,5})$/, 'not a txid:vout outpoint');
export const Nonce = z.string().regex(/^[0-9a-f]{32}$/, 'not 16 bytes of lowercase hex');
/** Milliseconds since the epoch. */
export const Time = z.number().int().min(0);
/** Per-sender sequence number; strictly increasing across that sender's messages. */
export const Seq = z.number().int().min(1);
export const BaseUnits = z
  .string()
  .regex(/^[1-9][0-9]{0,18}$/, 'not a positive whole number of base units')
  .transform(BigInt);
export const BaseUnitsOrZero = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,18})$/, 'not a whole number of base units')
  .transform(BigInt);
const RatioPart = z
  .string()
  .regex(/^[1-9][0-9]{0,37}$/, 'not a positive integer')
  .transform(BigInt);
export const PriceRatio = z.object({ num: RatioPart, den: RatioPart }).strict();
/** Bitcoin signed-message signature: 65 bytes, base64. */
export const MessageSig = z.string().regex(/^[A-Za-z0-9+/]{86}[AEIMQUYcgkosw048]=$/, 'not a 65-byte base64 signature');
export const MarketSchema = z.object({ base: Ticker, quote: Ticker }).strict();
/** A serialized transaction, lowercase hex. */
export const RawTxHex = z.string().regex(/^(?:[0-9a-f]{2}){10,20000}$/, 'not a raw transaction in lowercase hex');
const Addresses = z.object({ payout: Address, refund: Address }).strict();
const ServiceNodeSig = z.object({ pubkey: Pubkey, signedAt: Time, sig: Sig }).strict();

// ---- orders ----------------------------------------------------------------------------------

const makerOrderFields = {
  id: Hash,
  market: MarketSchema,
  side: z.enum(['buy', 'sell']),
  baseAmount: BaseUnits,
  quoteAmount: BaseUnits,
  price: PriceRatio,
  partial: z.object({ allowed: z.boolean(), minBase: BaseUnits }).strict(),
  maker: z.object({ peerId: PeerId, pubkey: Pubkey, addresses: Addresses }).strict(),
  makerUtxos: z.array(Outpoint).min(1).max(50),
  createdAt: Time,
  expiresAt: Time,
  nonce: Nonce,
  makerSig: Sig,
};
export const MakerSignedOrderSchema = z.object(makerOrderFields).strict();
export const OrderSchema = z.object({ ...makerOrderFields, serviceNode: ServiceNodeSig }).strict();

export const HoldSchema = z
  .object({
    type: z.literal('order.hold'),
    orderId: Hash,
    acceptId: Hash,
    taker: Pubkey,
    baseAmount: BaseUnits,
    quoteAmount: BaseUnits,
    remainingBase: BaseUnitsOrZero,
    serviceNode: Pubkey,
    seq: Seq,
    ts: Time,
    sig: Sig,
  })
  .strict();

export const AcceptSchema = z
  .object({
    type: z.literal('order.accept'),
    orderId: Hash,
    taker: z.object({ peerId: PeerId, pubkey: Pubkey, addresses: Addresses }).strict(),
    baseAmount: BaseUnits,
    quoteAmount: BaseUnits,
    feeTxid: Hash,
    seq: Seq,
    ts: Time,
    sig: Sig,
  })
  .strict();

export const AckSchema = z
  .object({ type: z.literal('order.ack'), acceptId: Hash, orderId: Hash, maker: Pubkey, seq: Seq, ts: Time, sig: Sig })
  .strict();

export const ServiceNodeRegistrationSchema = z
  .object({
    type: z.literal('sn.register'),
    pubkey: Pubkey,
    peerId: PeerId,
    collateral: z.object({ ticker: Ticker, outpoint: Outpoint, address: Address }).strict(),
    coins: z.array(Ticker).min(1).max(MAX_SERVICE_NODE_COINS),
    seq: Seq,
    ts: Time,
    collateralSig: MessageSig,
    sig: Sig,
  })
  .strict();

export const ServiceNodeAnnounceSchema = z
  .object({
    type: z.literal('sn.announce'),
    pubkey: Pubkey,
    peerId: PeerId,
    coins: z.array(Ticker).min(1).max(MAX_SERVICE_NODE_COINS),
    fee: z.object({ ticker: Ticker, address: Address, amount: BaseUnits }).strict(),
    seq: Seq,
    ts: Time,
    sig: Sig,
  })
  .strict();

export const TradeRecordSchema = z
  .object({
    type: z.literal('trade.record'),
    tradeId: Hash,
    orderId: Hash,
    market: MarketSchema,
    makerSide: z.enum(['buy', 'sell']),
    baseAmount: BaseUnits,
    quoteAmount: BaseUnits,
    price: PriceRatio,
    maker: Pubkey,
    taker: Pubkey,
    serviceNode: Pubkey,
    txids: z.object({ makerLock: Hash, takerLock: Hash, makerClaim: Hash, takerClaim: Hash }).strict(),
    feeTxid: Hash,
    finishedAt: Time,
    makerSig: Sig,
    takerSig: Sig,
  })
  .strict();

export const ORDER_MESSAGE_SCHEMAS = {
  'order.announce': z.object({ type: z.literal('order.announce'), order: OrderSchema }).strict(),
  'order.keepalive': z
    .object({
      type: z.literal('order.keepalive'),
      maker: Pubkey,
      orderIds: z.array(Hash).min(1).max(MAX_KEEPALIVE_ORDERS),
      seq: Seq,
      ts: Time,
      sig: Sig,
    })
    .strict(),
  'order.cancel': z
    .object({ type: z.literal('order.cancel'), orderId: Hash, maker: Pubkey, seq: Seq, ts: Time, sig: Sig })
    .strict(),
  'book.snapshot.request': z
    .object({
      type: z.literal('book.snapshot.request'),
      market: MarketSchema,
      after: Hash.nullable(),
      limit: z.number().int().min(1).max(MAX_SNAPSHOT_ENTRIES),
    })
    .strict(),
  'book.snapshot': z
    .object({
      type: z.literal('book.snapshot'),
      market: MarketSchema,
      // Entries stay raw here: each is validated on its own, so one bad order does not void the page.
      entries: z
        .array(z.object({ order: z.unknown(), hold: z.unknown().nullable() }).strict())
        .max(MAX_SNAPSHOT_ENTRIES),
      next: Hash.nullable(),
    })
    .strict(),
  // `ownership`: a transaction, signed by the maker's wallet and never broadcast, that spends exactly
  // the order's outpoints back to the maker and carries the order id in an OP_RETURN: the service
  // node's daemon accepting it (testmempoolaccept) proves the coins exist, are unspent and are the maker's.
  'order.sign.request': z
    .object({
      type: z.literal('order.sign.request'),
      order: MakerSignedOrderSchema,
      ownership: z.object({ tx: RawTxHex }).strict(),
    })
    .strict(),
  'order.sign.response': z
    .object({ type: z.literal('order.sign.response'), orderId: Hash, serviceNode: ServiceNodeSig })
    .strict(),
  'order.accept': AcceptSchema,
  'order.ack': AckSchema,
  'order.take': z
    .object({ type: z.literal('order.take'), accept: z.unknown(), ack: z.unknown(), feeTx: RawTxHex.optional() })
    .strict(),
  'order.hold': HoldSchema,
  'sn.register': ServiceNodeRegistrationSchema,
  'sn.announce': ServiceNodeAnnounceSchema,
  'sn.list.request': z.object({ type: z.literal('sn.list.request') }).strict(),
  'sn.list': z
    .object({
      type: z.literal('sn.list'),
      nodes: z
        .array(z.object({ registration: z.unknown(), announce: z.unknown().nullable() }).strict())
        .max(MAX_SERVICE_NODES_PER_LIST),
    })
    .strict(),
  'trade.record': TradeRecordSchema,
} as const satisfies Record<OrderMessageType, z.ZodType>;

export type OrderMessage<K extends OrderMessageType> = z.output<(typeof ORDER_MESSAGE_SCHEMAS)[K]>;
export type WireOrderMessage<K extends OrderMessageType> = z.input<(typeof ORDER_MESSAGE_SCHEMAS)[K]>;
export type HoldMessage = OrderMessage<'order.hold'>;
export type AcceptMessage = OrderMessage<'order.accept'>;
export type AckMessage = OrderMessage<'order.ack'>;
export type ServiceNodeRegistration = OrderMessage<'sn.register'>;
export type ServiceNodeAnnounce = OrderMessage<'sn.announce'>;
export type TradeRecordMessage = OrderMessage<'trade.record'>;

// ---- decoding --------------------------------------------------------------------------------

export type DecodeRefusal = { ok: false; reason: 'oversize' | 'malformed'; message: string };
/** `raw` is the JSON as received (strings, no bigints): signatures are checked over it. */
export type Decoded<T> = { ok: true; msg: T; raw: Record<string, unknown>; bytes: number } | DecodeRefusal;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8 = new TextEncoder();

/** Byte size of a value's JSON encoding, or null when it has none (bigint, cycles). */
export function jsonByteLength(value: unknown): number | null {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? null : utf8.encode(text).length;
  } catch {
    return null;
  }
}

function refuse(reason: DecodeRefusal['reason'], message: string): DecodeRefusal {
  return { ok: false, reason, message };
}

/**
 * Decodes one message of `type` from bytes (size checked before anything is parsed) or from an
 * already-parsed JSON value (e.g. a snapshot entry). Refuses duplicate keys, wrong types, unknown
 * fields and anything over the type's cap. Never throws.
 */
export function decodeOrderMessage<K extends OrderMessageType>(
  input: unknown,
  type: K,
  cap = ORDER_MESSAGE_CAPS[type],
): Decoded<OrderMessage<K>> {
  let raw: unknown;
  let bytes: number;
  if (input instanceof Uint8Array) {
    if (input.length > cap) return refuse('oversize', `${type} is ${input.length} bytes, over the ${cap}-byte cap`);
    let text: string;
    try {
      text = utf8Decoder.decode(input);
    } catch {
      return refuse('malformed', `${type} is not UTF-8`);
    }
    try {
      raw = JSON.parse(text);
    } catch {
      return refuse('malformed', `${type} is not JSON`);
    }
    const dup = findDuplicateKey(text);
    if (dup !== null) return refuse('malformed', `${type} has the key "${dup}" twice`);
    bytes = input.length;
  } else {
    const size = jsonByteLength(input);
    if (size === null) return refuse('malformed', `${type} has no JSON form`);
    if (size > cap) return refuse('oversize', `${type} is ${size} bytes, over the ${cap}-byte cap`);
    raw = input;
    bytes = size;
  }
  const parsed = ORDER_MESSAGE_SCHEMAS[type].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(
      'malformed',
      `invalid ${type}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown problem'}`,
    );
  }
  return { ok: true, msg: parsed.data as OrderMessage<K>, raw: raw as Record<string, unknown>, bytes };
}

/** The `type` field of a JSON message, so a receiver can pick the decoder; null when there is none we know. */
export function messageTypeOf(raw: unknown): OrderMessageType | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const t = (raw as { type?: unknown }).type;
  return typeof t === 'string' && (ORDER_MESSAGE_TYPES as readonly string[]).includes(t)
    ? (t as OrderMessageType)
    : null;
}

/** UTF-8 JSON bytes of a message held with bigints; refuses to produce anything over its cap. */
export function encodeOrderMessage(msg: { type: OrderMessageType }): Uint8Array {
  const bytes = utf8.encode(JSON.stringify(wireForm(msg)));
  const cap = ORDER_MESSAGE_CAPS[msg.type];
  if (bytes.length > cap)
    throw new CodedError(
      'ORDER_MESSAGE_TOO_LARGE',
      `${msg.type} would be ${bytes.length} bytes, over the ${cap}-byte cap`,
    );
  return bytes;
}

/** The fields a signature covers: the message without its signature fields. */
export function unsigned(raw: Record<string, unknown>, ...sigFields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!sigFields.includes(k)) out[k] = v;
  return out;
}

/**
 * Signs a message whose signature field is `sig` (keepalive, cancel, accept, ack, hold, announce):
 * the signature covers every other field, under the message's own type as domain tag.
 */
export function signOrderMessage<K extends OrderMessageType>(
  body: { type: K } & Record<string, unknown>,
  signer: Signer,
): WireOrderMessage<K> {
  const wire = wireForm(body) as Record<string, unknown>;
  return { ...wire, sig: signBody(body.type, wire, signer) } as WireOrderMessage<K>;
}

/** The id of a signed message (accept id, hold id): the digest its `sig` signs. */
export function signedMessageId(message: { type: OrderMessageType } & Record<string, unknown>): string {
  return digestHex(message.type, unsigned(wireForm(message) as Record<string, unknown>, 'sig'));
}
