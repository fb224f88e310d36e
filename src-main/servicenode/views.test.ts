// A service node as getServiceNodes shows it: collateral and fee in each coin's own decimals; the
// coins service nodes serve that this node handles.
import { describe, expect, it } from 'vitest';
import { NOW, SERVICE_NODE } from '../../src-shared/orders/testkit.ts';
import { DEVNET } from '../orders/testkit.ts';
import type { ServiceNodeEntry } from './registry.ts';
import { networkTokens, serviceNodeView } from './views.ts';

describe('the coins service nodes serve', () => {
  it('only those this node handles, sorted', () => {
    const known = new Map([
      ['sn1', { coins: ['DEVB', 'LTC', 'DEVA'] }],
      ['sn2', { coins: ['DEVA'] }],
    ]);
    expect(networkTokens(known, DEVNET)).toEqual(['DEVA', 'DEVB']);
  });
});

describe('a service node as getServiceNodes shows it', () => {
  const entry = (over: Partial<ServiceNodeEntry>): ServiceNodeEntry =>
    ({
      registration: {
        peerId: 'peer',
        pubkey: SERVICE_NODE.pubkey,
        coins: ['DEVA', 'DEVB'],
        collateral: { ticker: 'DEVA', outpoint: `${'ab'.repeat(32)}:3`, address: 'x' },
      },
      announce: null,
      verified: 'yes',
      collateralAmount: 1_000_000_000n,
      lastSeen: NOW,
      ...over,
    }) as ServiceNodeEntry;

  it('collateral split into txid and vout, in the coin decimals; no fee before its first heartbeat', () => {
    expect(serviceNodeView(entry({}), DEVNET)).toEqual({
      peerId: 'peer',
      pubkey: SERVICE_NODE.pubkey,
      coins: ['DEVA', 'DEVB'],
      collateral: { ticker: 'DEVA', txid: 'ab'.repeat(32), vout: 3, amount: '10' },
      verified: 'yes',
      fee: null,
      lastSeen: NOW,
    });
  });

  it('the heartbeat names its coins and fee; collateral not looked up shows as 0', () => {
    const announced = entry({
      collateralAmount: null,
      announce: {
        coins: ['DEVB'],
        fee: { ticker: 'DEVB', amount: 100_000n, address: 'y' },
      } as ServiceNodeEntry['announce'],
    });
    expect(serviceNodeView(announced, DEVNET)).toMatchObject({
      coins: ['DEVB'],
      fee: { ticker: 'DEVB', amount: '0.001' },
      collateral: { amount: '0' },
    });
  });
});
