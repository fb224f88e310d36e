// Which of the user's identities a new community, a join or a direct message is made with: the
// one there is, a choice among several, or — with none published — a note that sends the user to
// the Identity page to make one (the node refuses with details.code no-identity until then).
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import type { IdentityChoice } from '../../src-shared/communities/views.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href } from '../app/routes.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { shortenMiddle } from '../format/text.ts';
import { communityQueries } from './queries.ts';
import { isNoIdentity } from './words.ts';

/** The user's identities that can take part; `ready` once known and not empty. */
export function useIdentities(): { list: readonly IdentityChoice[]; ready: boolean; none: boolean } {
  const api = useApi();
  const q = useQuery(communityQueries(api).identities());
  const list = q.data ?? [];
  return { list, ready: list.length > 0, none: q.isSuccess && list.length === 0 };
}

const label = (i: IdentityChoice) =>
  `${i.name ?? i.label ?? 'Unnamed identity'}${i.label && i.name ? ` (${i.label})` : ''} — ${shortenMiddle(i.did, 14, 4)}`;

/** "You take part as …", a choice when there are several, or the note to create one first. */
export function AsIdentity(props: { value: string; onChange: (did: string) => void }) {
  const id = useId();
  const { list, none } = useIdentities();
  if (none) return <NoIdentity />;
  if (list.length === 0) return null;
  if (list.length === 1)
    return (
      <p className="muted" data-testid="cm-as-identity" data-did={list[0]!.did}>
        You take part as <strong>{label(list[0]!)}</strong>, your published identity.
      </p>
    );
  return (
    <div className="field">
      <label htmlFor={id}>Take part as</label>
      <select
        id={id}
        className="input"
        value={props.value || list[0]!.did}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid="cm-as-identity-select"
      >
        {list.map((i) => (
          <option key={i.did} value={i.did}>
            {label(i)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Members are identities others can look up: without one published, the user makes one first. */
export function NoIdentity() {
  return (
    <div className="note note-info" role="status" data-testid="cm-no-identity">
      <p className="note-title">Create an identity first</p>
      <p>
        In communities and direct messages you take part as one of your published identities, so that others can check
        who you are. You have none yet.
      </p>
      <p>
        <a className="btn btn-primary btn-small" href={href('identity', 'new')} data-testid="cm-create-identity">
          Create an identity
        </a>
      </p>
    </div>
  );
}

/**
 * A failed create, join or message: the identity note when that was the reason (unless `noted`,
 * already on screen), else the error.
 */
export function FormError(props: { error: unknown; title: string; noted: boolean }) {
  if (!isNoIdentity(props.error)) return <ErrorNote error={props.error} title={props.title} />;
  return props.noted ? null : <NoIdentity />;
}
