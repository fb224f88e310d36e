import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { PushedEvent, Result } from '../../src-shared/api/contract.ts';
import { createEventDispatcher } from '../api/events.ts';
import { swapsEvents, upsertSwap } from './events.ts';
import { swapKeys } from './queries.ts';
import { maker, taker } from './testdata.ts';

function applyEventToCache(qc: QueryClient, e: PushedEvent): void {
  createEventDispatcher(qc, [swapsEvents]).dispatch(e);
}

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
    qc.setQueryData(swapKeys.list, [newer, older]);
    const updated = { ...older, state: 'refunded' as const, terminal: true };
    applyEventToCache(qc, { event: 'swaps.updated', data: updated });
    expect(qc.getQueryData(swapKeys.list)).toEqual([newer, updated]);
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
    applyEventToCache(qc, { event: 'swaps.updated', data: older });
    expect(qc.getQueryData(swapKeys.list)).toBeUndefined();
  });

  it('patches the open detail at once and marks it stale for its timeline, touching no other swap', () => {
    const qc = new QueryClient();
    const detail = { ...maker.funded(), swapId: 'newer' };
    const other = { ...taker.accepted(), swapId: 'other' };
    qc.setQueryData(swapKeys.detail('newer'), detail);
    qc.setQueryData(swapKeys.detail('other'), other);
    applyEventToCache(qc, { event: 'swaps.updated', data: { ...summaryOf(detail), state: 'claiming' } });
    const after = qc.getQueryData<Result<'swaps.get'>>(swapKeys.detail('newer'));
    expect(after?.state).toBe('claiming');
    expect(after?.timeline).toEqual(detail.timeline);
    expect(qc.getQueryState(swapKeys.detail('newer'))?.isInvalidated).toBe(true);
    expect(qc.getQueryState(swapKeys.detail('other'))?.isInvalidated).toBe(false);
  });
});
