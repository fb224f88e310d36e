// The owner's settings: name and description, who may invite, and where messages are kept
// (relay only, or storage nodes with a retention). Each change is a new signed descriptor
// committed to the group, so every member sees it and the storage nodes follow.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Persistence } from '../../src-shared/communities/descriptor.ts';
import type { CommunityDetail } from '../../src-shared/communities/views.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextArea, TextField } from '../components/fields.tsx';
import { PersistenceChoice } from './Persistence.tsx';
import { communityKeys } from './queries.ts';

type Invite = CommunityDetail['invite'];

export function Settings(props: { d: CommunityDetail }) {
  const api = useApi();
  const qc = useQueryClient();
  const d = props.d;
  const [name, setName] = useState(d.name);
  const [description, setDescription] = useState(d.description);
  const [invite, setInvite] = useState<Invite>(d.invite);
  const [persistence, setPersistence] = useState<Persistence>(d.persistenceDetail);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: async () => {
      if (name !== d.name || description !== d.description || invite !== d.invite)
        await api.call('communities.update', { id: d.id, name: name.trim(), description, invite });
      if (JSON.stringify(persistence) !== JSON.stringify(d.persistenceDetail))
        await api.call('communities.setPersistence', { id: d.id, persistence });
    },
    onSuccess: () => {
      setSaved(true);
      void qc.invalidateQueries({ queryKey: communityKeys.one(d.id) });
      void qc.invalidateQueries({ queryKey: communityKeys.list });
    },
  });
  return (
    <form
      className="panel panel-pad stack cm-settings"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        save.mutate();
      }}
      data-testid="cm-settings"
    >
      <TextField label="Name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} required />
      <TextArea
        label="Description"
        value={description}
        maxLength={2000}
        rows={3}
        onChange={(e) => setDescription(e.target.value)}
      />
      <fieldset className="field">
        <legend>Who may invite</legend>
        <div className="segmented">
          {(['owner', 'admins', 'members'] as const).map((v) => (
            <label key={v} className="segmented-option">
              <input type="radio" name="invite" checked={invite === v} onChange={() => setInvite(v)} />
              <span>{v === 'owner' ? 'Only me' : v === 'admins' ? 'Admins' : 'Every member'}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <PersistenceChoice value={persistence} onChange={setPersistence} />
      <p className="muted">
        Switching to relay only tells the storage nodes to keep nothing new; what they hold runs out with its retention.
      </p>
      {save.isError ? <ErrorNote error={save.error} title="Not saved." /> : null}
      {saved ? (
        <p className="note note-ok" role="status">
          Saved: every member now has the new settings.
        </p>
      ) : null}
      <div className="cm-actions">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={save.isPending || !name.trim()}
          data-testid="cm-save"
        >
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
