import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { coinsForNetwork } from '../../src-shared/coins/networks.ts';
import { parseConfig } from './config.ts';
import { marketsOf } from '../orders/config.ts';
import { collateralPolicyOf } from '../servicenode/config.ts';

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
    ['a service node without its settings', { role: 'servicenode' }, /servicenode: a service node needs/],
    [
      'a collateral txid that is not hex',
      {
        servicenode: { collateral: { ticker: 'DEVA', txid: 'xyz', vout: 0 }, fee: { ticker: 'DEVB', amount: '0.001' } },
      },
      /servicenode\.collateral\.txid/,
    ],
    [
      'a fee amount that is a number',
      {
        servicenode: {
          collateral: { ticker: 'DEVA', txid: 'ab'.repeat(32), vout: 0 },
          fee: { ticker: 'DEVB', amount: 0.001 },
        },
      },
      /servicenode\.fee\.amount/,
    ],
    ['a keepalive of 10 ms', { orders: { keepaliveMs: 10 } }, /orders\.keepaliveMs/],
    [
      'a test-strength vault on mainnet',
      { network: 'mainnet', vault: { kdf: { N: 1024, r: 8, p: 1 } } },
      /vault\.kdf\.N: below 32768 is allowed only on devnet and regtest/,
    ],
    [
      'a vault whose scrypt cost is above the ceiling',
      { vault: { kdf: { N: 2 ** 20, r: 8, p: 2 } } },
      /vault\.kdf: scrypt N=1048576 r=8 p=2 costs .* above the ceiling of 1073741824/,
    ],
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

  it('gives order timings, markets and the collateral policy defaults per network', () => {
    const c = parseConfig({});
    expect(c.orders).toMatchObject({ keepaliveMs: 30_000, offlineAfterMs: 90_000, maxTakerFee: {} });
    expect(marketsOf(c.network, c.orders)).toEqual([{ base: 'DEVA', quote: 'DEVB' }]);
    expect(collateralPolicyOf(c.network, c.serviceNodes)).toEqual({
      ticker: 'DEVA',
      amount: '10',
      minConfirmations: 1,
    });
    const sn = parseConfig({
      role: 'servicenode',
      serviceNodes: { collateral: { ticker: 'DEVB', amount: '5' } },
      servicenode: {
        collateral: { ticker: 'DEVB', txid: 'ab'.repeat(32), vout: 1 },
        fee: { ticker: 'DEVB', amount: '0.001' },
      },
    });
    expect(collateralPolicyOf(sn.network, sn.serviceNodes)).toEqual({
      ticker: 'DEVB',
      amount: '5',
      minConfirmations: 1,
    });
    expect(sn.servicenode?.announceMs).toBe(60_000);
  });

  it('maps networks to their coins', () => {
    expect(coinsForNetwork('devnet').map((c) => c.ticker)).toEqual(['DEVA', 'DEVB']);
    expect(coinsForNetwork('mainnet').map((c) => c.ticker)).toEqual(['BTC', 'LTC']);
  });
});
