// The profile page of any DID: the card, the DID with copy and QR, verification in words, linked
// assets and domains, the trading record; for our own identities also delete, recreate, private
// metadata and whether our orders show it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { IdentityView } from '../../src-shared/identity/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href, navigate } from '../app/routes.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { LinksSection } from './Links.tsx';
import { MetadataSection } from './Metadata.tsx';
import { ProfileCard } from './ProfileCard.tsx';
import { Qr } from './Qr.tsx';
import { identityKeys, identityQueries } from './queries.ts';
import { verificationWords } from './words.ts';

export function ProfilePage(props: { did: string }) {
  const api = useApi();
  const one = useQuery(identityQueries(api).one(props.did));
  if (one.isPending) return <p className="muted">Looking up {props.did}…</p>;
  if (one.isError) {
    return (
      <section className="stack" data-testid="identity-not-found">
        <a className="back-link" href={href('identity')}>
          ← Identity
        </a>
        <ErrorNote error={one.error} title={`No profile for ${props.did}`} />
        <p className="muted">This node and its peers hold no profile for it. It may never have been published.</p>
      </section>
    );
  }
  return <Profile view={one.data} />;
}

function Profile(props: { view: IdentityView }) {
  const v = props.view;
  const [qr, setQr] = useState(false);
  return (
    <section className="stack" data-testid="identity-profile" data-deleted={v.deleted}>
      <a className="back-link" href={href('identity')}>
        ← Identity
      </a>
      <div className="panel stack">
        <div className="profile-top">
          <ProfileCard
            address={v.address}
            profile={v.profile}
            deleted={v.deleted}
            size="large"
            showDid={false}
            testId="identity-card"
          />
          <div className="profile-badges">
            {v.mine ? <span className="badge badge-info">yours{v.label ? ` · ${v.label}` : ''}</span> : null}
            {v.deleted ? (
              <span className="badge badge-error" data-testid="identity-deleted-badge">
                deleted
              </span>
            ) : (
              <span className="badge badge-ok" data-testid="identity-verified-badge">
                signature valid
              </span>
            )}
          </div>
        </div>
        <div className="with-copy">
          <span className="mono break" data-testid="identity-did">
            {v.did}
          </span>
          <CopyButton text={v.did} what="DID" testId="identity-did-copy" />
          <button
            type="button"
            className="btn btn-small btn-ghost"
            onClick={() => setQr(!qr)}
            data-testid="identity-qr-toggle"
          >
            {qr ? 'Hide QR' : 'QR code'}
          </button>
        </div>
        {qr ? <Qr text={v.did} label={`QR code of ${v.did}`} testId="identity-qr" /> : null}
        {!v.deleted && (v.profile.email || v.profile.url) ? (
          <dl className="facts">
            {v.profile.email ? (
              <>
                <dt>Email</dt>
                <dd>{v.profile.email}</dd>
              </>
            ) : null}
            {v.profile.url ? (
              <>
                <dt>Website</dt>
                <dd className="break">{v.profile.url}</dd>
              </>
            ) : null}
          </dl>
        ) : null}
        {v.mine ? <OwnActions view={v} /> : null}
      </div>
      <div className="panel stack" data-testid="identity-verification">
        <h2>Verification</h2>
        <ul className="words">
          {verificationWords(v).map((s) => (
            <li key={s.text} className={`word word-${s.tone}`}>
              {s.text}
            </li>
          ))}
        </ul>
      </div>
      {v.deleted ? null : <LinksSection did={v.did} mine={v.mine} deleted={v.deleted} />}
      <TradingRecord did={v.did} />
      {v.mine && !v.deleted ? <MetadataSection did={v.did} /> : null}
    </section>
  );
}

