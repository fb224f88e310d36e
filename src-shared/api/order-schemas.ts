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
  /**
   * The backing coins as this node's daemon sees them (docs/orders.md §10): confirmed, unconfirmed
   * (one is still in the mempool: the taker's risk), missing (spent or unknown), or unknown.
   */
  backing: z.enum(['confirmed', 'unconfirmed', 'missing', 'unknown']).optional(),
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
    /**
     * Limit orders: when no free coin holds exactly what the order offers, split one off first
     * (a wallet transaction paying a network fee; the order is then backed by an unconfirmed coin).
     */
    prepareCoins: z.boolean().optional(),
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
    z.object({
      orderId: z.string(),
      baseAmount: DecimalAmount,
      quoteAmount: DecimalAmount,
      price: DecimalAmount,
      /** The taken order's backing coins as this node sees them; anything but confirmed is a risk. */
      backing: z.enum(['confirmed', 'unconfirmed', 'missing', 'unknown']).optional(),
    }),
  ),
  baseAmount: DecimalAmount,
  quoteAmount: DecimalAmount,
  averagePrice: DecimalAmount.nullable(),
  /** Base amount left unfilled by a market order (not posted). */
  unfilled: DecimalAmount,
  fees: FeePreview,
  /** prepareCoins: the split made first (null: a coin of the exact size is already free). */
  coinSplit: z.object({ ticker: Ticker, amount: DecimalAmount, fee: DecimalAmount }).nullable().optional(),
});

export const MakeOrderResult = z.object({
  order: OrderView.nullable(),
  preview: OrderPreview,
  swapIds: z.array(z.string()),
});

/** One coin of a wallet and what locks it (docs/orders.md §10). */
export const CoinView = z.object({
  outpoint: z.string(),
  amount: DecimalAmount,
  confirmations: z.number().int(),
  state: z.enum(['free', 'locked']),
  lockedBy: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('order'), orderId: z.string() }),
      z.object({ kind: z.literal('swap'), swapId: z.string(), orderId: z.string() }),
      z.object({ kind: z.literal('outside') }),
    ])
    .nullable(),
});

export const CoinsView = z.object({
  ticker: Ticker,
  free: DecimalAmount,
  locked: DecimalAmount,
  coins: z.array(CoinView),
});

export const SplitCoinsParams = z
  .object({
    ticker: Ticker,
    /** Each new coin's amount. */
    amount: DecimalAmount,
    count: z.number().int().min(1).max(50),
    /** Preview only: nothing is signed, sent or locked. */
    dryRun: z.boolean().optional(),
    /** Required to send: the network fee the preview showed; a higher fee is refused. */
    maxFee: DecimalAmount.optional(),
  })
  .strict();

export const SplitCoinsView = z.object({
  ticker: Ticker,
  inputs: z.array(z.object({ outpoint: z.string(), amount: DecimalAmount })),
  outputs: z.array(DecimalAmount),
  /** '0' when there is no change output. */
  change: DecimalAmount,
  /** Change too small to keep, given to the fee. */
  changeToFee: DecimalAmount,
  fee: DecimalAmount,
  feeRate: z.string(),
  vsize: z.number().int(),
  /** Null on a dry run. */
  txid: z.string().nullable(),
  /** The new coins once sent. */
  outpoints: z.array(z.string()),
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
