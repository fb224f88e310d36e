import { describe, expect, it } from 'vitest';
import { groupMarkets, marketFromRoute, pickMarket, type MarketView } from './market.ts';

const m = (base: string, quote: string, ready: boolean): MarketView => ({
  base,
  quote,
  bothWalletsConnected: ready,
  orders: 0,
  last: null,
});
const markets = [m('DEVA', 'DEVC', false), m('DEVA', 'DEVB', true), m('DEVB', 'DEVC', false)];

describe('market selection', () => {
  it('reads the market from the route and ignores nonsense', () => {
    expect(marketFromRoute(['DEVA', 'DEVB'])).toEqual({ base: 'DEVA', quote: 'DEVB' });
    expect(marketFromRoute(['DEVA'])).toBeNull();
    expect(marketFromRoute(['DEVA', 'DEVA'])).toBeNull();
  });

  it('lists markets with both wallets connected first', () => {
    const g = groupMarkets(markets);
    expect(g.ready.map((x) => x.quote)).toEqual(['DEVB']);
    expect(g.other.map((x) => `${x.base}/${x.quote}`)).toEqual(['DEVA/DEVC', 'DEVB/DEVC']);
  });

  it('shows the market asked for, else the first tradable one, else the first', () => {
    expect(pickMarket(markets, { base: 'DEVB', quote: 'DEVC' })?.base).toBe('DEVB');
    expect(pickMarket(markets, { base: 'XXX', quote: 'DEVC' })?.quote).toBe('DEVB');
    expect(pickMarket(markets, null)?.quote).toBe('DEVB');
    expect(pickMarket([m('A', 'B', false)], null)?.base).toBe('A');
    expect(pickMarket([], null)).toBeNull();
  });
});
