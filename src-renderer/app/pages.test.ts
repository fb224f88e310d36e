import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE, navigation, PAGE_IDS, PAGES } from './pages.ts';
import { href, parseRoute } from './routes.ts';

describe('the page registry', () => {
  it('gives every page its own route, and every route reads back to its page', () => {
    expect(new Set(PAGE_IDS).size).toBe(PAGES.length);
    for (const id of PAGE_IDS)
      expect(parseRoute(href(id, 'x'), PAGE_IDS, DEFAULT_PAGE)).toEqual({ page: id, rest: ['x'] });
    expect(PAGE_IDS).toContain(DEFAULT_PAGE);
  });

  it('lays the navigation out as the app always had it: Settings apart at the bottom', () => {
    const nav = navigation();
    expect(nav.main.map((p) => [p.id, p.nav.label])).toEqual([
      ['trade', 'Trade'],
      ['swaps', 'Swaps'],
      ['wallets', 'Wallets'],
      ['pay', 'Pay'],
      ['identity', 'Identity'],
      ['registry', 'Registry'],
      ['communities', 'Communities'],
      ['network', 'Network'],
      ['node', 'Node'],
    ]);
    expect(nav.bottom.map((p) => p.id)).toEqual(['settings']);
  });

  it('orders the navigation by each entry, not by where it sits in the registry', () => {
    const [first, second] = navigation([...PAGES].reverse()).main;
    expect([first?.id, second?.id]).toEqual(['trade', 'swaps']);
  });
});
