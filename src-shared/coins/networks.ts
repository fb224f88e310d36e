// The networks a node can run on and which coins of the registry each one trades.
import { COINS, type CoinParams } from './registry.ts';

export const NETWORKS = ['mainnet', 'testnet', 'regtest', 'devnet'] as const;
export type NetworkName = (typeof NETWORKS)[number];

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
