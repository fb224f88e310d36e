// Connect a coin wallet in four steps: pick the coin, find its daemon (or type the details),
// test the connection, connect. Every failure comes with what to check.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Result } from '../../src-shared/api/contract.ts';
import type { WalletCandidate, WalletConnectionInput, WalletSummary } from '../../src-shared/api/schemas.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href, navigate } from '../app/routes.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextField } from '../components/fields.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import {
  buildConnectionInput,
  defaultManualConnection,
  sameConnection,
  type ConnectionChoice,
  type ManualConnection,
} from './connection-form.ts';
import { walletKeys, walletQueries } from './queries.ts';

const SOURCE_TEXT: Record<WalletCandidate['source'], string> = {
  devnet: 'Devnet daemon',
  conf: 'Found its .conf file',
  cookie: 'Found its .cookie file',
};

function Step(props: { n: number; title: string; children: ReactNode; testId: string; muted?: boolean }) {
  return (
    <section
      className={props.muted ? 'step muted-step' : 'step'}
      aria-labelledby={`${props.testId}-title`}
      data-testid={props.testId}
    >
      <h2 id={`${props.testId}-title`}>
        <span className="step-n" aria-hidden="true">
          {props.n}
        </span>
        {props.title}
      </h2>
      <div className="step-body">{props.children}</div>
    </section>
  );
}

function CandidateOption(props: { c: WalletCandidate; index: number; checked: boolean; onChoose(): void }) {
  const { c } = props;
  return (
    <label
      className={props.checked ? 'option checked' : 'option'}
      data-testid={`setup-candidate-${props.index}`}
      data-source={c.source}
      data-candidate-id={c.id}
    >
      <input type="radio" name="wallet-choice" checked={props.checked} onChange={props.onChoose} />
      <span className="option-body">
        <span className="option-title">
          <span className="badge badge-info">{SOURCE_TEXT[c.source]}</span>
          <span className="mono">
            {c.host}:{c.port}
          </span>
          <span className="muted">
            {c.auth === 'cookie' ? 'cookie authentication' : 'user and password from the .conf'}
          </span>
          {c.wallet ? <span className="muted">wallet “{c.wallet}”</span> : null}
        </span>
        <span className="option-text mono">{c.dataDir}</span>
        {c.confPath ? (
          <span className="option-text muted">
            Settings from <span className="mono">{c.confPath}</span>
          </span>
        ) : null}
        {c.note ? <span className="option-text muted">{c.note}</span> : null}
      </span>
    </label>
  );
}

function ManualForm(props: {
  value: ManualConnection;
  onChange(v: ManualConnection): void;
  errors: Partial<Record<string, string>>;
}) {
  const v = props.value;
  const set = (patch: Partial<ManualConnection>) => props.onChange({ ...v, ...patch });
  return (
    <div className="manual-form">
      <div className="form-row">
        <TextField
          label="Host"
          testId="setup-host"
          value={v.host}
          onChange={(e) => set({ host: e.target.value })}
          error={props.errors.host}
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          label="RPC port"
          testId="setup-port"
          inputMode="numeric"
          value={v.port}
          onChange={(e) => set({ port: e.target.value })}
          error={props.errors.port}
          autoComplete="off"
          className="input narrow"
        />
      </div>
      <fieldset className="field">
        <legend>Authentication</legend>
        <div className="segmented">
          <label className="segmented-option">
            <input
              type="radio"
              name="auth"
              checked={v.auth === 'password'}
              onChange={() => set({ auth: 'password' })}
              data-testid="setup-auth-password"
            />
            <span>User and password</span>
          </label>
          <label className="segmented-option">
            <input
              type="radio"
              name="auth"
              checked={v.auth === 'cookie'}
              onChange={() => set({ auth: 'cookie' })}
              data-testid="setup-auth-cookie"
            />
            <span>Cookie file</span>
          </label>
        </div>
      </fieldset>
      {v.auth === 'password' ? (
        <div className="form-row">
          <TextField
            label="RPC user"
            testId="setup-username"
            value={v.username}
            onChange={(e) => set({ username: e.target.value })}
            error={props.errors.username}
            autoComplete="off"
            spellCheck={false}
          />
          <TextField
            label="RPC password"
            type="password"
            testId="setup-rpc-password"
            value={v.password}
            onChange={(e) => set({ password: e.target.value })}
            error={props.errors.password}
            autoComplete="off"
          />
        </div>
      ) : (
        <TextField
          label="Cookie file"
          testId="setup-cookie-path"
          className="input mono"
          value={v.cookiePath}
          onChange={(e) => set({ cookiePath: e.target.value })}
          error={props.errors.cookiePath}
          autoComplete="off"
          spellCheck={false}
          hint="The .cookie file in the daemon’s data directory (for regtest, in its regtest folder). It is rewritten each time the daemon starts."
        />
      )}
      <TextField
        label="Wallet name (optional)"
        testId="setup-wallet-name"
        value={v.wallet}
        onChange={(e) => set({ wallet: e.target.value })}
        error={props.errors.wallet}
        autoComplete="off"
        spellCheck={false}
        hint="Leave empty to use the daemon’s default wallet."
      />
    </div>
  );
}

