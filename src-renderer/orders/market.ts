// Which market the Trade screen shows: read from the route (#/trade/BASE/QUOTE), ordered for the
// selector (markets where both wallets are connected first), and labelled for people.
import type { Result } from '../../src-shared/api/contract.ts';

export type MarketView = Result<'orders.markets'>[number];
export interface MarketRef {
  base: string;
  quote: string;
}

export function marketId(m: MarketRef): string {
  return `${m.base}/${m.quote}`;
}

/** ['DEVA', 'DEVB'] → {base: 'DEVA', quote: 'DEVB'}; anything else → null. */
export function marketFromRoute(rest: readonly string[]): MarketRef | null {
  const [base, quote] = rest;
  if (!base || !quote || base === quote) return null;
  return { base, quote };
}

/** Tradable markets (both wallets connected) first, then the rest, each group in the node's order. */
export function groupMarkets(markets: readonly MarketView[]): { ready: MarketView[]; other: MarketView[] } {
  return {
    ready: markets.filter((m) => m.bothWalletsConnected),
    other: markets.filter((m) => !m.bothWalletsConnected),
  };
}

/** The market to show: the one asked for if the node knows it, else the first tradable, else the first. */
export function pickMarket(markets: readonly MarketView[], wanted: MarketRef | null): MarketView | null {
  if (wanted) {
    const found = markets.find((m) => m.base === wanted.base && m.quote === wanted.quote);
    if (found) return found;
  }
  return groupMarkets(markets).ready[0] ?? markets[0] ?? null;
}

export function sameMarket(a: MarketRef | null | undefined, b: MarketRef | null | undefined): boolean {
  return !!a && !!b && a.base === b.base && a.quote === b.quote;
}
