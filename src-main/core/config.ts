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

const Multiaddr = z.string().regex(/^\/(ip4|ip6|dns4|dns6|dns)\/[^\s]+$/, 'not a multiaddr like /ip4/127.0.0.1/tcp/4001');

export const ConfigSchema = z.object({
  network: z.enum(NETWORKS).default('devnet'),
  role: z.enum(['trader', 'servicenode']).default('trader'),
  api: z.object({
    port: z.number().int().min(0).max(65535).default(7420),
  }).strict().default({ port: 7420 }),
  p2p: z.object({
    listen: z.array(Multiaddr).max(16).default(['/ip4/127.0.0.1/tcp/0']),
    bootstrap: z.array(Multiaddr).max(64).default([]),
  }).strict().default({ listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [] }),
  wallets: z.object({
    /** Extra daemon data directories to search during wallet detection (the devnet adds its own). */
    searchDirs: z.array(z.object({ ticker: z.string(), dataDir: z.string().min(1), wallet: z.string().max(200).optional() }).strict()).max(64).default([]),
  }).strict().default({ searchDirs: [] }),
  swaps: z.object({
    /** The user's risk setting: least confirmations per ticker before acting on a transaction (default: the coin's). */
    confirmations: z.record(z.string(), z.number().int().min(1).max(1000)).default({}),
    /** How often the swap engine polls each chain's daemon, ms. */
    pollMs: z.number().int().min(20).max(60_000).default(1000),
  }).strict().default({ confirmations: {}, pollMs: 1000 }),
  vault: z.object({
    /** scrypt cost; only tests and the devnet lower it. */
    kdf: z.object({ N: z.number().int().min(1024).max(2 ** 22), r: z.number().int().min(1).max(32), p: z.number().int().min(1).max(16) }).strict().optional(),
  }).strict().default({}),
}).strict();

export type NodeConfig = z.output<typeof ConfigSchema>;

export function parseConfig(raw: unknown, source = 'config'): NodeConfig {
  const parsed = ConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw new ApiError('CONFIG_INVALID', `${source} is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
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

export function coinsForNetwork(network: NetworkName): CoinParams[] {
  const tickers = NETWORK_TICKERS[network];
  return COINS.filter((c) => tickers.includes(c.ticker));
}
