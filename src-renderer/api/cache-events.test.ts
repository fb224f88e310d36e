import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src-shared/api/contract.ts';
import { maker, taker } from '../swaps/testdata.ts';
import { applyEventToCache, upsertSwap } from './cache-events.ts';
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

describe('swap.updated keeps the swaps current', () => {
  const summaryOf = ({
    secretHash: _h,
    locks: _l,
    txs: _t,
    timeline: _tl,
    ...summary
  }: Result<'swaps.get'>): Result<'swaps.list'>[number] => summary;
  const older = { ...summaryOf(maker.completed()), swapId: 'older', createdAt: 1000 };
  const newer = { ...summaryOf(taker.funded()), swapId: 'newer', createdAt: 3000 };

  it('replaces a listed swap in place', () => {
    const qc = new QueryClient();
    qc.setQueryData(queryKeys.swapList, [newer, older]);
    const updated = { ...older, state: 'refunded' as const, terminal: true };
    applyEventToCache(qc, { event: 'swap.updated', data: updated });
    expect(qc.getQueryData(queryKeys.swapList)).toEqual([newer, updated]);
  });

  it('puts a swap it has not seen before in start order, newest first', () => {
    const middle = { ...older, swapId: 'middle', createdAt: 2000 };
    expect(upsertSwap([newer, older], middle).map((s) => s.swapId)).toEqual(['newer', 'middle', 'older']);
    expect(upsertSwap([newer], { ...older, swapId: 'newest', createdAt: 9000 }).map((s) => s.swapId)).toEqual([
      'newest',
      'newer',
    ]);
    expect(upsertSwap([newer], older).map((s) => s.swapId)).toEqual(['newer', 'older']);
  });

  it('does not invent a list nobody asked for', () => {
    const qc = new QueryClient();
    applyEventToCache(qc, { event: 'swap.updated', data: older });
    expect(qc.getQueryData(queryKeys.swapList)).toBeUndefined();
  });

  it('patches the open detail at once and marks it stale for its timeline, touching no other swap', () => {
    const qc = new QueryClient();
    const detail = { ...maker.funded(), swapId: 'newer' };
    const other = { ...taker.accepted(), swapId: 'other' };
    qc.setQueryData(queryKeys.swapDetail('newer'), detail);
    qc.setQueryData(queryKeys.swapDetail('other'), other);
    applyEventToCache(qc, { event: 'swap.updated', data: { ...summaryOf(detail), state: 'claiming' } });
    const after = qc.getQueryData<Result<'swaps.get'>>(queryKeys.swapDetail('newer'));
    expect(after?.state).toBe('claiming');
    expect(after?.timeline).toEqual(detail.timeline);
    expect(qc.getQueryState(queryKeys.swapDetail('newer'))?.isInvalidated).toBe(true);
    expect(qc.getQueryState(queryKeys.swapDetail('other'))?.isInvalidated).toBe(false);
  });
});
