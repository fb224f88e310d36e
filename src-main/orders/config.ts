// The orders section of config.json: order-network timings and the trader's choices.
import { z } from 'zod';
import type { NetworkName } from '../../src-shared/coins/networks.ts';
import { ConfigDecimal, ConfigTicker } from '../kernel/config-types.ts';

/** Order-network timings and trader choices (docs/protocol.md); tests shorten the timings to seconds. */
export const OrdersConfig = z
  .object({
    /** Markets this node follows, base/quote; default: the network's pairs (see defaultMarkets). */
    markets: z
      .array(z.object({ base: ConfigTicker, quote: ConfigTicker }).strict())
      .max(64)
      .optional(),
    /** How often a maker sends keepalives for its orders. */
    keepaliveMs: z.number().int().min(100).max(600_000).default(30_000),
    /** A listed order whose maker was silent this long is dropped as offline. */
    offlineAfterMs: z.number().int().min(300).max(3_600_000).default(90_000),
    /** Lifetime of a new order (at most 24 h). */
    orderLifetimeMs: z.number().int().min(1000).max(86_400_000).default(3_600_000),
    /** How often books drop expired and silent orders. */
    sweepMs: z.number().int().min(50).max(60_000).default(5_000),
    /** How long a maker that acked an accept waits for the service node's hold before it takes other accepts. */
    holdTimeoutMs: z.number().int().min(500).max(600_000).default(30_000),
    /**
     * How long a taker's agreement to the maker's swap lasts after a take, and so how long its held
     * fill waits for the maker to start the swap before it ends (docs/orders.md §9).
     */
    swapStartMs: z.number().int().min(5000).max(3_600_000).default(600_000),
    /**
     * Most taker fee this node pays per fill, by fee coin. A coin not listed: at most 1 % of what
     * the fill moves in that coin, and no fee at all in a coin the fill does not move.
     */
    maxTakerFee: z.record(z.string(), ConfigDecimal).default({}),
  })
  .strict();

export type OrdersConfig = z.output<typeof OrdersConfig>;

/** The markets a network trades by default (base/quote), as exchanges list them. */
const NETWORK_MARKETS: Record<NetworkName, ReadonlyArray<{ base: string; quote: string }>> = {
  mainnet: [{ base: 'LTC', quote: 'BTC' }],
  testnet: [{ base: 'tLTC', quote: 'tBTC' }],
  regtest: [{ base: 'rLTC', quote: 'rBTC' }],
  devnet: [{ base: 'DEVA', quote: 'DEVB' }],
};

export function marketsOf(network: NetworkName, orders: OrdersConfig): Array<{ base: string; quote: string }> {
  return (orders.markets ?? NETWORK_MARKETS[network]).map((m) => ({ base: m.base, quote: m.quote }));
}
