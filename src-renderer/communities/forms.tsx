// The forms that open a conversation: create a community (its name, and whether storage nodes
// keep its encrypted messages), join one with an invitation link, and message an identity. Each
// is made as one of the user's published identities (AsIdentity), and needs one to exist.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Persistence } from '../../src-shared/communities/descriptor.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href, navigate } from '../app/routes.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { TextArea, TextField } from '../components/fields.tsx';
import { AsIdentity, FormError, useIdentities } from './AsIdentity.tsx';
import { communityKeys, communityQueries } from './queries.ts';

function useOpen() {
  const qc = useQueryClient();
  return (id: string) => {
    void qc.invalidateQueries({ queryKey: communityKeys.list });
    navigate(href('communities', 'c', id));
  };
}

export function CreateCommunity() {
  const api = useApi();
  const open = useOpen();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [persistence, setPersistence] = useState<Persistence>({ mode: 'relay' });
  const [identity, setIdentity] = useState('');
  const ids = useIdentities();
  const create = useMutation({
    mutationFn: () =>
      api.call('communities.create', {
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        persistence,
        ...(identity ? { identity } : {}),
      }),
    onSuccess: (c) => open(c.id),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate();
  };
  return (
    <form className="cm-form" onSubmit={submit} data-testid="cm-create">
      <PageHeader
        title="New community"
        description="You own it: you decide who joins, who may invite and who moderates. Everything posted is encrypted for its members only."
      />
      <div className="panel panel-pad stack">
        <TextField
          label="Name"
          value={name}
          maxLength={100}
          onChange={(e) => setName(e.target.value)}
          testId="cm-create-name"
          required
        />
        <TextArea
          label="Description"
          hint="Optional. Members see it; nobody else can read it."
          value={description}
          maxLength={2000}
          rows={3}
          onChange={(e) => setDescription(e.target.value)}
          testId="cm-create-description"
        />
        <PersistenceChoice value={persistence} onChange={setPersistence} />
        <AsIdentity value={identity} onChange={setIdentity} />
        {create.isError ? (
          <FormError error={create.error} noted={ids.none} title="The community could not be created." />
        ) : null}
        <div className="cm-actions">
          <button type="submit" className="btn btn-primary" disabled={!name.trim() || ids.none || create.isPending}>
            {create.isPending ? 'Creating…' : 'Create community'}
          </button>
        </div>
      </div>
    </form>
  );
}

/** Relay (nobody keeps messages) or store (chosen storage nodes keep the ciphertext for a while). */
export function PersistenceChoice(props: { value: Persistence; onChange: (p: Persistence) => void }) {
  const api = useApi();
  const nodes = useQuery(communityQueries(api).storageNodes());
  const offers = nodes.data ?? [];
  const v = props.value;
  const chosen = v.mode === 'store' ? new Set(v.nodes.map((n) => n.peerId)) : new Set<string>();
  const retention = v.mode === 'store' ? v.retentionDays : 30;
  const store = (peerIds: Set<string>, days: number) => {
    const picked = offers.filter((o) => peerIds.has(o.peerId)).map((o) => ({ peerId: o.peerId, key: o.key }));
    props.onChange(picked.length > 0 ? { mode: 'store', nodes: picked, retentionDays: days } : { mode: 'relay' });
  };
  return (
    <fieldset className="field cm-persistence" data-testid="cm-persistence">
      <legend>Where messages are kept</legend>
      <label className="choice">
        <input
          type="radio"
          name="persistence"
          checked={v.mode === 'relay'}
          onChange={() => props.onChange({ mode: 'relay' })}
          data-testid="cm-persistence-relay"
        />
        <span className="choice-text">
          <span className="choice-title">Relay only</span>
          <span className="muted">
            Nodes pass encrypted messages on and keep nothing. Members who were offline get what they missed from other
            members.
          </span>
        </span>
      </label>
      <label className="choice">
        <input
          type="radio"
          name="persistence"
          checked={v.mode === 'store'}
          disabled={offers.length === 0}
          onChange={() => store(new Set(offers.slice(0, 1).map((o) => o.peerId)), retention)}
          data-testid="cm-persistence-store"
        />
        <span className="choice-text">
          <span className="choice-title">Keep on storage nodes</span>
          <span className="muted">
            {offers.length === 0
              ? 'No storage node is connected now.'
              : 'The nodes you pick keep the encrypted messages for a while. They cannot read them; they see only sizes and times.'}
          </span>
        </span>
      </label>
      {v.mode === 'store' ? (
        <div className="cm-store-options stack">
          {offers.map((o) => (
            <label key={o.peerId} className="check">
              <input
                type="checkbox"
                checked={chosen.has(o.peerId)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(o.peerId);
                  else next.delete(o.peerId);
                  store(next, retention);
                }}
              />
              <span className="mono">{o.peerId.slice(0, 16)}…</span>
              <span className="muted">
                up to {Math.round(o.quotaBytes / 1048576)} MiB, {o.maxRetentionDays} days
              </span>
            </label>
          ))}
          <TextField
            label="Keep messages for (days)"
            type="number"
            min={1}
            max={3650}
            value={retention}
            className="input narrow"
            onChange={(e) => store(chosen, Math.max(1, Math.min(3650, Number(e.target.value) || 1)))}
            testId="cm-retention"
          />
        </div>
      ) : null}
    </fieldset>
  );
}

