import { describe, expect, it } from 'vitest';
import { href, parseRoute } from './routes.ts';

describe('hash routes', () => {
  it.each([
    ['#/network', { page: 'network', rest: [] }],
    ['#/wallets/setup/DEVA', { page: 'wallets', rest: ['setup', 'DEVA'] }],
    ['#/swaps/c41f9e02b7d84a1f', { page: 'swaps', rest: ['c41f9e02b7d84a1f'] }],
    ['#/wallets/', { page: 'wallets', rest: [] }],
    ['', { page: 'wallets', rest: [] }],
    ['#token=abc', { page: 'wallets', rest: [] }],
    ['#/nowhere', { page: 'wallets', rest: [] }],
    ['#/wallets/%E0%A4%A', { page: 'wallets', rest: ['%E0%A4%A'] }],
  ])('reads %j', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('builds links that read back to the same route', () => {
    expect(href('wallets', 'setup', 'DEVA')).toBe('#/wallets/setup/DEVA');
    expect(parseRoute(href('wallets', 'setup', 'a/b'))).toEqual({ page: 'wallets', rest: ['setup', 'a/b'] });
  });
});
