import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { coinsForNetwork, parseConfig } from './config.ts';

describe('parseConfig', () => {
  it('fills defaults for an empty file', () => {
    const c = parseConfig({});
    expect(c.network).toBe('devnet');
    expect(c.api.port).toBe(7420);
    expect(c.p2p.listen).toEqual(['/ip4/127.0.0.1/tcp/0']);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ['unknown network', { network: 'moonnet' }, /network/],
    ['unknown top-level key', { netwrok: 'devnet' }, /Unrecognized key/i],
    ['port out of range', { api: { port: 70000 } }, /api\.port/],
    ['bootstrap not a multiaddr', { p2p: { bootstrap: ['127.0.0.1:4001'] } }, /p2p\.bootstrap\.0: not a multiaddr/],
    ['kdf too weak', { vault: { kdf: { N: 2, r: 8, p: 1 } } }, /vault\.kdf\.N/],
    ['not an object', 'devnet', /expected object/i],
  ];
  it.each(invalid)('rejects %s with CONFIG_INVALID naming the field', (_name, raw, msg) => {
    try {
      parseConfig(raw, 'test.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).code).toBe('CONFIG_INVALID');
      expect((e as ApiError).message).toMatch(/^test\.json is invalid/);
      expect((e as ApiError).message).toMatch(msg);
    }
  });

  it('maps networks to their coins', () => {
    expect(coinsForNetwork('devnet').map((c) => c.ticker)).toEqual(['DEVA', 'DEVB']);
    expect(coinsForNetwork('mainnet').map((c) => c.ticker)).toEqual(['BTC', 'LTC']);
  });
});
