// One record: its hash and fields, URIs with their state, co-signers with trust marks (and an
// agreement's parties), witnesses and settlement, relations as a small graph; co-sign, add a
// URI and check URIs again from here.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { RecordView } from '../../src-shared/registry/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href } from '../app/routes.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextField } from '../components/fields.tsx';
import { fullTime } from '../format/time.ts';
import { identityQueries } from '../identity/index.ts';
import { registryKeys, registryQueries } from './queries.ts';
import { Badges } from './Badges.tsx';
import { Relations } from './Relations.tsx';
import { STATUS_WORDS, URI_WORDS, formatBytes, licenceText, settlementWords } from './words.ts';

function Actions(props: { record: RecordView }) {
  const api = useApi();
  const qc = useQueryClient();
  const mine = useQuery(identityQueries(api).mine());
  const ours = (mine.data?.items ?? []).filter((i) => !i.deleted);
  const [did, setDid] = useState('');
  const [uri, setUri] = useState('');
  const signer = did || ours[0]?.did || '';
  const done = () => void qc.invalidateQueries({ queryKey: registryKeys.record(props.record.id) });
  const cosign = useMutation({
    mutationFn: () => api.call('registry.cosign', { did: signer, id: props.record.id }),
    onSuccess: done,
  });
  const addUri = useMutation({
    mutationFn: () => api.call('registry.uri.add', { did: signer, hash: props.record.hash, uri: uri.trim() }),
    onSuccess: () => {
      setUri('');
      done();
    },
  });
  const recheck = useMutation({
    mutationFn: () => api.call('registry.recheck', { id: props.record.id }),
    onSuccess: done,
  });
  const signed = props.record.cosignerList.some((c) => c.did === signer) || props.record.signer === signer;
  return (
    <div className="panel stack">
      <h2>Vouch for it</h2>
      {ours.length === 0 ? <p className="muted">Create an identity to co-sign records and add URIs.</p> : null}
      {ours.length > 1 ? (
        <label className="field">
          Sign as
          <select className="input" value={signer} onChange={(e) => setDid(e.target.value)}>
            {ours.map((i) => (
              <option key={i.did} value={i.did}>
                {i.profile.name ?? i.did}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div className="row">
        <button
          className="btn btn-primary"
          disabled={!signer || signed || cosign.isPending}
          onClick={() => cosign.mutate()}
          data-testid="registry-cosign"
        >
          {signed ? 'Signed' : 'Co-sign'}
        </button>
        <button
          className="btn"
          onClick={() => recheck.mutate()}
          disabled={recheck.isPending}
          data-testid="registry-recheck"
        >
          {recheck.isPending ? 'Checking…' : 'Check URIs again'}
        </button>
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          addUri.mutate();
        }}
      >
        <TextField
          label="Also available at"
          value={uri}
          onChange={(e) => setUri(e.target.value)}
          placeholder="https://…"
        />
        <button className="btn" type="submit" disabled={!signer || !uri.trim() || addUri.isPending}>
          {addUri.isPending ? 'Fetching and checking…' : 'Add URI'}
        </button>
      </form>
      {[cosign, addUri, recheck].map((m, i) => (m.isError ? <ErrorNote key={i} error={m.error} /> : null))}
    </div>
  );
}

/** Who co-signed the record, whether you trust them, and how many of its parties agreed. */
function Cosigners(props: { record: RecordView }) {
  const r = props.record;
  return (
    <div className="panel stack">
      <h2>Co-signers</h2>
      {r.parties.length > 0 ? (
        <p data-testid="registry-parties">
          Agreement: approved by{' '}
          {r.parties.filter((p) => r.cosignerList.some((c) => c.did === p) || p === r.signer).length} of{' '}
          {r.parties.length} parties.
        </p>
      ) : null}
      {r.cosignerList.length === 0 ? <p className="muted">No one has co-signed it yet.</p> : null}
      <ul data-testid="registry-cosigners">
        {r.cosignerList.map((c) => (
          <li key={c.did}>
            <a href={href('identity', 'did', c.did)}>{c.name ?? c.did}</a>{' '}
            {c.trusted ? (
              <span className="badge badge-ok">trusted{c.depth ? ` (depth ${c.depth})` : ' (you)'}</span>
            ) : (
              <span className="badge">not in your trust</span>
            )}
            {c.party ? <span className="badge"> party</span> : null}
            <Badges badges={c.badges} testId={`registry-cosigner-badges-${c.did}`} />
          </li>
        ))}
      </ul>
    </div>
  );
}

export function RecordPage(props: { id: string }) {
  const api = useApi();
  const q = useQuery(registryQueries(api).record(props.id));
  if (q.isError) return <ErrorNote error={q.error} />;
  if (!q.data) return <p className="muted">Loading…</p>;
  const r = q.data;
  return (
    <div className="stack" data-testid="registry-record" data-settled={r.settled} data-witnesses={r.witnesses}>
      <div className="panel stack">
        <h2 data-testid="registry-record-name">{r.name}</h2>
        <p className={r.settled ? 'ok' : 'muted'} data-testid="registry-settlement">
          {settlementWords(r.witnesses, r.settleWitnesses)}
          {r.acceptedAt ? ` · first accepted ${fullTime(r.acceptedAt)}` : ''}
        </p>
        <p className={r.status === 'verified' ? 'ok' : r.status === 'mismatch' ? 'bad' : 'muted'}>
          {STATUS_WORDS[r.status]}
        </p>
        <dl className="registry-fields">
          <dt>SHA-512</dt>
          <dd className="mono registry-hash">
            {r.hash} <CopyButton text={r.hash} />
          </dd>
          <dt>Size</dt>
          <dd>{formatBytes(r.size)}</dd>
          <dt>Language</dt>
          <dd>{r.language}</dd>
          <dt>Licence</dt>
          <dd>{licenceText(r.licence)}</dd>
          <dt>Format</dt>
          <dd>{r.format}</dd>
          <dt>Signed by</dt>
          <dd>
            <a href={href('identity', 'did', r.signer)}>{r.signerName ?? r.signer}</a>
            {r.signerTrusted ? <span className="badge badge-ok"> trusted</span> : null}
            <Badges badges={r.signerBadges} testId="registry-signer-badges" />
          </dd>
          {r.mirrored ? (
            <>
              <dt>On this node</dt>
              <dd>held and served over the network</dd>
            </>
          ) : null}
        </dl>
      </div>
      <div className="panel stack">
        <h2>Where to get it</h2>
        <ul className="registry-uris" data-testid="registry-uris">
          {r.uris.map((u) => (
            <li key={u.uri} data-state={u.state}>
              <span className={`dot dot-${u.state}`} aria-hidden />
              <span className="mono">{u.uri}</span> <span className="muted">{URI_WORDS[u.state]}</span>
              {u.checkedAt ? <span className="muted"> · {fullTime(u.checkedAt)}</span> : null}
              {u.addedBy ? <span className="muted"> · added by {u.addedBy.slice(0, 18)}…</span> : null}
              {u.detail ? <div className="muted small">{u.detail}</div> : null}
            </li>
          ))}
        </ul>
      </div>
      <Cosigners record={r} />
      {r.relations.length + r.relatedFrom.length > 0 ? <Relations record={r} /> : null}
      <Actions record={r} />
    </div>
  );
}
