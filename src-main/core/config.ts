// The node's configuration: <dataDir>/config.json, validated before anything starts. A bad
// file stops the node with a message naming each wrong field; nothing is half-applied.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import { COINS, type CoinParams } from '../../src-shared/coins/registry.ts';
import { zodIssues } from '../api/dispatcher.ts';

export const NETWORKS = ['mainnet', 'testnet', 'regtest', 'devnet'] as const;
export type NetworkName = (typeof NETWORKS)[number];

const Decimal = z.string().regex(/^(0|[1-9][0-9]{0,18})(\.[0-9]{1,8})?$/, 'not a decimal amount like "0.001"');
const ConfigTicker = z.string().regex(/^[A-Za-z][A-Za-z0-9]{1,9}$/, 'not a ticker');
const Txid = z.string().regex(/^[0-9a-f]{64}$/, 'not a transaction id (64 lowercase hex characters)');

/** Order-network timings and trader choices (docs/protocol.md); tests shorten the timings to seconds. */
const OrdersConfig = z
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
    /** Most taker fee this node pays per fill, by fee coin; a coin not listed has no limit. */
    maxTakerFee: z.record(z.string(), Decimal).default({}),
    /** A service node not heard from (heartbeat) this long is dropped from the list. */
    serviceNodeSilentMs: z.number().int().min(500).max(3_600_000).default(180_000),
  })
  .strict();

/** What the network demands of a service node's collateral; every node of a network agrees. */
const CollateralPolicyConfig = z
  .object({
    ticker: ConfigTicker,
    amount: Decimal,
    minConfirmations: z.number().int().min(0).max(1000).default(1),
  })
  .strict();

/** The service-node role's own settings (role: 'servicenode'). */
const ServiceNodeConfig = z
  .object({
    /** The unspent output proving collateral; it must sit at a legacy (P2PKH) address of this node's wallet on that chain. */
    collateral: z.object({ ticker: ConfigTicker, txid: Txid, vout: z.number().int().min(0).max(999_999) }).strict(),
    /** Taker fee per fill; without an address a fresh one from the wallet is used. */
    fee: z.object({ ticker: ConfigTicker, amount: Decimal, address: z.string().min(14).max(100).optional() }).strict(),
    /** Coins this service node serves (its wallets must be connected for each). Default: every coin of the network. */
    coins: z.array(ConfigTicker).min(1).max(64).optional(),
    /** Heartbeat (sn.announce) interval. */
    announceMs: z.number().int().min(100).max(600_000).default(60_000),
  })
  .strict();

const Multiaddr = z
  .string()
  .regex(/^\/(ip4|ip6|dns4|dns6|dns)\/[^\s]+$/, 'not a multiaddr like /ip4/127.0.0.1/tcp/4001');

export const ConfigSchema = z
  .object({
    network: z.enum(NETWORKS).default('devnet'),
    role: z.enum(['trader', 'servicenode']).default('trader'),
    api: z
      .object({
        port: z.number().int().min(0).max(65535).default(7420),
      })
      .strict()
      .default({ port: 7420 }),
    p2p: z
      .object({
        listen: z.array(Multiaddr).max(16).default(['/ip4/127.0.0.1/tcp/0']),
        bootstrap: z.array(Multiaddr).max(64).default([]),
      })
      .strict()
      .default({ listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [] }),
    wallets: z
      .object({
        /** Extra daemon data directories to search during wallet detection (the devnet adds its own). */
        searchDirs: z
          .array(
            z
              .object({ ticker: z.string(), dataDir: z.string().min(1), wallet: z.string().max(200).optional() })
              .strict(),
          )
          .max(64)
          .default([]),
      })
      .strict()
      .default({ searchDirs: [] }),
    swaps: z
      .object({
        /** The user's risk setting: least confirmations per ticker before acting on a transaction (default: the coin's). */
        confirmations: z.record(z.string(), z.number().int().min(1).max(1000)).default({}),
        /** How often the swap engine polls each chain's daemon, ms. */
        pollMs: z.number().int().min(20).max(60_000).default(1000),
      })
      .strict()
      .default({ confirmations: {}, pollMs: 1000 }),
    orders: OrdersConfig.default(() => OrdersConfig.parse({})),
    /** Network policy for service-node collateral; default per network (defaultCollateralPolicy). */
    serviceNodes: z.object({ collateral: CollateralPolicyConfig.optional() }).strict().default({}),
    /** Required when role is 'servicenode'. */
    servicenode: ServiceNodeConfig.optional(),
    vault: z
      .object({
        /** scrypt cost; only tests and the devnet lower it. */
        kdf: z
          .object({
            N: z
              .number()
              .int()
              .min(1024)
              .max(2 ** 22),
            r: z.number().int().min(1).max(32),
            p: z.number().int().min(1).max(16),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type NodeConfig = z.output<typeof ConfigSchema>;
export type OrdersConfig = NodeConfig['orders'];
export type ServiceNodeConfig = NonNullable<NodeConfig['servicenode']>;

export function parseConfig(raw: unknown, source = 'config'): NodeConfig {
  const parsed = ConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw new ApiError(
      'CONFIG_INVALID',
      `${source} is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  if (parsed.data.role === 'servicenode' && !parsed.data.servicenode) {
    throw new ApiError(
      'CONFIG_INVALID',
      `${source} is invalid: servicenode: a service node needs its collateral and fee settings`,
      [{ path: 'servicenode', message: 'required when role is servicenode' }],
    );
  }
  return parsed.data;
}

export function loadConfig(dataDir: string): NodeConfig {
  const file = path.join(dataDir, 'config.json');
  if (!existsSync(file)) return parseConfig({}, file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ApiError('CONFIG_INVALID', `${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseConfig(raw, file);
}

const NETWORK_TICKERS: Record<NetworkName, readonly string[]> = {
  mainnet: ['BTC', 'LTC'],
  testnet: ['tBTC', 'tLTC'],
  regtest: ['rBTC', 'rLTC'],
  devnet: ['DEVA', 'DEVB'],
};

/** The markets a network trades by default (base/quote), as exchanges list them. */
const NETWORK_MARKETS: Record<NetworkName, ReadonlyArray<{ base: string; quote: string }>> = {
  mainnet: [{ base: 'LTC', quote: 'BTC' }],
  testnet: [{ base: 'tLTC', quote: 'tBTC' }],
  regtest: [{ base: 'rLTC', quote: 'rBTC' }],
  devnet: [{ base: 'DEVA', quote: 'DEVB' }],
};

export function marketsOf(config: NodeConfig): Array<{ base: string; quote: string }> {
  return (config.orders.markets ?? NETWORK_MARKETS[config.network]).map((m) => ({ base: m.base, quote: m.quote }));
}

/** Collateral a service node must lock, per network, unless the config says otherwise. */
const NETWORK_COLLATERAL: Record<NetworkName, { ticker: string; amount: string; minConfirmations: number }> = {
  mainnet: { ticker: 'LTC', amount: '100', minConfirmations: 6 },
  testnet: { ticker: 'tLTC', amount: '10', minConfirmations: 1 },
  regtest: { ticker: 'rLTC', amount: '10', minConfirmations: 1 },
  devnet: { ticker: 'DEVA', amount: '10', minConfirmations: 1 },
};

export function collateralPolicyOf(config: NodeConfig): { ticker: string; amount: string; minConfirmations: number } {
  return config.serviceNodes.collateral ?? NETWORK_COLLATERAL[config.network];
}

export function coinsForNetwork(network: NetworkName): CoinParams[] {
  const tickers = NETWORK_TICKERS[network];
  return COINS.filter((c) => tickers.includes(c.ticker));
}
