// Wallets: every coin the node knows, its connection and balances, and the setup wizard.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/ApiProvider.tsx';
import { href, navigate, type PageProps } from '../app/routes.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { walletKeys, walletQueries } from './queries.ts';
import { SetupWizard } from './SetupWizard.tsx';
import { WalletRows } from './WalletRows.tsx';

export function WalletsPage(props: PageProps) {
  const api = useApi();
  const qc = useQueryClient();
  const [flash, setFlash] = useState<string | null>(null);
  const wallets = useQuery(walletQueries(api).list());
  const coins = useQuery(walletQueries(api).coins());

  if (props.rest[0] === 'setup') {
    const ticker = props.rest[1] ?? null;
    return (
      <SetupWizard
        key={ticker ?? ''}
        ticker={ticker}
        onConnected={(summary) => {
          setFlash(`The ${summary.ticker} wallet is connected.`);
          navigate(href('wallets'));
        }}
      />
    );
  }

  const decimalsOf = (ticker: string) => coins.data?.find((c) => c.ticker === ticker)?.decimals ?? 8;
  return (
    <section>
      <PageHeader
        title="Wallets"
        description="Hashlock uses your own coin wallets (Bitcoin Core, Litecoin Core and their forks) to fund swaps and receive coins. Your coins stay in them."
        actions={
          <>
            <button
              type="button"
              className="btn"
              onClick={() => void qc.invalidateQueries({ queryKey: walletKeys.all })}
              data-testid="wallets-refresh"
            >
              Refresh
            </button>
            <a className="btn btn-primary" href={href('wallets', 'setup')} data-testid="wallet-add">
              Set up a wallet
            </a>
          </>
        }
      />
      {flash ? (
        <div className="note note-ok flash" role="status" data-testid="wallets-flash">
          <p>{flash}</p>
          <button
            type="button"
            className="btn btn-small btn-ghost"
            onClick={() => setFlash(null)}
            aria-label="Dismiss message"
          >
            Dismiss
          </button>
        </div>
      ) : null}
      {wallets.isError ? <ErrorNote error={wallets.error} title="The wallet list could not be loaded." /> : null}
      <div className="panel flush">
        <table className="table wallets-table" data-testid="wallets-table">
          <caption className="sr-only">Wallets and balances</caption>
          <thead>
            <tr>
              <th scope="col" className="coin-col">
                Coin
              </th>
              <th scope="col" className="connection-col">
                Connection
              </th>
              <th scope="col" className="num">
                Spendable
              </th>
              <th scope="col" className="num">
                Unconfirmed
              </th>
              <th scope="col" className="num">
                <abbr title="Reserved by your open orders and swaps in progress">Locked</abbr>
              </th>
              <th scope="col" className="actions-col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          {wallets.data?.map((w) => (
            <WalletRows key={w.ticker} wallet={w} decimals={decimalsOf(w.ticker)} />
          ))}
          {wallets.isPending ? (
            <tbody>
              <tr>
                <td colSpan={6} className="muted empty">
                  Loading wallets&hellip;
                </td>
              </tr>
            </tbody>
          ) : wallets.data?.length === 0 ? (
            <tbody>
              <tr>
                <td colSpan={6} className="muted empty">
                  This node knows no coins for its network.
                </td>
              </tr>
            </tbody>
          ) : null}
        </table>
      </div>
    </section>
  );
}
