// Creating, editing and recreating one of our identities, with a live preview of the card others
// will see. Fields are checked by the same pure rules the node signs with, before anything is sent.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { IdentityView } from '../../src-shared/identity/contract.ts';
import { isIdentityError } from '../../src-shared/identity/errors.ts';
import { PROFILE_LIMITS, buildProfilePayload, type ProfileFields } from '../../src-shared/identity/profile.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href, navigate } from '../app/routes.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { TextField } from '../components/fields.tsx';
import { avatarFromFile } from './avatar-image.ts';
import { ProfileCard } from './ProfileCard.tsx';
import { identityKeys, identityQueries } from './queries.ts';

type Draft = Record<'name' | 'shortname' | 'alias' | 'title' | 'email' | 'url', string> & { image: string | null };
const TEXT = ['name', 'shortname', 'alias', 'title', 'email', 'url'] as const;
const LABELS: Record<(typeof TEXT)[number], string> = {
  name: 'Name',
  shortname: 'Short name',
  alias: 'Alias',
  title: 'Title',
  email: 'Email',
  url: 'Website (https://…)',
};
// Any valid did:is DID: the draft is checked with the node's own writer before we know ours.
const SAMPLE_DID = 'did:is:PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP';

function draftOf(v: IdentityView | undefined): Draft {
  const p = v?.profile;
  return {
    name: p?.name ?? '',
    shortname: p?.shortname ?? '',
    alias: p?.alias ?? '',
    title: p?.title ?? '',
    email: p?.email ?? '',
    url: p?.url ?? '',
    image: p?.image ?? null,
  };
}

function fieldsOf(d: Draft, hubs: string[] | null): ProfileFields {
  const t = (s: string) => (s.trim() === '' ? null : s.trim());
  return {
    name: t(d.name),
    shortname: t(d.shortname),
    alias: t(d.alias),
    title: t(d.title),
    email: t(d.email),
    url: t(d.url),
    image: d.image,
    hubs,
  };
}

/** The reason the node's writer would refuse these fields, or null. */
function problem(fields: ProfileFields): { field?: string; message: string } | null {
  try {
    buildProfilePayload(SAMPLE_DID, 1, fields);
    return null;
  } catch (err) {
    if (isIdentityError(err)) {
      return { field: err.details.field as string | undefined, message: err.message };
    }
    return { message: String(err) };
  }
}

/** Publishes the profile (created, updated or recreated), then the label if it changed, and opens the identity. */
function useSave(
  props: { mode: 'create' | 'edit' | 'recreate'; did?: string },
  fields: ProfileFields,
  labelValue: string,
  storedLabel: string | null | undefined,
) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const profile = fields;
      if (props.mode === 'create') return api.call('identity.create', { label: labelValue || null, profile });
      const did = props.did!;
      const view =
        props.mode === 'edit'
          ? await api.call('identity.update', { did, profile })
          : await api.call('identity.recreate', { did, profile });
      if ((storedLabel ?? '') !== labelValue) await api.call('identity.label', { did, label: labelValue || null });
      return view;
    },
    onSuccess: (view) => {
      void qc.invalidateQueries({ queryKey: identityKeys.did(view.did) });
      void qc.invalidateQueries({ queryKey: identityKeys.mine });
      navigate(href('identity', 'did', view.did));
    },
  });
}

