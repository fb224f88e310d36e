// Which URI scheme each coin of the registry uses, and the most a request may ask for.
// The scheme names the family; the address names the network. The devnet assets are two
// Litecoin regtest chains no address can tell apart, so each gets its own scheme: the
// lower-cased ticker (docs/payments.md §2.1).
import { COINS, type CoinParams } from '../coins/registry.ts';

export type PaymentScheme = 'bitcoin' | 'litecoin' | 'deva' | 'devb';

export const PAYMENT_SCHEMES: readonly PaymentScheme[] = ['bitcoin', 'litecoin', 'deva', 'devb'];

/** The scheme of a coin: a devnet asset's lower-cased ticker, otherwise its family. */
export function schemeOf(coin: CoinParams): PaymentScheme {
  if (coin.devnet) {
    const scheme = coin.ticker.toLowerCase();
    if (!isPaymentScheme(scheme)) throw new Error(`devnet asset ${coin.ticker} has no payment scheme`);
    return scheme;
  }
  return coin.family;
}

export function isPaymentScheme(x: string): x is PaymentScheme {
  return (PAYMENT_SCHEMES as readonly string[]).includes(x);
}

/** The coins a scheme may mean, among `coins` (the registry unless the node handles fewer). */
export function coinsOfScheme(scheme: PaymentScheme, coins: readonly CoinParams[] = COINS): CoinParams[] {
  return coins.filter((c) => schemeOf(c) === scheme);
}

/** Every coin's supply cap in base units (Bitcoin Core and Litecoin Core MAX_MONEY). */
const MAX_COINS: Readonly<Record<CoinParams['family'], bigint>> = {
  bitcoin: 21_000_000n,
  litecoin: 84_000_000n,
};

export function maxAmount(coin: CoinParams): bigint {
  return MAX_COINS[coin.family] * 10n ** BigInt(coin.decimals);
}

/** "Bitcoin mainnet", "Litecoin regtest", "Devnet A (Litecoin regtest)": for messages. */
export function networkWords(coin: CoinParams): string {
  if (coin.devnet) return coin.name;
  const family = coin.family === 'bitcoin' ? 'Bitcoin' : 'Litecoin';
  return `${family} ${coin.network}`;
}
