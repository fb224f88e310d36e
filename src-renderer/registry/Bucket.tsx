// Mirror content with a bucket rule: build the rule from common choices (or edit its JSON), see
// what a dry run would mirror and whether it fits, then turn it on; progress comes as events.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { Result } from '../../src-shared/api/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextArea, TextField } from '../components/fields.tsx';
import { identityQueries } from '../identity/index.ts';
import { registryKeys, registryQueries } from './queries.ts';
import { formatBytes } from './words.ts';

const list = (s: string) => s.split(/[\s,]+/).filter(Boolean);

/** The rule the simple choices make: every filled choice must hold. */
export function ruleOf(c: {
  language: string;
  licence: string;
  format: string;
  maxMiB: string;
  trustDepth: string;
  minTrusted: string;
}) {
  const all: unknown[] = [];
  if (list(c.language).length) all.push({ language: list(c.language) });
  if (list(c.licence).length) all.push({ licence: list(c.licence) });
  if (list(c.format).length) all.push({ format: list(c.format) });
  if (c.maxMiB.trim()) all.push({ maxSize: Math.round(Number(c.maxMiB) * 1024 * 1024) });
  if (c.trustDepth.trim()) all.push({ trustDepth: Number(c.trustDepth) });
  if (c.minTrusted.trim()) all.push({ minCosigners: Number(c.minTrusted), trusted: true });
  return { all };
}

/** The rule being written: built from the choices, until its JSON is edited by hand. */
function useRule() {
  const [c, setC] = useState({ language: '', licence: '', format: '', maxMiB: '', trustDepth: '', minTrusted: '' });
  const [json, setJson] = useState<string | null>(null);
  const built = useMemo(() => JSON.stringify(ruleOf(c)), [c]);
  const ruleText = json ?? built;
  const parsed = useMemo(() => {
    try {
      return { rule: JSON.parse(ruleText) as unknown };
    } catch {
      return { error: 'not JSON' };
    }
  }, [ruleText]);
  const set = (k: keyof typeof c) => (e: { target: { value: string } }) => {
    setJson(null);
    setC({ ...c, [k]: e.target.value });
  };
  return { c, set, setJson, ruleText, parsed };
}

export function BucketPanel() {
  const api = useApi();
  const qc = useQueryClient();
  const bucket = useQuery(registryQueries(api).bucket());
  const mine = useQuery(identityQueries(api).mine());
  const identity = (mine.data?.items ?? []).find((i) => !i.deleted)?.did ?? null;
  const [quotaMiB, setQuotaMiB] = useState('1024');
  const { c, set, setJson, ruleText, parsed } = useRule();
  const input = () => ({ rule: parsed.rule, maxBytes: Math.round(Number(quotaMiB) * 1024 * 1024), identity });
  const dry = useMutation({ mutationFn: () => api.call('registry.bucket.dryRun', input()) });
  const save = useMutation({
    mutationFn: (enabled: boolean) => api.call('registry.bucket.set', { ...input(), enabled }),
    onSuccess: (v) => qc.setQueryData(registryKeys.bucket, v),
  });
  const b = bucket.data;
  return (
    <div className="stack" data-testid="registry-bucket">
      {b ? <BucketStatus b={b} /> : null}
      <div className="panel stack">
        <h2>What to mirror</h2>
        <RuleChoices c={c} set={set} />
        <TextArea
          label="Rule (JSON)"
          value={ruleText}
          onChange={(e) => setJson(e.target.value)}
          rows={3}
          error={parsed.error ?? null}
          testId="registry-rule-json"
        />
        <TextField
          label="Space for mirrors (MiB)"
          value={quotaMiB}
          onChange={(e) => setQuotaMiB(e.target.value)}
          type="number"
          min={0}
          testId="registry-quota"
        />
        <div className="row">
          <button
            className="btn"
            disabled={!!parsed.error || dry.isPending}
            onClick={() => dry.mutate()}
            data-testid="registry-dry-run"
          >
            Dry run
          </button>
          <button
            className="btn btn-primary"
            disabled={!!parsed.error || save.isPending}
            onClick={() => save.mutate(true)}
            data-testid="registry-bucket-save"
          >
            Mirror with this rule
          </button>
          {b?.enabled ? (
            <button className="btn" onClick={() => save.mutate(false)}>
              Stop mirroring
            </button>
          ) : null}
        </div>
        {dry.isError ? <ErrorNote error={dry.error} /> : null}
        {save.isError ? <ErrorNote error={save.error} /> : null}
        {dry.data ? <DryRunResult result={dry.data} /> : null}
      </div>
    </div>
  );
}

type Choices = Parameters<typeof ruleOf>[0];

/** The common choices a rule is built from. */
function RuleChoices(props: { c: Choices; set: (k: keyof Choices) => (e: { target: { value: string } }) => void }) {
  const { c, set } = props;
  return (
    <div className="registry-filters">
      <TextField
        label="Languages"
        value={c.language}
        onChange={set('language')}
        placeholder="es, pt"
        testId="registry-rule-language"
      />
      <TextField label="Licences (SPDX)" value={c.licence} onChange={set('licence')} placeholder="CC-BY-4.0, MIT" />
      <TextField label="Formats" value={c.format} onChange={set('format')} placeholder="video/*" />
      <TextField label="At most (MiB each)" value={c.maxMiB} onChange={set('maxMiB')} type="number" min={0} />
      <TextField
        label="Signer within trust depth"
        value={c.trustDepth}
        onChange={set('trustDepth')}
        type="number"
        min={1}
        max={5}
      />
      <TextField
        label="Trusted co-signers at least"
        value={c.minTrusted}
        onChange={set('minTrusted')}
        type="number"
        min={0}
      />
    </div>
  );
}

/** Whether mirroring is on, what it holds and its last problem. */
function BucketStatus(props: { b: Result<'registry.bucket.get'> }) {
  const b = props.b;
  return (
    <div className="panel" data-testid="registry-bucket-status" data-mirrored={b.mirrored}>
      <p>
        {b.enabled ? 'Mirroring is on.' : 'Mirroring is off.'} {b.mirrored} items held ({formatBytes(b.bytes)} of{' '}
        {formatBytes(b.maxBytes)}){b.pending ? `, ${b.pending} to fetch` : ''}.
      </p>
      {b.lastError ? <p className="bad">Last problem: {b.lastError}</p> : null}
    </div>
  );
}

/** What a dry run would mirror, and whether it fits. */
function DryRunResult(props: { result: Result<'registry.bucket.dryRun'> }) {
  return (
    <div className="stack" data-testid="registry-dry-result" data-fits={props.result.fits}>
      <p className={props.result.fits ? 'ok' : 'bad'}>
        {props.result.count} items, {formatBytes(props.result.totalBytes)} in all ({formatBytes(props.result.newBytes)}{' '}
        new); {props.result.fits ? 'fits.' : `does not fit: ${props.result.reason}`}
      </p>
      <ul>
        {props.result.items.map((i) => (
          <li key={i.hash}>
            {i.name} <span className="muted">{formatBytes(i.size)}</span>
            {i.mirrored ? <span className="badge badge-ok"> held</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
