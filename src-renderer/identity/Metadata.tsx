// Private metadata of one of our identities: fields only those given its key can read (a payment
// request carries the key). Sealed and published by the node; withdrawn with a signed removal.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiProvider.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextArea } from '../components/fields.tsx';
import { identityKeys, identityQueries } from './queries.ts';

/** `key: value` lines to fields; blank lines skipped. */
export function parseFields(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const i = line.indexOf(':');
    if (i <= 0) return `“${line.slice(0, 40)}” is not “name: value”`;
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

export function MetadataSection(props: { did: string }) {
  const api = useApi();
  const qc = useQueryClient();
  const meta = useQuery(identityQueries(api).metadata(props.did));
  const [text, setText] = useState<string | null>(null);
  const current = meta.data?.fields
    ? Object.entries(meta.data.fields)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n')
    : '';
  const value = text ?? current;
  const parsed = parseFields(value);
  const refresh = () => {
    setText(null);
    void qc.invalidateQueries({ queryKey: identityKeys.metadata(props.did) });
  };
  const set = useMutation({
    mutationFn: (fields: Record<string, string>) => api.call('identity.metadata.set', { did: props.did, fields }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: () => api.call('identity.metadata.remove', { did: props.did }),
    onSuccess: refresh,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (typeof parsed !== 'string') set.mutate(parsed);
  };
  return (
    <form className="panel stack" onSubmit={submit} noValidate data-testid="identity-metadata">
      <h2>Private details</h2>
      <p className="muted small">
        Encrypted before they leave this node: only someone you give the key to (for example in a payment request) can
        read them. Publishing again makes a new key; a key already given out still opens copies made before.
      </p>
      <TextArea
        label="One “name: value” per line"
        rows={4}
        className="input mono"
        value={value}
        onChange={(e) => setText(e.target.value)}
        error={typeof parsed === 'string' ? parsed : null}
        testId="identity-metadata-text"
      />
      {meta.data?.identityKey ? (
        <div className="with-copy small">
          <span className="muted">Key:</span> <span className="mono break">{meta.data.identityKey}</span>
          <CopyButton text={meta.data.identityKey} what="key" />
        </div>
      ) : null}
      {set.isError ? <ErrorNote error={set.error} /> : null}
      {remove.isError ? <ErrorNote error={remove.error} /> : null}
      <div className="actions">
        <button type="submit" className="btn" disabled={typeof parsed === 'string' || set.isPending}>
          Encrypt and publish
        </button>
        {meta.data?.published ? (
          <button type="button" className="btn btn-ghost" onClick={() => remove.mutate()} disabled={remove.isPending}>
            Withdraw
          </button>
        ) : null}
      </div>
    </form>
  );
}
