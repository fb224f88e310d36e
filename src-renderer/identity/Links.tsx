// An identity's linked assets, grouped by chain with what this node verified (signatures always,
// balances where it has the chain), and its linked domains; for our own identities, the forms
// that link a wallet address or a domain and remove links.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import type { LinkView } from '../../src-shared/identity/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextField } from '../components/fields.tsx';
import { walletQueries } from '../wallets/index.ts';
import { identityKeys, identityQueries } from './queries.ts';
import { byChain, linkWords, type Sentence } from './words.ts';

function Words(props: { sentences: Sentence[] }) {
  return (
    <ul className="words">
      {props.sentences.map((s) => (
        <li key={s.text} className={`word word-${s.tone}`}>
          {s.text}
        </li>
      ))}
    </ul>
  );
}

function LinkRow(props: { link: LinkView; mine: boolean }) {
  const api = useApi();
  const qc = useQueryClient();
  const l = props.link;
  const remove = useMutation({
    mutationFn: () => api.call('identity.links.remove', { did: l.did, target: l.target }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: identityKeys.did(l.did) }),
  });
  const badge = l.removed ? (
    <span className="badge">removed</span>
  ) : l.check.state === 'verified' ? (
    <span className="badge badge-ok">verified</span>
  ) : l.check.state === 'failed' && l.kind === 'domain' ? (
    <span className="badge badge-error">not confirmed</span>
  ) : l.kind === 'account' ? (
    <span className="badge badge-info">signed both ways</span>
  ) : (
    <span className="badge">not checked</span>
  );
  return (
    <li
      className={`link-row${l.removed ? ' link-removed' : ''}`}
      data-testid={`identity-linkrow-${l.address ?? l.target}`}
      data-target={l.address ?? l.target}
    >
      <div className="link-head">
        <span className="mono break">{l.address ?? l.target}</span>
        {badge}
        {l.address ? <CopyButton text={l.address} what="address" /> : null}
        {props.mine && !l.removed ? (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            disabled={remove.isPending}
            onClick={() => remove.mutate()}
          >
            Remove
          </button>
        ) : null}
      </div>
      <Words sentences={linkWords(l)} />
      {l.pkh && !l.removed ? <div className="mono small muted break">{l.pkh}</div> : null}
      {remove.isError ? <ErrorNote error={remove.error} /> : null}
    </li>
  );
}

export function LinksSection(props: { did: string; mine: boolean; deleted: boolean }) {
  const api = useApi();
  const qc = useQueryClient();
  const links = useQuery(identityQueries(api).links(props.did));
  const check = useMutation({
    mutationFn: () => api.call('identity.links.check', { did: props.did }),
    onSuccess: (r) => qc.setQueryData(identityKeys.links(props.did), r),
  });
  const all = links.data?.links ?? [];
  // What this node never checked is checked once when the profile is opened (not on arrival:
  // every node fetching every published domain at once would be a flood).
  const unchecked = all.some((l) => !l.removed && l.check.checkedAt === null);
  const [autoChecked, setAutoChecked] = useState(false);
  useEffect(() => {
    if (!unchecked || autoChecked || check.isPending) return;
    setAutoChecked(true);
    check.mutate();
  }, [unchecked, autoChecked, check]);
  const groups = byChain(all);
  const domains = all.filter((l) => l.kind === 'domain');
  return (
    <div className="panel stack" data-testid="identity-links">
      <div className="panel-head">
        <h2>Linked assets</h2>
        {all.length > 0 ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => check.mutate()}
            disabled={check.isPending}
            data-testid="identity-links-check"
          >
            {check.isPending ? 'Checking…' : 'Check again'}
          </button>
        ) : null}
      </div>
      {links.isError ? <ErrorNote error={links.error} /> : null}
      {check.isError ? <ErrorNote error={check.error} /> : null}
      {all.length === 0 && links.isSuccess ? <p className="muted">No linked addresses or domains.</p> : null}
      {groups.map((g) => (
        <section key={g.chain} className="stack" data-testid={`identity-chain-${g.chain}`}>
          <h3>{g.chain}</h3>
          <ul className="link-list">
            {g.links.map((l) => (
              <LinkRow key={l.target} link={l} mine={props.mine} />
            ))}
          </ul>
        </section>
      ))}
      {domains.length > 0 ? (
        <section className="stack">
          <h3>Domains</h3>
          <ul className="link-list">
            {domains.map((l) => (
              <LinkRow key={l.target} link={l} mine={props.mine} />
            ))}
          </ul>
        </section>
      ) : null}
      {props.mine && !props.deleted ? <LinkForms did={props.did} /> : null}
    </div>
  );
}

