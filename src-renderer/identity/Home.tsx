// The Identity page: our identities and everything linked to them across chains (the portal),
// a search over the registry by name, DID or address, and how replication is doing.
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { IdentityView, LinkView } from '../../src-shared/identity/contract.ts';
import { addDecimal } from '../format/decimal.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href } from '../app/routes.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { TextField } from '../components/fields.tsx';
import { openProfile } from './Profile.tsx';
import { ProfileCard } from './ProfileCard.tsx';
import { identityQueries } from './queries.ts';

/** Balances of every live account link, summed per coin. */
export function totalsByCoin(links: readonly LinkView[]): Array<{ ticker: string; amount: string; addresses: number }> {
  const totals = new Map<string, { amount: string; addresses: number }>();
  for (const l of links) {
    if (l.removed || l.kind !== 'account') continue;
    for (const b of l.check.balances) {
      const t = totals.get(b.ticker) ?? { amount: '0', addresses: 0 };
      totals.set(b.ticker, { amount: addDecimal(t.amount, b.amount), addresses: t.addresses + 1 });
    }
  }
  return [...totals].map(([ticker, t]) => ({ ticker, ...t })).sort((a, b) => a.ticker.localeCompare(b.ticker));
}

function Mine() {
  const api = useApi();
  const mine = useQuery(identityQueries(api).mine());
  const items = mine.data?.items ?? [];
  const links = useQueries({
    queries: items.filter((i) => !i.deleted).map((i) => identityQueries(api).links(i.did)),
  });
  const all = links.flatMap((q) => q.data?.links ?? []);
  const totals = totalsByCoin(all);
  return (
    <div className="panel stack" data-testid="identity-mine">
      <div className="panel-head">
        <h2>Your identities</h2>
        <a className="btn btn-primary" href={href('identity', 'new')} data-testid="identity-new">
          New identity
        </a>
      </div>
      {mine.isError ? <ErrorNote error={mine.error} /> : null}
      {mine.isSuccess && items.length === 0 ? (
        <p className="muted" data-testid="identity-none">
          You have no identity yet. An identity is a name others can check: a profile signed with a key from your vault,
          which you can link to your addresses on any chain and show on your orders.
        </p>
      ) : null}
      <ul className="identity-list">
        {items.map((v) => (
          <MineRow key={v.did} view={v} links={all.filter((l) => l.did === v.did)} />
        ))}
      </ul>
      {totals.length > 0 ? (
        <div className="stack" data-testid="identity-portal">
          <h3>All your linked assets</h3>
          <table className="table">
            <thead>
              <tr>
                <th>Coin</th>
                <th className="num">Held now</th>
                <th className="num">Addresses</th>
              </tr>
            </thead>
            <tbody>
              {totals.map((t) => (
                <tr key={t.ticker} data-testid={`identity-total-${t.ticker}`}>
                  <td>{t.ticker}</td>
                  <td className="num mono">{t.amount}</td>
                  <td className="num">{t.addresses}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">
            Counted where this node has the chain; links on other chains are listed on each identity.
          </p>
        </div>
      ) : null}
    </div>
  );
}

function MineRow(props: { view: IdentityView; links: LinkView[] }) {
  const v = props.view;
  const live = props.links.filter((l) => !l.removed);
  const chains = [...new Set(live.map((l) => (l.kind === 'domain' ? 'web' : (l.chain ?? 'other'))))];
  return (
    <li className="identity-row">
      <a href={href('identity', 'did', v.did)} className="identity-row-link" data-testid={`identity-mine-${v.address}`}>
        <ProfileCard address={v.address} profile={v.profile} deleted={v.deleted} />
      </a>
      <div className="identity-row-meta">
        {v.label ? <span className="badge">{v.label}</span> : null}
        {v.deleted ? <span className="badge badge-error">deleted</span> : null}
        <span className="muted small">
          {live.length === 0 ? 'nothing linked' : `${live.length} linked (${chains.join(', ')})`}
        </span>
      </div>
    </li>
  );
}

function Search() {
  const api = useApi();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const found = useQuery({ ...identityQueries(api).search(query), enabled: query !== '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!openProfile(text)) setQuery(text.trim());
  };
  return (
    <form className="panel stack" onSubmit={submit} noValidate data-testid="identity-search">
      <h2>Find an identity</h2>
      <div className="inline-form">
        <TextField
          label="Name, DID (did:is:P…) or address"
          testId="identity-search-input"
          value={text}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="btn" data-testid="identity-search-go">
          Find
        </button>
      </div>
      {found.isError ? <ErrorNote error={found.error} /> : null}
      {found.data ? (
        found.data.items.length === 0 ? (
          <p className="muted">No identity on this node matches “{query}”.</p>
        ) : (
          <ul className="identity-list">
            {found.data.items.map((v) => (
              <li key={v.did} className="identity-row">
                <a
                  href={href('identity', 'did', v.did)}
                  className="identity-row-link"
                  data-testid={`identity-found-${v.address}`}
                >
                  <ProfileCard address={v.address} profile={v.profile} deleted={v.deleted} />
                </a>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </form>
  );
}

function Sync() {
  const api = useApi();
  const s = useQuery(identityQueries(api).sync());
  if (!s.data) return null;
  return (
    <p className="muted small" data-testid="identity-sync">
      This node holds {s.data.records} identity records
      {s.data.lastSyncAt ? `, last caught up with a peer at ${new Date(s.data.lastSyncAt).toLocaleTimeString()}` : ''}.
      {s.data.lastError ? ` Last problem: ${s.data.lastError}` : ''}
    </p>
  );
}

export function IdentityHome() {
  return (
    <section className="stack" data-testid="identity-home">
      <PageHeader
        title="Identity"
        description="Decentralized identities (did:is): profiles signed with keys from your vault, kept by every Hashlock node, checkable by anyone."
      />
      <Mine />
      <Search />
      <Sync />
    </section>
  );
}
