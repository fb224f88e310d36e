// Browse and search records by text, language, licence, format, signer and trust; each row says
// who signed it, whether we trust them, how many trusted co-signers it has and its settlement.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Params, Result } from '../../src-shared/api/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href } from '../app/routes.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextField } from '../components/fields.tsx';
import { shortenMiddle } from '../format/text.ts';
import { registryQueries } from './queries.ts';
import { formatBytes, licenceText, settlementWords } from './words.ts';

type Filters = Params<'registry.search'>;

export function Browse() {
  const api = useApi();
  const [draft, setDraft] = useState({ text: '', language: '', licence: '', format: '', signer: '', trusted: false });
  const [filters, setFilters] = useState<Filters>({ limit: 50 });
  const list = useQuery(registryQueries(api).search(filters));
  const node = useQuery(registryQueries(api).node());
  const set = (k: keyof typeof draft) => (e: { target: { value: string } }) =>
    setDraft({ ...draft, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const f: Filters = { limit: 50 };
    for (const k of ['text', 'language', 'licence', 'format', 'signer'] as const)
      if (draft[k].trim()) f[k] = draft[k].trim();
    if (draft.trusted) f.trustDepth = 3;
    setFilters(f);
  };
  return (
    <div className="panel stack" data-testid="registry-browse">
      <form className="registry-filters" onSubmit={submit}>
        <TextField
          label="Search"
          value={draft.text}
          onChange={set('text')}
          placeholder="name, hash or id"
          testId="registry-q"
        />
        <TextField label="Language" value={draft.language} onChange={set('language')} placeholder="es" />
        <TextField label="Licence" value={draft.licence} onChange={set('licence')} placeholder="CC-BY-4.0" />
        <TextField label="Format" value={draft.format} onChange={set('format')} placeholder="video/*" />
        <TextField label="Signer" value={draft.signer} onChange={set('signer')} placeholder="did:is:…" />
        <label className="registry-check">
          <input
            type="checkbox"
            checked={draft.trusted}
            onChange={(e) => setDraft({ ...draft, trusted: e.target.checked })}
          />
          Only signers I trust
        </label>
        <button className="btn btn-primary" type="submit" data-testid="registry-search">
          Search
        </button>
      </form>
      {node.data ? (
        <p className="muted">
          This node holds {node.data.records} records; it needs {node.data.settleWitnesses} witnesses to call one
          settled.
        </p>
      ) : null}
      {list.isError ? <ErrorNote error={list.error} /> : null}
      {list.isSuccess && list.data.items.length === 0 ? <p className="muted">No records match.</p> : null}
      <Results items={list.data?.items} settleWitnesses={node.data?.settleWitnesses ?? 3} />
    </div>
  );
}

/** One row a record: what it is, who signed it, its trusted co-signers and its settlement. */
function Results(props: { items: Result<'registry.search'>['items'] | undefined; settleWitnesses: number }) {
  return (
    <table className="registry-table" data-testid="registry-results">
      <thead>
        <tr>
          <th>Name</th>
          <th>Language</th>
          <th>Licence</th>
          <th>Format</th>
          <th>Size</th>
          <th>Signer</th>
          <th>Co-signers</th>
          <th>Witnesses</th>
        </tr>
      </thead>
      <tbody>
        {props.items?.map((r) => (
          <tr key={r.id} data-testid="registry-row" data-settled={r.settled}>
            <td>
              <a href={href('registry', 'record', r.id)}>{r.name}</a>
              {r.status === 'mismatch' ? <span className="badge badge-bad"> content mismatch</span> : null}
            </td>
            <td>{r.language}</td>
            <td>{licenceText(r.licence)}</td>
            <td>{r.format}</td>
            <td>{formatBytes(r.size)}</td>
            <td title={r.signer}>
              {r.signerName ?? shortenMiddle(r.signer, 12, 4)}
              {r.signerTrusted ? <span className="badge badge-ok"> trusted</span> : null}
            </td>
            <td>
              {r.trustedCosigners} trusted of {r.cosigners}
            </td>
            <td className={r.settled ? 'ok' : 'muted'}>{settlementWords(r.witnesses, props.settleWitnesses)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
