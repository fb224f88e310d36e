import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.ts';
import { COINS } from './registry.ts';
import { createCoinTable } from './table.ts';

describe('coin table', () => {
  const devnet = COINS.filter((c) => c.ticker === 'DEVA' || c.ticker === 'DEVB');
  const table = createCoinTable(devnet);

  it('finds a coin by ticker', () => {
    expect(table.get('DEVA').ticker).toBe('DEVA');
    expect(table.decimals('DEVB')).toBe(8);
    expect(table.has('DEVA')).toBe(true);
    expect(table.tickers).toEqual(['DEVA', 'DEVB']);
  });

  it('names the network in its refusal when it knows it', () => {
    expect(() => createCoinTable(devnet, 'devnet').get('BTC')).toThrow(
      'this node does not handle BTC on devnet (it handles DEVA, DEVB)',
    );
  });

  it('refuses a coin it does not handle with NOT_FOUND naming what it handles', () => {
    expect(table.find('BTC')).toBeUndefined();
    expect(table.has('BTC')).toBe(false);
    try {
      table.get('BTC');
      expect.unreachable('get must throw');
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe('NOT_FOUND');
      expect((err as ApiError).message).toBe('this node does not handle BTC (it handles DEVA, DEVB)');
    }
  });
});
