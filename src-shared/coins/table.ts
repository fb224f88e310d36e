// The coins one node handles, looked up by ticker. Every part asks this table instead of
// searching the registry itself, so "this node does not handle X" is said one way everywhere.
import { ApiError } from '../api/errors.ts';
import type { CoinParams } from './registry.ts';

export interface CoinTable {
  readonly all: readonly CoinParams[];
  readonly tickers: readonly string[];
  /** The coin, or a NOT_FOUND error naming what this node handles. */
  get(ticker: string): CoinParams;
  find(ticker: string): CoinParams | undefined;
  has(ticker: string): boolean;
  decimals(ticker: string): number;
}

/** `network` names the node's network in the refusal: "this node does not handle BTC on devnet". */
export function createCoinTable(coins: readonly CoinParams[], network?: string): CoinTable {
  const byTicker = new Map(coins.map((c) => [c.ticker, c]));
  const tickers = coins.map((c) => c.ticker);
  const on = network ? ` on ${network}` : '';
  const table: CoinTable = {
    all: coins,
    tickers,
    get(ticker) {
      const coin = byTicker.get(ticker);
      if (!coin) {
        throw new ApiError('NOT_FOUND', `this node does not handle ${ticker}${on} (it handles ${tickers.join(', ')})`, {
          ticker,
        });
      }
      return coin;
    },
    find: (ticker) => byTicker.get(ticker),
    has: (ticker) => byTicker.has(ticker),
    decimals: (ticker) => table.get(ticker).decimals,
  };
  return table;
}
