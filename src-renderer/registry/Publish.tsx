// Publish a record: pick a file (uploaded to this node, which then serves it over the network) or
// give a URL (fetched and hashed by the node), fill in what it is, and sign it with an identity.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Params } from '../../src-shared/api/contract.ts';
import { RELATION_TYPES, type RelationType } from '../../src-shared/registry/statements.ts';
import { languageTagProblem } from '../../src-shared/registry/fields.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href, navigate } from '../app/routes.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextField } from '../components/fields.tsx';
import { identityQueries } from '../identity/index.ts';
import { formatBytes } from './words.ts';

const CHUNK = 384 * 1024;

function toB64url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

interface Content {
  hash: string;
  size: number;
  uri: string | null;
  type: string | null;
}

interface Fields {
  name: string;
  language: string;
  licence: string;
  licenceIsText: boolean;
  format: string;
  relType: string;
  relHash: string;
  parties: string;
}

export function Publish() {
  const api = useApi();
  const mine = useQuery(identityQueries(api).mine());
  const ours = (mine.data?.items ?? []).filter((i) => !i.deleted);
  const [did, setDid] = useState('');
  const [content, setContent] = useState<Content | null>(null);
  const [f, setF] = useState<Fields>({
    name: '',
    language: '',
    licence: 'CC-BY-4.0',
    licenceIsText: false,
    format: '',
    relType: '',
    relHash: '',
    parties: '',
  });
  /** New content: its name and format fill the fields the user left empty. */
  const onContent = (c: Content, name?: string) => {
    setContent(c);
    setF((x) => ({
      ...x,
      ...(name !== undefined ? { name: x.name || name } : {}),
      format: x.format || (c.type ?? 'application/octet-stream'),
    }));
  };

  const publish = useMutation({
    mutationFn: () => {
      const p: Params<'registry.publish'> = {
        did: did || ours[0]!.did,
        name: f.name.trim(),
        language: f.language.trim(),
        licence: f.licenceIsText ? { text: f.licence.trim() } : { spdx: f.licence.trim() },
        format: f.format.trim(),
        hash: content!.hash,
        size: content!.size,
        ...(content!.uri ? { uris: [content!.uri] } : {}),
        ...(f.relType && f.relHash.trim()
          ? { relations: [{ type: f.relType as RelationType, hash: f.relHash.trim() }] }
          : {}),
        ...(f.parties.trim() ? { parties: f.parties.split(/[\s,]+/).filter(Boolean) } : {}),
      };
      return api.call('registry.publish', p);
    },
    onSuccess: (r) => navigate(href('registry', 'record', r.id)),
  });
  const langProblem = f.language ? languageTagProblem(f.language.trim()) : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    publish.mutate();
  };

  if (mine.isSuccess && ours.length === 0) {
    return (
      <div className="panel">
        <p className="muted">
          Records are signed by an identity. <a href={href('identity', 'new')}>Create one</a> first.
        </p>
      </div>
    );
  }
  return (
    <form className="panel stack registry-publish" onSubmit={submit} data-testid="registry-publish">
      <ContentStep content={content} onContent={onContent} />
      <DescribeStep f={f} setF={setF} langProblem={langProblem} />
      <SignStep ours={ours} did={did} setDid={setDid} />
      {publish.isError ? <ErrorNote error={publish.error} /> : null}
      <button
        className="btn btn-primary"
        type="submit"
        disabled={!content || !!langProblem || publish.isPending}
        data-testid="registry-sign"
      >
        {publish.isPending ? 'Checking and signing…' : 'Sign and publish'}
      </button>
    </form>
  );
}

