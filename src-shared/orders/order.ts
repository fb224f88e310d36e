// Building, signing and checking orders, and the fill rules every book and taker applies.
// An order's id is the digest of the maker-signed terms, so the id commits to every field the
// maker signed and the maker's signature is a signature of the id.
import { findCoin } from '../coins/registry.ts';
import { comparePrice, priceOf, priceToJson, quoteFor, type Price } from '../money/price.ts';
import {
  digestHex,
  secp256k1Verifier,
  signBody,
  signingPayload,
  verifyBody,
  verifyPayloadHex,
  type Signer,
  type Verifier,
} from '../protocol/canonical.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { CodedError } from '../errors.ts';
import { decodeAddress, type AddressParams } from './address.ts';
import { fillMinimumProblem, smallestQuote } from './minimum.ts';
import type { Market, MakerSignedOrder, Order, OrderTerms, PartialTerms, Side } from './types.ts';

/** Terms that break a rule: code ORDER_TERMS, the rule in details.reason. */
export type OrderTermsError = CodedError<'ORDER_TERMS', { reason: OrderTermsProblem }>;
const orderTermsError = (reason: OrderTermsProblem, message: string): OrderTermsError =>
  new CodedError('ORDER_TERMS', message, { reason });

/** Longest an order may stay listed; makers repost to stay longer. */
export const MAX_ORDER_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** Most outpoints one order may name. */
export const MAX_MAKER_UTXOS = 50;

export const ORDER_SIG_TYPE = 'order';
export const ORDER_SN_SIG_TYPE = 'order.sn';

/** What the order rules need to know about a coin. */
export interface CoinFacts extends AddressParams {
  readonly decimals: number;
  /** Smallest HTLC (P2WSH) output the coin's daemons relay. */
  readonly dustP2wsh: bigint;
  /** With the fee floors, what the least swap leg is made of (minimum.ts). */
  readonly dustP2wpkh: bigint;
  readonly minRelayFeeSatPerVb: bigint;
  readonly walletMinFeeSatPerVb: bigint;
}
export type CoinLookup = (ticker: string) => CoinFacts | undefined;
export const registryCoins: CoinLookup = (ticker) => findCoin(ticker);

export function marketKey(m: Market): string {
  return `${m.base}/${m.quote}`;
}

/** The coin the maker gives away (and whose outpoints back the order). */
export function makerSellsTicker(o: Pick<OrderTerms, 'market' | 'side'>): string {
  return o.side === 'sell' ? o.market.base : o.market.quote;
}
export function makerReceivesTicker(o: Pick<OrderTerms, 'market' | 'side'>): string {
  return o.side === 'sell' ? o.market.quote : o.market.base;
}

/** The maker-signed fields in wire form (amounts as base-unit strings, price as a {num, den} of strings). */
export function orderTermsBody(t: OrderTerms): Record<string, unknown> {
  return {
    market: { base: t.market.base, quote: t.market.quote },
    side: t.side,
    baseAmount: t.baseAmount.toString(),
    quoteAmount: t.quoteAmount.toString(),
    price: priceToJson(priceOf(t.baseAmount, t.quoteAmount)),
    partial: { allowed: t.partial.allowed, minBase: t.partial.minBase.toString() },
    maker: {
      peerId: t.maker.peerId,
      pubkey: t.maker.pubkey,
      addresses: { payout: t.maker.addresses.payout, refund: t.maker.addresses.refund },
    },
    makerUtxos: [...t.makerUtxos],
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    nonce: t.nonce,
  };
}

export function computeOrderId(t: OrderTerms): string {
  return digestHex(ORDER_SIG_TYPE, orderTermsBody(t));
}

export type OrderTermsProblem = 'malformed' | 'dust' | 'price-inconsistent' | 'unknown-market' | 'expired';

/**
 * Meaning checks on an order's terms (the wire schema has checked their shape). Returns the
 * first problem or null. `coins` decides which tickers exist and their dust limits.
 */
export function checkOrderTerms(
  t: OrderTerms,
  coins: CoinLookup = registryCoins,
): { reason: OrderTermsProblem; message: string } | null {
  const base = coins(t.market.base);
  const quote = coins(t.market.quote);
  if (!base || !quote || t.market.base === t.market.quote)
    return { reason: 'unknown-market', message: `no market ${marketKey(t.market)}` };
  if (t.baseAmount <= 0n || t.quoteAmount <= 0n)
    return { reason: 'price-inconsistent', message: 'amounts must be positive' };
  const { allowed, minBase } = t.partial;
  if (minBase <= 0n || minBase > t.baseAmount)
    return { reason: 'price-inconsistent', message: 'partial minimum must be between 1 and the base amount' };
  if (!allowed && minBase !== t.baseAmount)
    return { reason: 'price-inconsistent', message: 'an exact order has its whole base amount as minimum' };
  if (t.expiresAt <= t.createdAt) return { reason: 'expired', message: 'order expires before it was created' };
  if (t.expiresAt - t.createdAt > MAX_ORDER_LIFETIME_MS)
    return { reason: 'malformed', message: 'order lifetime is longer than 24 hours' };
  if (t.makerUtxos.length === 0 || t.makerUtxos.length > MAX_MAKER_UTXOS)
    return { reason: 'malformed', message: `an order names 1 to ${MAX_MAKER_UTXOS} outpoints` };
  if (new Set(t.makerUtxos).size !== t.makerUtxos.length)
    return { reason: 'malformed', message: 'an outpoint is named twice' };
  const [sells, receives] = t.side === 'sell' ? [base, quote] : [quote, base];
  if (!decodeAddress(t.maker.addresses.refund, sells))
    return { reason: 'malformed', message: `the refund address is not a ${makerSellsTicker(t)} address` };
  if (!decodeAddress(t.maker.addresses.payout, receives))
    return { reason: 'malformed', message: `the payout address is not a ${makerReceivesTicker(t)} address` };
  // Every fill is at least minBase (or the whole remainder, itself never below minBase), so
  // checking the smallest fill keeps every HTLC of this order at the swap minimum on both chains.
  const p = priceOf(t.baseAmount, t.quoteAmount);
  return fillMinimumProblem(t.market, { base, quote }, minBase, smallestQuote(p, minBase));
}

