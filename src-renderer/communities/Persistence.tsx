// Where a community's encrypted messages are kept, as its owner chooses at creation and in its
// settings: relayed only, or kept a while by storage nodes the owner picks.
import { useQuery } from '@tanstack/react-query';
import type { Result } from '../../src-shared/api/contract.ts';
import type { Persistence } from '../../src-shared/communities/descriptor.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { TextField } from '../components/fields.tsx';
import { communityQueries } from './queries.ts';

type StorageOffer = Result<'communities.storageNodes'>[number];

/** Relay (nobody keeps messages) or store (chosen storage nodes keep the ciphertext for a while). */
export function PersistenceChoice(props: { value: Persistence; onChange: (p: Persistence) => void }) {
  const api = useApi();
  const nodes = useQuery(communityQueries(api).storageNodes());
  const offers = nodes.data ?? [];
  const v = props.value;
  const chosen = v.mode === 'store' ? new Set(v.nodes.map((n) => n.peerId)) : new Set<string>();
  const retention = v.mode === 'store' ? v.retentionDays : 30;
  const store = (peerIds: ReadonlySet<string>, days: number) => {
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
        <StoreOptions offers={offers} chosen={chosen} retention={retention} onChange={store} />
      ) : null}
    </fieldset>
  );
}

/** The storage nodes to keep the messages on, and for how long. */
function StoreOptions(props: {
  offers: readonly StorageOffer[];
  chosen: ReadonlySet<string>;
  retention: number;
  onChange: (peerIds: ReadonlySet<string>, days: number) => void;
}) {
  const { offers, chosen, retention } = props;
  const store = props.onChange;
  return (
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
  );
}
