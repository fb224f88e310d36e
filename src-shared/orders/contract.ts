// Contract slice of the orders domain. The order network (src-main/orders; docs/protocol.md). Named after the dx API that market-making bots know.
import { z } from 'zod';
import { method } from '../api/method.ts';
import { DecimalAmount, Empty, Ticker } from '../api/schemas.ts';
import {
  CoinsView,
  MakeOrderParams,
  MakeOrderResult,
  MarketView,
  OrderBookView,
  OrderIdParam,
  OrderView,
  SplitCoinsParams,
  SplitCoinsView,
} from '../api/order-schemas.ts';

export const methods = {
  'orders.make': method(
    MakeOrderParams,
    MakeOrderResult,
    "Place an order. limit: posted to the network (needs a service node's signature). market: takes the best orders up to `amount` within `priceCap` now. stop: held locally until the last trade price crosses `triggerPrice`, then fires as market (`priceCap`) or limit (`price`). `minAmount` allows partial fills. `dryRun` previews price, fills and fees.",
    { scope: 'trade' },
  ),
  'orders.take': method(
    z.object({ orderId: OrderIdParam, amount: DecimalAmount.optional(), dryRun: z.boolean().optional() }).strict(),
    MakeOrderResult,
    'Take one order from the book (all of it, or `amount` of base if it allows partial fills).',
    { scope: 'trade' },
  ),
  'orders.cancel': method(
    z.object({ orderId: OrderIdParam }).strict(),
    OrderView,
    "Cancel one of this node's orders; the cancel propagates to every book.",
    { scope: 'trade' },
  ),
  'orders.get': method(
    z.object({ orderId: OrderIdParam }).strict(),
    OrderView,
    "One order, from the network book or this node's own.",
  ),
  'orders.list': method(
    z.object({ base: Ticker.optional(), quote: Ticker.optional() }).strict(),
    z.array(OrderView),
    'Every open order this node sees on the network.',
  ),
  'orders.mine': method(
    z.object({ includeClosed: z.boolean().optional() }).strict(),
    z.array(OrderView),
    "This node's orders (open ones, or all with includeClosed).",
  ),
  'orders.book': method(
    z
      .object({
        base: Ticker,
        quote: Ticker,
        detail: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
        depth: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    OrderBookView,
    'The book of one market. detail 1: best bid and ask; 2: aggregated price levels (default); 3: every order.',
  ),
  'orders.markets': method(
    Empty,
    z.array(MarketView),
    'Markets of the coins this network trades, those with both wallets connected first.',
  ),
  'orders.coins': method(
    z.object({ ticker: Ticker }).strict(),
    CoinsView,
    "Every coin of the wallet, free or locked, and what locks each: the open order it backs, the swap about to fund from it, or a lock outside this node's orders (docs/orders.md §10).",
    { scope: 'read' },
  ),
  'orders.splitCoins': method(
    SplitCoinsParams,
    SplitCoinsView,
    "Split free confirmed coins into `count` coins of `amount` (plus change) paid to the wallet's own fresh addresses, so each can back one order. `dryRun` previews inputs, outputs and the network fee; sending needs `maxFee`, the fee the preview showed.",
    { scope: 'trade' },
  ),
} as const;

export const events = {
  'orders.updated': OrderView,
  'orders.bookChanged': z.object({ base: Ticker, quote: Ticker }),
} as const;

/** The dx-style names (Blocknet XBridge's) this slice keeps as documented aliases of its methods. */
export const aliases = {
  makeOrder: 'orders.make',
  takeOrder: 'orders.take',
  cancelOrder: 'orders.cancel',
  getOrder: 'orders.get',
  getOrders: 'orders.list',
  getMyOrders: 'orders.mine',
  getOrderBook: 'orders.book',
  getMarkets: 'orders.markets',
} as const satisfies Record<string, keyof typeof methods>;
