// The service-node sections of config.json: the network's collateral policy (serviceNodes, every
// node of a network agrees on it) and the role's own settings (servicenode, on service nodes).
import { z } from 'zod';
import type { NetworkName } from '../../src-shared/coins/networks.ts';
import { ConfigDecimal, ConfigTicker, ConfigTxid } from '../kernel/config-types.ts';

/** What the network demands of a service node's collateral; every node of a network agrees. */
const CollateralPolicyConfig = z
  .object({
    ticker: ConfigTicker,
    amount: ConfigDecimal,
    minConfirmations: z.number().int().min(0).max(1000).default(1),
  })
  .strict();

/** Network policy for service-node collateral; default per network (NETWORK_COLLATERAL). */
export const ServiceNodesConfig = z
  .object({
    collateral: CollateralPolicyConfig.optional(),
    /** A service node not heard from (heartbeat) this long leaves the list. */
    silentMs: z.number().int().min(500).max(3_600_000).default(180_000),
  })
  .strict()
  .default({ silentMs: 180_000 });
export type ServiceNodesConfig = z.output<typeof ServiceNodesConfig>;

/** The service-node role's own settings (role: 'servicenode'). */
export const ServiceNodeConfig = z
  .object({
    /** The unspent output proving collateral; it must sit at a legacy (P2PKH) address of this node's wallet on that chain. */
    collateral: z
      .object({ ticker: ConfigTicker, txid: ConfigTxid, vout: z.number().int().min(0).max(999_999) })
      .strict(),
    /** Taker fee per fill; without an address a fresh one from the wallet is used. */
    fee: z
      .object({ ticker: ConfigTicker, amount: ConfigDecimal, address: z.string().min(14).max(100).optional() })
      .strict(),
    /** Coins this service node serves (its wallets must be connected for each). Default: every coin of the network. */
    coins: z.array(ConfigTicker).min(1).max(64).optional(),
    /** Heartbeat (sn.announce) interval. */
    announceMs: z.number().int().min(100).max(600_000).default(60_000),
  })
  .strict();

export type ServiceNodeConfig = z.output<typeof ServiceNodeConfig>;

/** Collateral a service node must lock, per network, unless the config says otherwise. */
const NETWORK_COLLATERAL: Record<NetworkName, { ticker: string; amount: string; minConfirmations: number }> = {
  mainnet: { ticker: 'LTC', amount: '100', minConfirmations: 6 },
  testnet: { ticker: 'tLTC', amount: '10', minConfirmations: 1 },
  regtest: { ticker: 'rLTC', amount: '10', minConfirmations: 1 },
  devnet: { ticker: 'DEVA', amount: '10', minConfirmations: 1 },
};

export function collateralPolicyOf(
  network: NetworkName,
  serviceNodes: ServiceNodesConfig,
): { ticker: string; amount: string; minConfirmations: number } {
  return serviceNodes.collateral ?? NETWORK_COLLATERAL[network];
}