function OwnActions(props: { view: IdentityView }) {
  const api = useApi();
  const qc = useQueryClient();
  const v = props.view;
  const [confirming, setConfirming] = useState(false);
  const orders = useQuery(identityQueries(api).orders());
  const onOrders = useMutation({
    mutationFn: (did: string | null) => api.call('identity.orders.set', { did }),
    onSuccess: (r) => qc.setQueryData(identityKeys.orders, r),
  });
  const shown = orders.data?.did === v.did;
  if (v.deleted) {
    return (
      <div className="actions">
        <a className="btn btn-primary" href={href('identity', 'recreate', v.did)} data-testid="identity-recreate">
          Recreate
        </a>
      </div>
    );
  }
  return (
    <div className="stack">
      <div className="actions">
        <a className="btn" href={href('identity', 'edit', v.did)} data-testid="identity-edit">
          Edit
        </a>
        <button
          type="button"
          className="btn btn-danger"
          onClick={() => setConfirming(true)}
          data-testid="identity-delete"
        >
          Delete…
        </button>
      </div>
      <label className="check" data-testid="identity-on-orders">
        <input
          type="checkbox"
          checked={shown}
          disabled={onOrders.isPending}
          onChange={(e) => onOrders.mutate(e.target.checked ? v.did : null)}
        />
        <span>
          Show this identity on my orders.{' '}
          <span className="muted">
            Off by default: with it, anyone who sees your orders can tie them to this profile and its linked addresses.
          </span>
        </span>
      </label>
      {onOrders.isError ? <ErrorNote error={onOrders.error} /> : null}
      {confirming ? <ConfirmDelete did={v.did} onClose={() => setConfirming(false)} /> : null}
    </div>
  );
}

/** What deleting an identity does and cannot do, asked before it is done. */
function ConfirmDelete(props: { did: string; onClose: () => void }) {
  const api = useApi();
  const qc = useQueryClient();
  const remove = useMutation({
    mutationFn: () => api.call('identity.delete', { did: props.did }),
    onSuccess: (r) => {
      qc.setQueryData(identityKeys.one(props.did), r);
      props.onClose();
    },
  });
  return (
    <div
      className="note note-warn stack"
      role="alertdialog"
      aria-label="Delete this identity"
      data-testid="identity-delete-confirm"
    >
      <p className="note-title">Delete this identity?</p>
      <p>
        Your node publishes a deletion signed with this identity’s key. Every Hashlock node that hears of it stops
        showing the profile, its links and its private data, and never takes the old profile back. But anyone who copied
        the profile before (a screenshot, another registry, a cache) may still have it: a deletion cannot recall copies.
      </p>
      <p>You can recreate the identity later under the same DID.</p>
      <div className="actions">
        <button
          type="button"
          className="btn btn-danger"
          onClick={() => remove.mutate()}
          disabled={remove.isPending}
          data-testid="identity-delete-yes"
        >
          {remove.isPending ? 'Deleting…' : 'Delete it'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={props.onClose}>
          Keep it
        </button>
      </div>
      {remove.isError ? <ErrorNote error={remove.error} /> : null}
    </div>
  );
}

function TradingRecord(props: { did: string }) {
  const api = useApi();
  const r = useQuery(identityQueries(api).record(props.did));
  if (!r.data) return null;
  const d = r.data;
  const total = d.completedAsMaker + d.completedAsTaker;
  return (
    <div className="panel stack" data-testid="identity-record">
      <h2>Trading record</h2>
      {d.orderKeys.length === 0 ? (
        <p className="muted">This identity has never been shown on orders (its owner did not choose to).</p>
      ) : (
        <dl className="facts">
          <dt>Completed swaps</dt>
          <dd>
            {total} ({d.completedAsMaker} as maker, {d.completedAsTaker} as taker), {d.verifiedOnChain} checked on chain
            by this node
          </dd>
          <dt>Refunded swaps with you</dt>
          <dd>{d.refundsWithUs}</dd>
          <dt>Last trade</dt>
          <dd>{d.lastTradeAt ? new Date(d.lastTradeAt).toLocaleString() : '—'}</dd>
        </dl>
      )}
      <p className="muted small">
        From the countersigned trade records this node holds; a record cannot be made up by either side alone.
      </p>
    </div>
  );
}

export function openProfile(text: string): boolean {
  const t = text.trim();
  const did = t.startsWith('did:is:') ? t : /^P[1-9A-HJ-NP-Za-km-z]{25,39}$/.test(t) ? `did:is:${t}` : null;
  if (!did) return false;
  navigate(href('identity', 'did', did));
  return true;
}
