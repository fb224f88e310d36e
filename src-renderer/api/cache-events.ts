// Pushed node events → react-query cache. This is what keeps the screen current without
// polling: values that arrive in the event are written in place, the rest is invalidated.
import type { QueryClient } from '@tanstack/react-query';
import type { EventName, PushedEvent, Result } from '../../src-shared/api/contract.ts';
import { queryKeys } from './queries.ts';

type WalletList = Result<'wallets.list'>;
type SwapList = Result<'swaps.list'>;
type SwapSummary = PushedEvent<'swap.updated'>['data'];

/** The list with this swap replaced in place, or inserted by start time (the node lists newest first). */
export function upsertSwap(list: SwapList, swap: SwapSummary): SwapList {
  const at = list.findIndex((s) => s.swapId === swap.swapId);
  if (at >= 0) return list.map((s, i) => (i === at ? swap : s));
  const before = list.findIndex((s) => s.createdAt < swap.createdAt);
  return before < 0 ? [...list, swap] : [...list.slice(0, before), swap, ...list.slice(before)];
}

export function applyEventToCache(qc: QueryClient, e: PushedEvent<EventName>): void {
  switch (e.event) {
    case 'vault.state': {
      const { state } = (e as PushedEvent<'vault.state'>).data;
      qc.setQueryData(queryKeys.vault, { state });
      // Nothing that needed the unlocked vault may linger on screen after it locks.
      if (state !== 'unlocked') qc.removeQueries({ queryKey: queryKeys.wallets });
      return;
    }
    case 'wallets.balance': {
      const { ticker, balance } = (e as PushedEvent<'wallets.balance'>).data;
      qc.setQueryData(queryKeys.walletBalance(ticker), balance);
      qc.setQueryData<WalletList>(queryKeys.walletList, (list) =>
        list?.map((w) => (w.ticker === ticker ? { ...w, balance } : w)),
      );
      void qc.invalidateQueries({ queryKey: queryKeys.walletUtxos(ticker) });
      return;
    }
    case 'wallets.changed': {
      const { ticker } = (e as PushedEvent<'wallets.changed'>).data;
      void qc.invalidateQueries({ queryKey: queryKeys.walletList });
      void qc.invalidateQueries({ queryKey: queryKeys.wallet(ticker) });
      return;
    }
    case 'p2p.peers':
      void qc.invalidateQueries({ queryKey: queryKeys.p2pPeers });
      return;
    case 'swap.updated': {
      const swap = (e as PushedEvent<'swap.updated'>).data;
      qc.setQueryData<SwapList>(queryKeys.swapList, (list) => (list ? upsertSwap(list, swap) : list));
      // The summary part is current at once; locks, transactions and the timeline come with a refetch.
      qc.setQueryData<Result<'swaps.get'>>(queryKeys.swapDetail(swap.swapId), (d) => (d ? { ...d, ...swap } : d));
      void qc.invalidateQueries({ queryKey: queryKeys.swapDetail(swap.swapId) });
      return;
    }
  }
}
