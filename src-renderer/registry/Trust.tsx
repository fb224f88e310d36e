// Manage trust: state friendship, one-way trust or language-scoped trust from one of our
// identities, revoke it, see who trusts us, and ask who we trust for a language within a depth.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { TrustView } from '../../src-shared/registry/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href } from '../app/routes.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextField } from '../components/fields.tsx';
import { identityQueries } from '../identity/index.ts';
import { registryKeys, registryQueries } from './queries.ts';

function Edge(props: { t: TrustView; who: 'subject' | 'signer'; onRevoke?: () => void }) {
  const did = props.who === 'subject' ? props.t.subject : props.t.signer;
  return (
    <li data-testid="registry-trust-edge">
      <a href={href('identity', 'did', did)}>{props.who === 'subject' ? (props.t.subjectName ?? did) : did}</a>{' '}
      <span className="badge">{props.t.mutual ? 'friends' : props.t.level}</span>{' '}
      <span className="muted">{props.t.languages ? `for ${props.t.languages.join(', ')}` : 'for every language'}</span>
      {props.onRevoke ? (
        <button className="btn btn-ghost" onClick={props.onRevoke}>
          Revoke
        </button>
      ) : null}
    </li>
  );
}

export function TrustPanel() {
  const api = useApi();
  const qc = useQueryClient();
  const mine = useQuery(identityQueries(api).mine());
  const ours = (mine.data?.items ?? []).filter((i) => !i.deleted);
  const list = useQuery(registryQueries(api).trust());
  const [form, setForm] = useState({ subject: '', level: 'trust', languages: '' });
  const did = ours[0]?.did ?? '';
  const set = useMutation({
    mutationFn: (p: { subject: string; level: 'friend' | 'trust' | 'none'; languages: string[] | null }) =>
      api.call('registry.trust.set', { did, ...p }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: registryKeys.trust }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const languages = form.languages.split(/[\s,]+/).filter(Boolean);
    set.mutate({
      subject: form.subject.trim(),
      level: form.level as 'friend' | 'trust',
      languages: languages.length ? languages : null,
    });
  };
  const stated = (list.data?.items ?? []).filter((t) => t.level !== 'none');
  return (
    <div className="stack" data-testid="registry-trust">
      <form className="panel stack" onSubmit={submit}>
        <h2>Trust someone</h2>
        {!did ? <p className="muted">Create an identity to state trust.</p> : null}
        <TextField
          label="Their DID"
          value={form.subject}
          onChange={(e) => setForm({ ...form, subject: e.target.value })}
          placeholder="did:is:…"
          testId="registry-trust-subject"
        />
        <label className="field">
          How
          <select className="input" value={form.level} onChange={(e) => setForm({ ...form, level: e.target.value })}>
            <option value="trust">Trust (one way)</option>
            <option value="friend">Friend (mutual when they say so too)</option>
          </select>
        </label>
        <TextField
          label="Only for these languages"
          hint="Leave empty for every language; es covers es-MX and es-419."
          value={form.languages}
          onChange={(e) => setForm({ ...form, languages: e.target.value })}
          placeholder="es, pt-BR"
        />
        {set.isError ? <ErrorNote error={set.error} /> : null}
        <button
          className="btn btn-primary"
          type="submit"
          disabled={!did || !form.subject.trim() || set.isPending}
          data-testid="registry-trust-save"
        >
          Sign trust statement
        </button>
      </form>
      <TrustLists
        stated={stated}
        trustedBy={list.data?.trustedBy ?? []}
        onRevoke={(subject) => set.mutate({ subject, level: 'none', languages: null })}
      />
      <AskTrust />
    </div>
  );
}

/** The trust our identities stated (each can be revoked), and the trust stated in us. */
function TrustLists(props: {
  stated: readonly TrustView[];
  trustedBy: readonly TrustView[];
  onRevoke: (subject: string) => void;
}) {
  return (
    <div className="panel stack">
      <h2>Whom you trust</h2>
      {props.stated.length === 0 ? <p className="muted">No one yet.</p> : null}
      <ul>
        {props.stated.map((t) => (
          <Edge key={`${t.signer}-${t.subject}`} t={t} who="subject" onRevoke={() => props.onRevoke(t.subject)} />
        ))}
      </ul>
      <h2>Who trusts you</h2>
      <ul>
        {props.trustedBy
          .filter((t) => t.level !== 'none')
          .map((t) => (
            <Edge key={`${t.signer}-${t.subject}`} t={t} who="signer" />
          ))}
      </ul>
    </div>
  );
}

/** Whom we trust for a language, within a depth of the trust graph. */
function AskTrust() {
  const api = useApi();
  const [ask, setAsk] = useState({ language: 'es', depth: '3' });
  const query = useMutation({
    mutationFn: () =>
      api.call('registry.trust.query', { language: ask.language.trim() || undefined, depth: Number(ask.depth) }),
  });
  return (
    <form
      className="panel stack"
      onSubmit={(e) => {
        e.preventDefault();
        query.mutate();
      }}
    >
      <h2>Whom do I trust for…</h2>
      <div className="row">
        <TextField
          label="Language"
          value={ask.language}
          onChange={(e) => setAsk({ ...ask, language: e.target.value })}
        />
        <TextField
          label="Within depth (1–5)"
          type="number"
          min={1}
          max={5}
          value={ask.depth}
          onChange={(e) => setAsk({ ...ask, depth: e.target.value })}
        />
        <button className="btn" type="submit">
          Ask
        </button>
      </div>
      {query.isError ? <ErrorNote error={query.error} /> : null}
      {query.data ? (
        <ul data-testid="registry-trust-reached">
          {query.data.items.length === 0 ? <li className="muted">No one.</li> : null}
          {query.data.items.map((x) => (
            <li key={x.did}>
              {x.name ?? x.did} <span className="muted">depth {x.depth}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
