// Contract slice of the history domain. Trade history: signed trade records and candles (src-main/history).
import { z } from 'zod';
import { method } from '../api/method.ts';
import { Ticker } from '../api/schemas.ts';
import { CandleInterval, CandleView, MarketStats, TradeView } from '../api/order-schemas.ts';

export const methods = {
  'history.fills': method(
    z
      .object({
        base: Ticker.optional(),
        quote: Ticker.optional(),
        mine: z.boolean().optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    z.array(TradeView),
    'Finished trades (signed trade records), newest first.',
  ),
  'history.candles': method(
    z
      .object({
        base: Ticker,
        quote: Ticker,
        interval: CandleInterval,
        from: z.number().int().optional(),
        to: z.number().int().optional(),
      })
      .strict(),
    z.object({ candles: z.array(CandleView), stats: MarketStats }),
    'OHLCV candles of a market from the trade history, and 24 h stats.',
  ),
} as const;

export const events = {
  'history.trade': TradeView,
} as const;

/** The dx-style names (Blocknet XBridge's) this slice keeps as documented aliases of its methods. */
export const aliases = {
  getOrderFills: 'history.fills',
  getOrderHistory: 'history.candles',
} as const satisfies Record<string, keyof typeof methods>;