export function JoinCommunity(props: { link?: string }) {
  const api = useApi();
  const open = useOpen();
  const [link, setLink] = useState(props.link ?? '');
  const [identity, setIdentity] = useState('');
  const ids = useIdentities();
  const join = useMutation({
    mutationFn: () => api.call('communities.join', { link: link.trim(), ...(identity ? { identity } : {}) }),
    onSuccess: (c) => open(c.id),
  });
  return (
    <form
      className="cm-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (link.trim()) join.mutate();
      }}
      data-testid="cm-join-form"
    >
      <PageHeader
        title="Join a community"
        description="Paste the invitation link you were given. The owner or an admin admits you; the link works once."
      />
      <div className="panel panel-pad stack">
        <TextField
          label="Invitation link"
          value={link}
          placeholder="hashlock://community/join#…"
          onChange={(e) => setLink(e.target.value)}
          testId="cm-join-link"
          className="input mono"
          required
        />
        <AsIdentity value={identity} onChange={setIdentity} />
        {join.isError ? <FormError error={join.error} noted={ids.none} title="That link could not be used." /> : null}
        <div className="cm-actions">
          <button type="submit" className="btn btn-primary" disabled={!link.trim() || ids.none || join.isPending}>
            {join.isPending ? 'Asking…' : 'Ask to join'}
          </button>
        </div>
      </div>
    </form>
  );
}

export function StartDm() {
  const api = useApi();
  const open = useOpen();
  const [peer, setPeer] = useState('');
  const [identity, setIdentity] = useState('');
  const ids = useIdentities();
  const start = useMutation({
    mutationFn: () => api.call('communities.dmStart', { peer: peer.trim(), ...(identity ? { identity } : {}) }),
    onSuccess: (c) => open(c.id),
  });
  return (
    <form
      className="cm-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (peer.trim()) start.mutate();
      }}
      data-testid="cm-dm-form"
    >
      <PageHeader
        title="Direct message"
        description="A private conversation with one identity, encrypted like a community of two. Their node is found on the network by their DID."
      />
      <div className="panel panel-pad stack">
        <TextField
          label="Their identity (DID)"
          value={peer}
          placeholder="did:is:…"
          onChange={(e) => setPeer(e.target.value)}
          testId="cm-dm-peer"
          className="input mono"
          required
        />
        <AsIdentity value={identity} onChange={setIdentity} />
        {start.isError ? (
          <FormError error={start.error} noted={ids.none} title="The conversation could not be started." />
        ) : null}
        <div className="cm-actions">
          <button type="submit" className="btn btn-primary" disabled={!peer.trim() || ids.none || start.isPending}>
            {start.isPending ? 'Finding their node…' : 'Start conversation'}
          </button>
        </div>
      </div>
    </form>
  );
}
