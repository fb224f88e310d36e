// Pushed node events → react-query cache. This is what keeps the screen current without
// polling: values that arrive in the event are written in place, the rest is invalidated.
import type { QueryClient } from '@tanstack/react-query';
import type { EventName, PushedEvent, Result } from '../../src-shared/api/contract.ts';
import { queryKeys } from './queries.ts';

type WalletList = Result<'wallets.list'>;

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
      qc.setQueryData<WalletList>(queryKeys.walletList, (list) => list?.map((w) => (w.ticker === ticker ? { ...w, balance } : w)));
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
  }
}
