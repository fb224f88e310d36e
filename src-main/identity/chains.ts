// Which chains this node links accounts on: the pure core's KNOWN_CHAINS plus the chains of the
// node's own coin table (regtest and testnet4 included), each a CAIP-2 id from its genesis hash.
// A wallet's daemon is asked for its genesis before it signs a link, so a misconfigured
// connection cannot link an address to the wrong chain.
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { KNOWN_CHAINS, type ChainLookup, type LinkChain } from '../../src-shared/identity/links.ts';

/** The first 32 hex characters of each chain's genesis block hash (CAIP-2 bip122 reference). */
export const GENESIS_PREFIX: Readonly<Record<string, string>> = {
  'bitcoin/mainnet': '000000000019d6689c085ae165831e93',
  'bitcoin/testnet': '000000000933ea01ad0ee984209779ba',
  'bitcoin/regtest': '0f9188f13cb7b2c71f2a335e3a4fc328',
  'litecoin/mainnet': '12a765e31ffd4059bada1e25190f6e98',
  'litecoin/testnet': '4966625a4b2851d9fdee139e56211a0d',
  'litecoin/regtest': '530827f38f93b43ed12af0b3ad25a288',
};

const NETWORK_NAME = { mainnet: '', testnet: ' testnet', regtest: ' regtest' } as const;

export function linkChainOf(coin: CoinParams): LinkChain {
  const caip2 = `bip122:${GENESIS_PREFIX[`${coin.family}/${coin.network}`]}`;
  const known = KNOWN_CHAINS.find((c) => c.caip2 === caip2);
  if (known) return known;
  const family = coin.family === 'bitcoin' ? 'Bitcoin' : 'Litecoin';
  return {
    caip2,
    name: `${family}${NETWORK_NAME[coin.network]}`,
    family: coin.family,
    bech32: coin.bech32,
    pubKeyHash: coin.pubKeyHash,
    scriptHash: coin.scriptHash,
  };
}

/** Known chains first, then those of this node's coins. */
export function chainLookup(coins: readonly CoinParams[]): ChainLookup {
  const byId = new Map<string, LinkChain>(KNOWN_CHAINS.map((c) => [c.caip2, c]));
  for (const coin of coins) {
    const chain = linkChainOf(coin);
    if (!byId.has(chain.caip2)) byId.set(chain.caip2, chain);
  }
  return (caip2) => byId.get(caip2);
}

/** This node's coins on the chain of a CAIP-2 id (on the devnet, two coins share regtest's genesis). */
export function coinsOnChain(coins: readonly CoinParams[], caip2: string): CoinParams[] {
  return coins.filter((c) => linkChainOf(c).caip2 === caip2);
}
