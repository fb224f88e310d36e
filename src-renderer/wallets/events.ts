// Wallet events → the wallets' cache: a pushed balance is written in place (the list, the coin's
// balance, the balances of every wallet), a changed wallet is refetched, and nothing that needed
// the unlocked vault stays on screen after it locks.
import { partialMatchKey } from '@tanstack/react-query';
import type { FeatureEventsFactory } from '../api/events.ts';
import type { Result } from '../../src-shared/api/contract.ts';
import { walletKeys } from './queries.ts';

type WalletList = Result<'wallets.list'>;
type Balances = Result<'wallets.balances'>;

export const walletsEvents: FeatureEventsFactory = ({ qc }) => ({
  on: {
    'vault.state': ({ state }) => {
      if (state === 'unlocked') return;
      // The coin table needs no vault: it stays, so amounts keep their decimals after an unlock.
      qc.removeQueries({ queryKey: walletKeys.all, predicate: (q) => !partialMatchKey(q.queryKey, walletKeys.coins) });
    },
    'wallets.balance': ({ ticker, balance }) => {
      qc.setQueryData(walletKeys.balance(ticker), balance);
      qc.setQueryData<WalletList>(walletKeys.list, (list) =>
        list?.map((w) => (w.ticker === ticker ? { ...w, balance } : w)),
      );
      // Only coins the node listed: a balance is never invented for a wallet it did not report.
      qc.setQueryData<Balances>(walletKeys.balances, (all) =>
        all && ticker in all ? { ...all, [ticker]: balance } : all,
      );
      void qc.invalidateQueries({ queryKey: walletKeys.utxos(ticker) });
    },
    'wallets.changed': ({ ticker }) => {
      void qc.invalidateQueries({ queryKey: walletKeys.list });
      void qc.invalidateQueries({ queryKey: walletKeys.coin(ticker) });
      void qc.invalidateQueries({ queryKey: walletKeys.balances });
    },
  },
});