function TestResult(props: { result: Result<'wallets.test'> }) {
  const r = props.result;
  if (r.ok) {
    const facts = [
      r.chain ? `chain ${r.chain}` : null,
      r.blocks !== undefined ? `block ${r.blocks}` : null,
      r.wallet !== undefined ? `wallet \u201c${r.wallet || 'default'}\u201d` : null,
      r.version !== undefined ? `daemon version ${r.version}` : null,
    ].filter((x) => x !== null);
    return (
      <div className="note note-ok" role="status" data-testid="setup-test-result" data-ok="true">
        <p className="note-title">The connection works.</p>
        {facts.length > 0 ? <p>{facts.join(' \u00b7 ')}</p> : null}
      </div>
    );
  }
  return (
    <div data-testid="setup-test-result" data-ok="false">
      <ErrorNote
        error={r.error ?? { code: 'INTERNAL', message: 'the test failed without a reason' }}
        title="The connection did not work."
      />
    </div>
  );
}

export function SetupWizard(props: { ticker: string | null; onConnected(w: WalletSummary): void }) {
  const api = useApi();
  const qc = useQueryClient();
  const wallets = useQuery(walletQueries(api).list());
  const ticker = props.ticker;
  const [choice, setChoice] = useState<ConnectionChoice>({ kind: 'none' });
  const [manual, setManual] = useState<ManualConnection>(() => defaultManualConnection(ticker ?? ''));
  const [showErrors, setShowErrors] = useState(false);

  const detect = useMutation({
    mutationFn: (t: string) => api.call('wallets.detect', { ticker: t }),
    onSuccess: (r) => {
      if (r.candidates.length === 1 && r.candidates[0])
        setChoice({ kind: 'candidate', candidateId: r.candidates[0].id });
    },
  });
  const test = useMutation({
    mutationFn: (connection: WalletConnectionInput) => api.call('wallets.test', { ticker: ticker ?? '', connection }),
  });
  const connect = useMutation({
    mutationFn: (connection: WalletConnectionInput) =>
      api.call('wallets.connect', { ticker: ticker ?? '', connection }),
    onSuccess: (summary) => {
      void qc.invalidateQueries({ queryKey: walletKeys.all });
      props.onConnected(summary);
    },
  });

  const built = buildConnectionInput(choice, manual);
  const current = built.ok ? built.input : null;
  const testPassed = test.data?.ok === true && sameConnection(test.variables ?? null, current);
  const testIsCurrent = test.variables !== undefined && sameConnection(test.variables, current);
  const errors = showErrors && !built.ok ? built.errors : {};

  const choose = (c: ConnectionChoice) => {
    setChoice(c);
    connect.reset();
  };
  const runTest = () => {
    setShowErrors(true);
    if (built.ok) test.mutate(built.input);
  };
  const runConnect = () => {
    if (built.ok) connect.mutate(built.input);
  };

  // The outcome appears below the fold on a small window; bring it into view.
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (test.data || test.error || connect.error) outcomeRef.current?.scrollIntoView({ block: 'nearest' });
  }, [test.data, test.error, connect.error]);

  const coin = wallets.data?.find((w) => w.ticker === ticker);
  const candidates = detect.data?.candidates ?? [];

  return (
    <section className="page-narrow wizard" data-testid="wallet-setup">
      <PageHeader
        title="Set up a wallet"
        description={
          <>
            Connect Hashlock to a wallet daemon that runs on this computer.{' '}
            <a href={href('wallets')}>Back to wallets</a>
          </>
        }
      />

      <Step n={1} title="Coin" testId="setup-step-coin">
        <div className="field">
          <label htmlFor="setup-coin">Which coin&rsquo;s wallet?</label>
          <select
            id="setup-coin"
            className="input"
            data-testid="setup-coin"
            value={ticker ?? ''}
            onChange={(e) =>
              navigate(e.target.value ? href('wallets', 'setup', e.target.value) : href('wallets', 'setup'))
            }
          >
            <option value="">Choose a coin&hellip;</option>
            {wallets.data?.map((w) => (
              <option key={w.ticker} value={w.ticker}>
                {w.ticker} &mdash; {w.name}
                {w.status === 'connected' ? ' (connected)' : ''}
              </option>
            ))}
          </select>
          {coin?.status === 'connected' ? (
            <div className="field-hint">This wallet is already connected; connecting again replaces its settings.</div>
          ) : null}
        </div>
      </Step>

      <Step n={2} title="Find the wallet" testId="setup-step-find" muted={!ticker}>
        <p className="muted">
          Hashlock looks for a running daemon in the usual places: default data directories, their .conf files and
          .cookie files. You can also enter the details yourself.
        </p>
        <div className="actions start">
          <button
            type="button"
            className="btn"
            disabled={!ticker || detect.isPending}
            onClick={() => ticker && detect.mutate(ticker)}
            data-testid="setup-detect"
          >
            {detect.isPending ? 'Looking\u2026' : detect.data ? 'Look again' : 'Detect'}
          </button>
        </div>
        {detect.isError ? <ErrorNote error={detect.error} testId="setup-detect-error" /> : null}
        {ticker ? (
          <fieldset className="options" data-testid="setup-candidates">
            <legend className="sr-only">Wallet to connect</legend>
            {detect.data && candidates.length === 0 ? (
              <p className="muted" data-testid="setup-no-candidates">
                No running {ticker} daemon was found in the usual places. Enter its details below.
              </p>
            ) : null}
            {candidates.map((c, i) => (
              <CandidateOption
                key={c.id}
                c={c}
                index={i}
                checked={choice.kind === 'candidate' && choice.candidateId === c.id}
                onChoose={() => choose({ kind: 'candidate', candidateId: c.id })}
              />
            ))}
            <label className={choice.kind === 'manual' ? 'option checked' : 'option'} data-testid="setup-manual">
              <input
                type="radio"
                name="wallet-choice"
                checked={choice.kind === 'manual'}
                onChange={() => choose({ kind: 'manual' })}
              />
              <span className="option-body">
                <span className="option-title">Enter the connection details myself</span>
                <span className="option-text muted">
                  Host, RPC port, and a user and password or the daemon&rsquo;s cookie file.
                </span>
              </span>
            </label>
            {errors.choice ? (
              <div className="field-error" role="alert">
                {errors.choice}
              </div>
            ) : null}
          </fieldset>
        ) : null}
        {detect.data && detect.data.searched.length > 0 ? (
          <details className="searched" data-testid="setup-searched">
            <summary>Where Hashlock looked ({detect.data.searched.length})</summary>
            <ul className="mono small">
              {detect.data.searched.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </details>
        ) : null}
        {choice.kind === 'manual' ? (
          <ManualForm
            value={manual}
            onChange={(v) => {
              setManual(v);
              connect.reset();
            }}
            errors={errors}
          />
        ) : null}
      </Step>

      <Step n={3} title="Test and connect" testId="setup-step-connect" muted={!ticker || choice.kind === 'none'}>
        <p className="muted">Testing only talks to the daemon; nothing is saved until you connect.</p>
        <div className="actions start">
          <button
            type="button"
            className="btn"
            disabled={!ticker || choice.kind === 'none' || test.isPending}
            onClick={runTest}
            data-testid="setup-test"
          >
            {test.isPending ? 'Testing\u2026' : 'Test connection'}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!testPassed || connect.isPending}
            onClick={runConnect}
            data-testid="setup-connect"
            aria-describedby={testPassed ? undefined : 'setup-connect-why'}
          >
            {connect.isPending ? 'Connecting\u2026' : 'Connect'}
          </button>
          {!testPassed ? (
            <span id="setup-connect-why" className="muted small">
              Connect is available after a successful test.
            </span>
          ) : null}
        </div>
        <div ref={outcomeRef} className="outcome">
          {test.isError && testIsCurrent ? (
            <div data-testid="setup-test-result" data-ok="false">
              <ErrorNote error={test.error} title="The connection could not be tested." />
            </div>
          ) : null}
          {test.data && testIsCurrent ? <TestResult result={test.data} /> : null}
          {connect.isError ? (
            <ErrorNote error={connect.error} testId="setup-connect-error" title="The wallet could not be connected." />
          ) : null}
        </div>
      </Step>
    </section>
  );
}