function LinkForms(props: { did: string }) {
  return (
    <div className="stack link-forms">
      <LinkWalletForm did={props.did} />
      <LinkDomainForm did={props.did} />
    </div>
  );
}

/** After a link is made, the identity's view is read again. */
function useRelist(did: string) {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: identityKeys.did(did) });
}

/** A connected wallet signs a statement naming the identity, for one of its legacy addresses. */
function LinkWalletForm(props: { did: string }) {
  const api = useApi();
  const wallets = useQuery(walletQueries(api).list());
  const connected = (wallets.data ?? []).filter((w) => w.status === 'connected');
  const [ticker, setTicker] = useState('');
  const [address, setAddress] = useState('');
  const done = useRelist(props.did);
  const linkWallet = useMutation({
    mutationFn: () =>
      api.call('identity.links.wallet', {
        did: props.did,
        ticker: ticker || connected[0]!.ticker,
        ...(address.trim() ? { address: address.trim() } : {}),
      }),
    onSuccess: () => {
      setAddress('');
      done();
    },
  });
  const submitWallet = (e: FormEvent) => {
    e.preventDefault();
    if (connected.length > 0) linkWallet.mutate();
  };
  return (
    <form className="stack" onSubmit={submitWallet} noValidate data-testid="identity-link-wallet-form">
      <h3>Link an address of your wallet</h3>
      <p className="muted small">
        Your wallet signs a statement naming this identity (signmessage), and the identity signs back. Wallets sign
        messages only with legacy addresses (starting with 1, L or m/n): Litecoin Core 0.21 cannot sign with segwit
        addresses (no BIP322). Leave the address empty to have your wallet make a new legacy address for it.
      </p>
      {connected.length === 0 ? <p className="muted">Connect a wallet first (Wallets page).</p> : null}
      <div className="inline-form inline-form-3">
        <div className="field">
          <label htmlFor="identity-link-ticker">Wallet</label>
          <select
            id="identity-link-ticker"
            className="input"
            value={ticker || connected[0]?.ticker || ''}
            onChange={(e) => setTicker(e.target.value)}
            data-testid="identity-link-ticker"
          >
            {connected.map((w) => (
              <option key={w.ticker} value={w.ticker}>
                {w.ticker} — {w.name}
              </option>
            ))}
          </select>
        </div>
        <TextField
          label="Legacy address (optional)"
          testId="identity-link-address"
          className="input mono"
          value={address}
          spellCheck={false}
          onChange={(e) => setAddress(e.target.value)}
        />
        <button
          type="submit"
          className="btn btn-primary"
          disabled={connected.length === 0 || linkWallet.isPending}
          data-testid="identity-link-wallet"
        >
          {linkWallet.isPending ? 'Signing…' : 'Link'}
        </button>
      </div>
      {linkWallet.isError ? <ErrorNote error={linkWallet.error} testId="identity-link-wallet-error" /> : null}
    </form>
  );
}

/** A website the identity claims, and the did-configuration.json that confirms it. */
function LinkDomainForm(props: { did: string }) {
  const api = useApi();
  const [origin, setOrigin] = useState('');
  const done = useRelist(props.did);
  const linkDomain = useMutation({
    mutationFn: async () => {
      const o = origin.trim();
      await api.call('identity.links.domain', { did: props.did, origin: o });
      return api.call('identity.domain.credential', { did: props.did, origin: o });
    },
    onSuccess: done,
  });
  const submitDomain = (e: FormEvent) => {
    e.preventDefault();
    if (origin.trim()) linkDomain.mutate();
  };
  return (
    <form className="stack" onSubmit={submitDomain} noValidate data-testid="identity-link-domain-form">
      <h3>Link a website</h3>
      <div className="inline-form">
        <TextField
          label="Origin"
          testId="identity-link-origin"
          className="input mono"
          placeholder="https://example.com"
          value={origin}
          onChange={(e) => setOrigin(e.target.value)}
        />
        <button type="submit" className="btn" disabled={linkDomain.isPending} data-testid="identity-link-domain">
          Link
        </button>
      </div>
      {linkDomain.isError ? <ErrorNote error={linkDomain.error} /> : null}
      {linkDomain.data ? (
        <div className="note note-info stack">
          <p>
            Serve this file at <span className="mono">{origin.trim()}/.well-known/did-configuration.json</span>; others
            see the website as confirmed once it does.
          </p>
          <pre className="mono small break code-block">{JSON.stringify(linkDomain.data.configuration, null, 2)}</pre>
          <CopyButton text={JSON.stringify(linkDomain.data.configuration, null, 2)} what="did-configuration.json" />
        </div>
      ) : null}
    </form>
  );
}
