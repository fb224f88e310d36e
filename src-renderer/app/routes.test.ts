import { describe, expect, it } from 'vitest';
import { href, parseRoute } from './routes.ts';

const IDS = ['trade', 'wallets', 'network'] as const;
const read = (hash: string) => parseRoute(hash, IDS, 'wallets');

describe('hash routes', () => {
  it.each([
    ['#/network', { page: 'network', rest: [] }],
    ['#/wallets/setup/DEVA', { page: 'wallets', rest: ['setup', 'DEVA'] }],
    ['#/trade/DEVA/DEVB', { page: 'trade', rest: ['DEVA', 'DEVB'] }],
    ['#/wallets/', { page: 'wallets', rest: [] }],
    ['', { page: 'wallets', rest: [] }],
    ['#token=abc', { page: 'wallets', rest: [] }],
    ['#/nowhere', { page: 'wallets', rest: [] }],
    ['#/wallets/%E0%A4%A', { page: 'wallets', rest: ['%E0%A4%A'] }],
  ])('reads %j', (hash, route) => {
    expect(read(hash)).toEqual(route);
  });

  it('builds links that read back to the same route', () => {
    expect(href('wallets', 'setup', 'DEVA')).toBe('#/wallets/setup/DEVA');
    expect(read(href('wallets', 'setup', 'a/b'))).toEqual({ page: 'wallets', rest: ['setup', 'a/b'] });
  });
});
