import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src-shared/api/contract.ts';
import { applyEventToCache } from './cache-events.ts';
import { queryKeys } from './queries.ts';

const zero = { spendable: '0', unconfirmed: '0', locked: '0' };
const list: Result<'wallets.list'> = [
  { ticker: 'DEVA', name: 'Devnet A', status: 'connected', balance: zero },
  { ticker: 'DEVB', name: 'Devnet B', status: 'connected', balance: zero },
];

describe('events update the cache', () => {
  it('writes a pushed balance into the wallet list and the balance query', () => {
    const qc = new QueryClient();
    qc.setQueryData(queryKeys.walletList, list);
    const balance = { spendable: '12.5', unconfirmed: '0.1', locked: '0' };
    applyEventToCache(qc, { event: 'wallets.balance', data: { ticker: 'DEVB', balance } });
    expect(qc.getQueryData(queryKeys.walletBalance('DEVB'))).toEqual(balance);
    const after = qc.getQueryData<Result<'wallets.list'>>(queryKeys.walletList);
    expect(after?.[1]?.balance).toEqual(balance);
    expect(after?.[0]?.balance).toEqual(zero);
  });

  it('marks the wallet list and that coin stale when a wallet changes', () => {
    const qc = new QueryClient();
    qc.setQueryData(queryKeys.walletList, list);
    qc.setQueryData(queryKeys.walletUtxos('DEVA'), []);
    qc.setQueryData(queryKeys.walletUtxos('DEVB'), []);
    applyEventToCache(qc, { event: 'wallets.changed', data: { ticker: 'DEVA' } });
    expect(qc.getQueryState(queryKeys.walletList)?.isInvalidated).toBe(true);
    expect(qc.getQueryState(queryKeys.walletUtxos('DEVA'))?.isInvalidated).toBe(true);
    expect(qc.getQueryState(queryKeys.walletUtxos('DEVB'))?.isInvalidated).toBe(false);
  });

  it('drops wallet data when the vault locks', () => {
    const qc = new QueryClient();
    qc.setQueryData(queryKeys.walletList, list);
    qc.setQueryData(queryKeys.vault, { state: 'unlocked' });
    applyEventToCache(qc, { event: 'vault.state', data: { state: 'locked' } });
    expect(qc.getQueryData(queryKeys.vault)).toEqual({ state: 'locked' });
    expect(qc.getQueryData(queryKeys.walletList)).toBeUndefined();
  });

  it('refetches peers when the peer count changes', () => {
    const qc = new QueryClient();
    qc.setQueryData(queryKeys.p2pPeers, []);
    applyEventToCache(qc, { event: 'p2p.peers', data: { count: 3 } });
    expect(qc.getQueryState(queryKeys.p2pPeers)?.isInvalidated).toBe(true);
  });
});
