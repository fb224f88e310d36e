// The order model shared by the core, the API and the UI: one signed, immutable order per id,
// amounts as bigint base units, the price as an exact ratio derived from the amounts.
import type { Price } from '../money/price.ts';

/**
 * Order states, in lifecycle order, exactly as DESIGN.md §4 names them. The UI and the API
 * import this list; never copy it.
 */
export const ORDER_STATES = [
  'new',
  'open',
  'accepting',
  'hold',
  'initialized',
  'created',
  'committed',
  'finished',
  'canceled',
  'expired',
  'offline',
  'invalid',
  'rolledback',
  /** XBridge's "rollback failed": the swap ended lost (docs/swap.md §7), our coins did not come back. */
  'rollbackFailed',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export interface Market {
  readonly base: string;
  readonly quote: string;
}

/** The maker's side: 'sell' sells base for quote, 'buy' buys base with quote. */
export type Side = 'buy' | 'sell';

export interface PartialTerms {
  readonly allowed: boolean;
  /** Smallest base amount one fill may take; equals baseAmount when partial fills are not allowed. */
  readonly minBase: bigint;
}

export interface OrderMaker {
  /** libp2p peer id of the maker's node, where takers send their accept. */
  readonly peerId: string;
  /** 33-byte compressed secp256k1 key (hex) that signs this order, its keepalives and cancel. */
  readonly pubkey: string;
  /** payout: on the coin the maker receives; refund: on the coin the maker sells. */
  readonly addresses: { readonly payout: string; readonly refund: string };
}

export interface ServiceNodeSignature {
  readonly pubkey: string;
  /** When the service node checked the maker's coins (ms since epoch). */
  readonly signedAt: number;
  readonly sig: string;
}

/** Everything the maker signs. The order id is the digest of exactly these fields. */
export interface OrderTerms {
  readonly market: Market;
  readonly side: Side;
  readonly baseAmount: bigint;
  readonly quoteAmount: bigint;
  readonly partial: PartialTerms;
  readonly maker: OrderMaker;
  /** "txid:vout" outpoints on the coin the maker sells, backing the order. */
  readonly makerUtxos: readonly string[];
  readonly createdAt: number;
  readonly expiresAt: number;
  /** 32 hex chars from the maker, so two orders with equal terms have different ids. */
  readonly nonce: string;
}

/** An order as signed by its maker, before any service node has signed it (state 'new'). */
export interface MakerSignedOrder extends OrderTerms {
  readonly id: string;
  readonly price: Price;
  readonly makerSig: string;
}

/** A complete order: maker-signed and service-node-signed. Only these are ever shown. */
export interface Order extends MakerSignedOrder {
  readonly serviceNode: ServiceNodeSignature;
}

/** One fill of a taker's market order against one maker's order. */
export interface Fill {
  readonly orderId: string;
  readonly price: Price;
  readonly baseAmount: bigint;
  readonly quoteAmount: bigint;
}
