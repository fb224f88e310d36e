// swap.updated → the swaps' cache: the list is patched in place (a new swap inserted newest
// first), the open detail gets the summary at once and refetches for locks, txs and timeline.
import type { QueryClient } from '@tanstack/react-query';
import type { EventPayload, Result } from '../../src-shared/api/contract.ts';
import type { FeatureEventsFactory } from '../api/events.ts';
import { swapKeys } from './queries.ts';

type SwapList = Result<'swaps.list'>;
type SwapSummary = EventPayload<'swaps.updated'>;

/** The list with this swap replaced in place, or inserted by start time (the node lists newest first). */
export function upsertSwap(list: SwapList, swap: SwapSummary): SwapList {
  const at = list.findIndex((s) => s.swapId === swap.swapId);
  if (at >= 0) return list.map((s, i) => (i === at ? swap : s));
  const before = list.findIndex((s) => s.createdAt < swap.createdAt);
  return before < 0 ? [...list, swap] : [...list.slice(0, before), swap, ...list.slice(before)];
}

/** Puts a swap the node reported (an event, or a command's answer) into the cached list. */
export function putSwapInList(qc: QueryClient, swap: SwapSummary): void {
  qc.setQueryData<SwapList>(swapKeys.list, (list) => (list ? upsertSwap(list, swap) : list));
}

export const swapsEvents: FeatureEventsFactory = ({ qc }) => ({
  on: {
    'swaps.updated': (swap) => {
      putSwapInList(qc, swap);
      // The summary part is current at once; locks, transactions and the timeline come with a refetch.
      qc.setQueryData<Result<'swaps.get'>>(swapKeys.detail(swap.swapId), (d) => (d ? { ...d, ...swap } : d));
      void qc.invalidateQueries({ queryKey: swapKeys.detail(swap.swapId) });
    },
  },
});
