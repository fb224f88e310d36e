// The forms that open a conversation: create a community (its name, and whether storage nodes
// keep its encrypted messages: Persistence.tsx), join one with an invitation link, and message an
// identity. Each is made as one of the user's published identities (AsIdentity), and needs one to
// exist; OpenForm is the frame they share.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { Persistence } from '../../src-shared/communities/descriptor.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href, navigate } from '../app/routes.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { TextArea, TextField } from '../components/fields.tsx';
import { AsIdentity, FormError, useIdentities } from './AsIdentity.tsx';
import { PersistenceChoice } from './Persistence.tsx';
import { communityKeys } from './queries.ts';

/** The chosen identity, and a mutation that opens the conversation it made. */
function useOpenAs<P extends object>(call: (params: P & { identity?: string }) => Promise<{ id: string }>) {
  const qc = useQueryClient();
  const [identity, setIdentity] = useState('');
  const mutation = useMutation({
    mutationFn: (params: P) => call({ ...params, ...(identity ? { identity } : {}) }),
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: communityKeys.list });
      navigate(href('communities', 'c', c.id));
    },
  });
  return { identity, setIdentity, mutation };
}

/** Header, the form's own fields, "as identity", what went wrong, and the submit button. */
function OpenForm(props: {
  testId: string;
  title: string;
  description: string;
  /** The required field is filled. */
  ready: boolean;
  submit: () => void;
  label: string;
  pendingLabel: string;
  errorTitle: string;
  open: {
    identity: string;
    setIdentity: (did: string) => void;
    mutation: { isPending: boolean; isError: boolean; error: unknown };
  };
  children: ReactNode;
}) {
  const ids = useIdentities();
  const { identity, setIdentity, mutation } = props.open;
  return (
    <form
      className="cm-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (props.ready) props.submit();
      }}
      data-testid={props.testId}
    >
      <PageHeader title={props.title} description={props.description} />
      <div className="panel panel-pad stack">
        {props.children}
        <AsIdentity value={identity} onChange={setIdentity} />
        {mutation.isError ? <FormError error={mutation.error} noted={ids.none} title={props.errorTitle} /> : null}
        <div className="cm-actions">
          <button type="submit" className="btn btn-primary" disabled={!props.ready || ids.none || mutation.isPending}>
            {mutation.isPending ? props.pendingLabel : props.label}
          </button>
        </div>
      </div>
    </form>
  );
}

export function CreateCommunity() {
  const api = useApi();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [persistence, setPersistence] = useState<Persistence>({ mode: 'relay' });
  const open = useOpenAs((p: Record<string, never>) =>
    api.call('communities.create', {
      name: name.trim(),
      ...(description.trim() ? { description: description.trim() } : {}),
      persistence,
      ...p,
    }),
  );
  return (
    <OpenForm
      testId="cm-create"
      title="New community"
      description="You own it: you decide who joins, who may invite and who moderates. Everything posted is encrypted for its members only."
      ready={!!name.trim()}
      submit={() => open.mutation.mutate({})}
      label="Create community"
      pendingLabel="Creating…"
      errorTitle="The community could not be created."
      open={open}
    >
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
    </OpenForm>
  );
}

/** A form of one text field (a link, a DID) that opens a conversation with what it holds. */
function OneFieldForm(props: {
  form: Omit<Parameters<typeof OpenForm>[0], 'ready' | 'submit' | 'open' | 'children'>;
  field: { label: string; placeholder: string; testId: string; initial?: string };
  call: (value: string, identity: { identity?: string }) => Promise<{ id: string }>;
}) {
  const [value, setValue] = useState(props.field.initial ?? '');
  const open = useOpenAs((p: { value: string; identity?: string }) =>
    props.call(p.value, p.identity ? { identity: p.identity } : {}),
  );
  return (
    <OpenForm
      {...props.form}
      ready={!!value.trim()}
      submit={() => open.mutation.mutate({ value: value.trim() })}
      open={open}
    >
      <TextField
        label={props.field.label}
        value={value}
        placeholder={props.field.placeholder}
        onChange={(e) => setValue(e.target.value)}
        testId={props.field.testId}
        className="input mono"
        required
      />
    </OpenForm>
  );
}

export function JoinCommunity(props: { link?: string }) {
  const api = useApi();
  return (
    <OneFieldForm
      form={{
        testId: 'cm-join-form',
        title: 'Join a community',
        description: 'Paste the invitation link you were given. The owner or an admin admits you; the link works once.',
        label: 'Ask to join',
        pendingLabel: 'Asking…',
        errorTitle: 'That link could not be used.',
      }}
      field={{
        label: 'Invitation link',
        placeholder: 'hashlock://community/join#…',
        testId: 'cm-join-link',
        ...(props.link !== undefined ? { initial: props.link } : {}),
      }}
      call={(link, as) => api.call('communities.join', { link, ...as })}
    />
  );
}

export function StartDm() {
  const api = useApi();
  return (
    <OneFieldForm
      form={{
        testId: 'cm-dm-form',
        title: 'Direct message',
        description:
          'A private conversation with one identity, encrypted like a community of two. Their node is found on the network by their DID.',
        label: 'Start conversation',
        pendingLabel: 'Finding their node…',
        errorTitle: 'The conversation could not be started.',
      }}
      field={{ label: 'Their identity (DID)', placeholder: 'did:is:…', testId: 'cm-dm-peer' }}
      call={(peer, as) => api.call('communities.dmStart', { peer, ...as })}
    />
  );
}