/** Builds and maker-signs an order. Throws ORDER_TERMS when the terms break a rule. */
export function createOrder(t: OrderTerms, signer: Signer, coins: CoinLookup = registryCoins): MakerSignedOrder {
  if (signer.publicKey !== t.maker.pubkey)
    throw orderTermsError('malformed', 'the signing key is not the maker key named in the order');
  const problem = checkOrderTerms(t, coins);
  if (problem) throw orderTermsError(problem.reason, problem.message);
  const id = computeOrderId(t);
  return {
    ...t,
    id,
    price: priceOf(t.baseAmount, t.quoteAmount),
    makerSig: signBody(ORDER_SIG_TYPE, orderTermsBody(t), signer),
  };
}

export function serviceNodeBody(orderId: string, pubkey: string, signedAt: number): Record<string, unknown> {
  return { orderId, pubkey, signedAt };
}

/** The service node's countersignature, given after it checked the maker's outpoints. */
export function signOrderAsServiceNode(o: MakerSignedOrder, signer: Signer, signedAt: number): Order {
  const sig = signBody(ORDER_SN_SIG_TYPE, serviceNodeBody(o.id, signer.publicKey, signedAt), signer);
  return { ...o, serviceNode: { pubkey: signer.publicKey, signedAt, sig } };
}

/**
 * What is wrong with an order's id and maker signature, or null: 'id' when the id is not the
 * digest of its terms, 'sig' when the maker signature does not verify. The terms are encoded once
 * for both (that encoding is most of the cost besides the signature).
 */
export function makerSigProblem(o: MakerSignedOrder, verifier: Verifier = secp256k1Verifier): 'id' | 'sig' | null {
  const payload = signingPayload(ORDER_SIG_TYPE, orderTermsBody(o));
  if (bytesToHex(sha256(payload)) !== o.id) return 'id';
  return verifyPayloadHex(payload, o.makerSig, o.maker.pubkey, verifier) ? null : 'sig';
}

export function verifyMakerSig(o: MakerSignedOrder, verifier: Verifier = secp256k1Verifier): boolean {
  return makerSigProblem(o, verifier) === null;
}

export function verifyServiceNodeSig(o: Order, verifier: Verifier = secp256k1Verifier): boolean {
  const sn = o.serviceNode;
  return verifyBody(ORDER_SN_SIG_TYPE, serviceNodeBody(o.id, sn.pubkey, sn.signedAt), sn.sig, sn.pubkey, verifier);
}

/**
 * Whether a taker may take `fill` base units from an order with `remaining` left: the whole
 * remainder, or (partial orders) at least minBase while leaving at least minBase behind, so a
 * remainder is always itself fillable and above dust.
 */
export function isValidFill(partial: PartialTerms, remaining: bigint, fill: bigint): boolean {
  if (fill <= 0n || fill > remaining) return false;
  if (fill === remaining) return true;
  return partial.allowed && fill >= partial.minBase && remaining - fill >= partial.minBase;
}

/** The largest valid fill not above `want`, or 0n when there is none. */
export function largestFillUpTo(partial: PartialTerms, remaining: bigint, want: bigint): bigint {
  if (want <= 0n || remaining <= 0n) return 0n;
  if (want >= remaining) return remaining;
  if (!partial.allowed) return 0n;
  const f = want < remaining - partial.minBase ? want : remaining - partial.minBase;
  return f >= partial.minBase ? f : 0n;
}

/**
 * Quote units for a fill, rounded in the maker's favour: a selling maker receives the quote
 * (round up), a buying maker pays it (round down). The whole order always gives quoteAmount.
 */
export function fillQuote(p: Price, baseAmount: bigint, makerSide: Side): bigint {
  return quoteFor(p, baseAmount, makerSide === 'sell' ? 'up' : 'down');
}

/** Whether a taker's limit `cap` admits this maker price (taker buys: price ≤ cap; sells: price ≥ cap). */
export function withinCap(p: Price, makerSide: Side, cap: Price): boolean {
  const c = comparePrice(p, cap);
  return makerSide === 'sell' ? c <= 0 : c >= 0;
}

/** A fresh order nonce from 16 bytes the caller got from a CSPRNG (the core owns randomness). */
export function nonceFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw orderTermsError('malformed', 'an order nonce is 16 random bytes');
  return bytesToHex(bytes);
}