export function IdentityEditor(props: { mode: 'create' | 'edit' | 'recreate'; did?: string }) {
  const api = useApi();
  const current = useQuery({ ...identityQueries(api).one(props.did ?? ''), enabled: props.did !== undefined });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [label, setLabel] = useState<string | null>(null);
  const d = draft ?? draftOf(props.mode === 'edit' ? current.data : undefined);
  const hubs = props.mode === 'edit' ? (current.data?.profile.hubs ?? null) : null;
  const fields = fieldsOf(d, hubs);
  const wrong = problem(fields);
  const labelValue = label ?? current.data?.label ?? '';

  const save = useSave(props, fields, labelValue, current.data?.label);

  const set = (k: keyof Draft, v: string | null) => {
    setDraft({ ...d, [k]: v });
    if (!save.isPending) save.reset();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!wrong) save.mutate();
  };

  const title =
    props.mode === 'create' ? 'New identity' : props.mode === 'edit' ? 'Edit identity' : 'Recreate identity';
  return (
    <section data-testid="identity-editor">
      <PageHeader
        title={title}
        description={
          props.mode === 'recreate'
            ? 'This identity was deleted. Publishing a new profile brings it back under the same DID; what was linked to it before stays removed.'
            : 'Everything but the label is public: it is signed with this identity’s key and copied to every Hashlock node.'
        }
      />
      <div className="two-col">
        <form className="panel stack" onSubmit={submit} noValidate>
          <TextField
            label="Label (only on this device)"
            testId="identity-label"
            value={labelValue}
            maxLength={64}
            onChange={(e) => setLabel(e.target.value)}
            hint="Your own name for it, e.g. “shop” or “personal”. Never published."
          />
          {TEXT.map((k) => (
            <TextField
              key={k}
              label={LABELS[k]}
              testId={`identity-field-${k}`}
              value={d[k]}
              maxLength={PROFILE_LIMITS[k]}
              onChange={(e) => set(k, e.target.value)}
              error={wrong?.field === k ? wrong.message : null}
            />
          ))}
          <PictureField image={d.image} onImage={(image) => set('image', image)} />
          {wrong && !wrong.field ? (
            <div className="field-error" role="alert">
              {wrong.message}
            </div>
          ) : null}
          {save.isError ? <ErrorNote error={save.error} testId="identity-save-error" /> : null}
          <div className="actions">
            <button
              type="submit"
              className="btn btn-primary"
              disabled={wrong !== null || save.isPending}
              data-testid="identity-publish"
            >
              {save.isPending ? 'Publishing…' : 'Sign and publish'}
            </button>
            <a className="btn btn-ghost" href={props.did ? href('identity', 'did', props.did) : href('identity')}>
              Cancel
            </a>
          </div>
        </form>
        <Preview did={props.did} fields={fields} />
      </div>
    </section>
  );
}

/** The avatar, made small enough for the signed profile, or an error that says why not. */
function PictureField(props: { image: string | null; onImage: (image: string | null) => void }) {
  const [imageError, setImageError] = useState<string | null>(null);
  const pick = async (file: File | undefined) => {
    setImageError(null);
    if (!file) return;
    try {
      props.onImage(await avatarFromFile(file));
    } catch (err) {
      setImageError((err as Error).message);
    }
  };
  return (
    <div className="field">
      <label htmlFor="identity-avatar">Picture</label>
      <div className="inline-form">
        <input
          id="identity-avatar"
          type="file"
          accept="image/png,image/jpeg,image/gif,image/webp"
          data-testid="identity-avatar-file"
          onChange={(e) => void pick(e.target.files?.[0])}
        />
        {props.image ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => props.onImage(null)}
            data-testid="identity-avatar-remove"
          >
            Remove picture
          </button>
        ) : null}
      </div>
      <div className="field-hint">Made small (at most 64 × 64) so it fits in the signed profile.</div>
      {imageError ? (
        <div className="field-error" role="alert" data-testid="identity-avatar-error">
          {imageError}
        </div>
      ) : null}
    </div>
  );
}

/** The card others will see, with the email and website under it. */
function Preview(props: { did: string | undefined; fields: ProfileFields }) {
  const fields = props.fields;
  return (
    <div className="panel stack" data-testid="identity-preview">
      <h2>Preview</h2>
      <p className="muted small">This is how others will see it.</p>
      <ProfileCard address={props.did?.slice(7) ?? 'P…'} profile={fields} size="large" testId="identity-preview-card" />
      {fields.email || fields.url ? (
        <dl className="facts">
          {fields.email ? (
            <>
              <dt>Email</dt>
              <dd>{fields.email}</dd>
            </>
          ) : null}
          {fields.url ? (
            <>
              <dt>Website</dt>
              <dd className="break">{fields.url}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
    </div>
  );
}
