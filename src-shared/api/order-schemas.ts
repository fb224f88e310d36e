// API shapes of the order network (issue: order network): orders, books, trades, candles,
// service nodes. Amounts and prices are decimal strings; prices are quote per one whole base.
import { z } from 'zod';
import { ORDER_STATES } from '../orders/types.ts';
import { CANDLE_INTERVALS } from '../history/candles.ts';
import { Balance, DecimalAmount, Ticker } from './schemas.ts';

export const OrderIdParam = z.string().regex(/^[0-9a-f]{64}$/, 'not an order id (64 hex characters)');
export const OrderState = z.enum(ORDER_STATES);
export const OrderSide = z.enum(['buy', 'sell']);
export const OrderKind = z.enum(['limit', 'market', 'stop']);
export const MarketParam = z.object({ base: Ticker, quote: Ticker }).strict();

export const OrderView = z.object({
  id: z.string(),
  base: Ticker,
  quote: Ticker,
  /** The maker's side: 'sell' offers base for quote. */
  side: OrderSide,
  kind: OrderKind,
  state: OrderState,
  price: DecimalAmount,
  baseAmount: DecimalAmount,
  quoteAmount: DecimalAmount,
  filledBase: DecimalAmount,
  remainingBase: DecimalAmount,
  partial: z.object({ allowed: z.boolean(), minBase: DecimalAmount }),
  /** Whether this node made the order. */
  mine: z.boolean(),
  makerPeerId: z.string(),
  /** The verified identity the maker shows on its orders (docs/identity.md §9), if any. */
  makerIdentity: z.object({ did: z.string(), name: z.string().nullable() }).optional(),
  serviceNode: z.string().optional(),
  /** Stop orders: the last-trade price that fires them, and how they fire. */
  stop: z
    .object({
      triggerPrice: DecimalAmount,
      direction: z.enum(['above', 'below']),
      then: z.enum(['market', 'limit']),
      limitPrice: DecimalAmount.optional(),
    })
    .optional(),
  swapIds: z.array(z.string()),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  expiresAt: z.number().int().optional(),
  reason: z.string().optional(),
});
export type OrderView = z.infer<typeof OrderView>;

export const MakeOrderParams = z
  .object({
    base: Ticker,
    quote: Ticker,
    side: OrderSide,
    kind: OrderKind.default('limit'),
    /** Base amount. */
    amount: DecimalAmount,
    /** Limit price (limit orders, and stop orders that fire as limit). */
    price: DecimalAmount.optional(),
    /** Market orders: worst price accepted (a buy pays at most this, a sell gets at least this). */
    priceCap: DecimalAmount.optional(),
    /** Stop orders: fire when the last trade price crosses this. */
    triggerPrice: DecimalAmount.optional(),
    /** Partial fills allowed down to this base amount; absent = exact (all or nothing). */
    minAmount: DecimalAmount.optional(),
    /** Validate and preview only; nothing is posted or locked. */
    dryRun: z.boolean().optional(),
  })
  .strict();

export const FeePreview = z.object({
  takerFee: z.object({ ticker: Ticker, amount: DecimalAmount }).nullable(),
  networkFees: z.array(z.object({ ticker: Ticker, amount: DecimalAmount, what: z.string() })),
  /** Lock times of each side, in blocks and approximate minutes. */
  locks: z.array(
    z.object({
      ticker: Ticker,
      blocks: z.number().int(),
      approxMinutes: z.number().int(),
      who: z.enum(['maker', 'taker']),
    }),
  ),
  ifCounterpartyVanishes: z.string(),
});

export const OrderPreview = z.object({
  fills: z.array(
    z.object({ orderId: z.string(), baseAmount: DecimalAmount, quoteAmount: DecimalAmount, price: DecimalAmount }),
  ),
  baseAmount: DecimalAmount,
  quoteAmount: DecimalAmount,
  averagePrice: DecimalAmount.nullable(),
  /** Base amount left unfilled by a market order (not posted). */
  unfilled: DecimalAmount,
  fees: FeePreview,
});

export const MakeOrderResult = z.object({
  order: OrderView.nullable(),
  preview: OrderPreview,
  swapIds: z.array(z.string()),
});

export const BookLevel = z.object({
  price: DecimalAmount,
  amount: DecimalAmount,
  total: DecimalAmount,
  cumulative: DecimalAmount,
  count: z.number().int(),
  mine: z.boolean(),
});

export const OrderBookView = z.object({
  base: Ticker,
  quote: Ticker,
  detail: z.number().int(),
  asks: z.array(BookLevel),
  bids: z.array(BookLevel),
  orders: z.array(OrderView).optional(),
  updatedAt: z.number().int(),
});

export const TradeView = z.object({
  id: z.string(),
  base: Ticker,
  quote: Ticker,
  side: OrderSide,
  price: DecimalAmount,
  baseAmount: DecimalAmount,
  quoteAmount: DecimalAmount,
  time: z.number().int(),
  orderId: z.string(),
  swapId: z.string().optional(),
  mine: z.boolean(),
  txids: z.array(z.object({ ticker: Ticker, txid: z.string(), what: z.string() })),
  /** Checked against chain data where this node has the chain. */
  verified: z.enum(['yes', 'no-chain', 'failed', 'pending']),
});

export const CandleInterval = z.enum(CANDLE_INTERVALS);
export const CandleView = z.object({
  time: z.number().int(),
  open: DecimalAmount,
  high: DecimalAmount,
  low: DecimalAmount,
  close: DecimalAmount,
  volumeBase: DecimalAmount,
  volumeQuote: DecimalAmount,
  trades: z.number().int(),
});
export const MarketStats = z.object({
  last: DecimalAmount.nullable(),
  change24h: z.string().nullable(),
  high24h: DecimalAmount.nullable(),
  low24h: DecimalAmount.nullable(),
  volumeBase24h: DecimalAmount,
  volumeQuote24h: DecimalAmount,
});

export const ServiceNodeView = z.object({
  peerId: z.string(),
  pubkey: z.string(),
  coins: z.array(Ticker),
  collateral: z.object({ ticker: Ticker, txid: z.string(), vout: z.number().int(), amount: DecimalAmount }),
  /** yes: checked unspent on our chain; no-chain: we lack that chain; failed: not unspent or not theirs. */
  verified: z.enum(['yes', 'no-chain', 'failed']),
  fee: z.object({ ticker: Ticker, amount: DecimalAmount }).nullable(),
  lastSeen: z.number().int(),
});

export const MarketView = z.object({
  base: Ticker,
  quote: Ticker,
  bothWalletsConnected: z.boolean(),
  orders: z.number().int(),
  last: DecimalAmount.nullable(),
});

export { Balance };