/** The content: a file uploaded to this node, or a URL the node fetches and hashes. */
function ContentStep(props: { content: Content | null; onContent: (c: Content, name?: string) => void }) {
  const api = useApi();
  const [url, setUrl] = useState('');
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let uploadId: string | undefined;
      for (let off = 0; ; off += CHUNK) {
        const done = off + CHUNK >= bytes.length;
        const r = await api.call('registry.content.upload', {
          uploadId,
          data: toB64url(bytes.subarray(off, off + CHUNK)),
          done,
        });
        uploadId = r.uploadId;
        if (done) return { hash: r.hash!, size: r.size!, uri: null, type: file.type || null, name: file.name };
      }
    },
    onSuccess: ({ name, ...c }) => props.onContent(c, name),
  });
  const probe = useMutation({
    mutationFn: () => api.call('registry.content.probe', { uri: url.trim() }),
    onSuccess: (c) => props.onContent({ hash: c.hash, size: c.size, uri: url.trim(), type: c.contentType }),
  });
  const content = props.content;
  return (
    <>
      <h2>1. The content</h2>
      <label className="btn registry-file">
        Pick a file
        <input
          type="file"
          hidden
          data-testid="registry-file"
          onChange={(e) => e.target.files?.[0] && upload.mutate(e.target.files[0])}
        />
      </label>
      <p className="muted">or give a URL this node fetches and hashes:</p>
      <div className="registry-url-row">
        <TextField
          label="URL"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://…"
          testId="registry-url"
        />
        <button type="button" className="btn" disabled={!url.trim() || probe.isPending} onClick={() => probe.mutate()}>
          {probe.isPending ? 'Fetching…' : 'Fetch and hash'}
        </button>
      </div>
      {upload.isPending ? <p className="muted">Uploading…</p> : null}
      {content ? (
        <p data-testid="registry-content-hash">
          {formatBytes(content.size)} · SHA-512 <span className="mono">{content.hash.slice(0, 32)}…</span>
          {content.uri ? '' : ' · served by this node'}
        </p>
      ) : null}
      {upload.isError ? <ErrorNote error={upload.error} /> : null}
      {probe.isError ? <ErrorNote error={probe.error} /> : null}
    </>
  );
}

/** What the content is: name, language, licence, format, a relation and the parties. */
function DescribeStep(props: { f: Fields; setF: (f: Fields) => void; langProblem: string | undefined }) {
  const { f, setF, langProblem } = props;
  const set = (k: keyof Fields) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  return (
    <>
      <h2>2. What it is</h2>
      <TextField label="Name" value={f.name} onChange={set('name')} maxLength={300} required testId="registry-name" />
      <TextField
        label="Language (IETF tag)"
        value={f.language}
        onChange={set('language')}
        placeholder="es-MX"
        error={langProblem ?? null}
        required
        testId="registry-language"
      />
      <div className="row">
        <TextField
          label={f.licenceIsText ? 'Licence (free text)' : 'Licence (SPDX)'}
          value={f.licence}
          onChange={set('licence')}
          required
          testId="registry-licence"
        />
        <label className="registry-check">
          <input
            type="checkbox"
            checked={f.licenceIsText}
            onChange={(e) => setF({ ...f, licenceIsText: e.target.checked })}
          />
          Not an SPDX licence
        </label>
      </div>
      <TextField
        label="Format (media type)"
        value={f.format}
        onChange={set('format')}
        placeholder="text/plain"
        required
        testId="registry-format"
      />
      <div className="row">
        <label className="field">
          Related to
          <select className="input" value={f.relType} onChange={set('relType')}>
            <option value="">nothing</option>
            {RELATION_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <TextField label="Its SHA-512" value={f.relHash} onChange={set('relHash')} disabled={!f.relType} />
      </div>
      <TextField
        label="Parties that must approve (agreements)"
        value={f.parties}
        onChange={set('parties')}
        placeholder="did:is:… did:is:…"
      />
    </>
  );
}

/** Which of our identities signs. */
function SignStep(props: {
  ours: ReadonlyArray<{ did: string; profile: { name?: string | null } }>;
  did: string;
  setDid: (did: string) => void;
}) {
  const { ours, did, setDid } = props;
  return (
    <>
      <h2>3. Sign</h2>
      {ours.length > 1 ? (
        <label className="field">
          Sign as
          <select className="input" value={did || ours[0]?.did} onChange={(e) => setDid(e.target.value)}>
            {ours.map((i) => (
              <option key={i.did} value={i.did}>
                {i.profile.name ?? i.did}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <p className="muted">Signed as {ours[0]?.profile.name ?? ours[0]?.did}</p>
      )}
    </>
  );
}
