// API tokens: the named tokens bots and other windows use, with their scope, last use and call
// count; make one (its secret is shown once, here) or revoke one at once.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { SCOPES, type Scope } from '../../src-shared/api/scopes.ts';
import type { TokenView } from '../../src-shared/tokens/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { When } from '../components/cells.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextField } from '../components/fields.tsx';
import { tokensKeys, tokensQueries } from './queries.ts';

const SCOPE_WORDS: Record<Scope, string> = {
  read: 'read: sees everything, changes nothing',
  trade: 'trade: also places orders and runs swaps',
  admin: 'admin: also vault, wallets, settings, tokens',
};

export function TokensPanel() {
  const api = useApi();
  const qc = useQueryClient();
  const list = useQuery(tokensQueries(api).list());
  const refresh = () => void qc.invalidateQueries({ queryKey: tokensKeys.all });
  const revoke = useMutation({ mutationFn: (n: string) => api.call('tokens.revoke', { name: n }), onSuccess: refresh });
  return (
    <div className="panel flush" data-testid="tokens">
      <div className="panel-head">
        <h2>API tokens</h2>
      </div>
      <div className="panel-pad stack">
        <p className="muted small">
          Each bot or client gets its own token; the node logs every request by the token&rsquo;s name. The token in the
          data directory (<span className="mono">api-token</span>) is the admin token &ldquo;default&rdquo;.
        </p>
        <TokenForm onCreated={refresh} />
        {revoke.isError ? <ErrorNote error={revoke.error} title="The token was not revoked." /> : null}
      </div>
      <TokensTable tokens={list.data} revoking={revoke.isPending} onRevoke={(n) => revoke.mutate(n)} />
      {list.isError ? (
        <div className="panel-pad">
          <ErrorNote error={list.error} />
        </div>
      ) : null}
    </div>
  );
}

function TokenForm(props: { onCreated: () => void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('read');
  const create = useMutation({
    mutationFn: () => api.call('tokens.create', { name: name.trim(), scope }),
    onSuccess: () => {
      setName('');
      props.onCreated();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate();
  };
  return (
    <>
      <form className="inline-form" onSubmit={submit} noValidate data-testid="token-form">
        <TextField
          label="Name"
          testId="token-name"
          className="input mono"
          value={name}
          placeholder="market-bot"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setName(e.target.value)}
        />
        <div className="field">
          <label htmlFor="token-scope">Scope</label>
          <select
            id="token-scope"
            className="input"
            value={scope}
            onChange={(e) => setScope(e.target.value as Scope)}
            data-testid="token-scope"
          >
            {SCOPES.map((s) => (
              <option key={s} value={s}>
                {SCOPE_WORDS[s]}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={create.isPending || !name.trim()}
          data-testid="token-create"
        >
          Create token
        </button>
      </form>
      {create.isError ? (
        <ErrorNote error={create.error} testId="token-create-error" title="No token was made." />
      ) : null}
      {create.isSuccess ? (
        <div className="note note-ok" role="status" data-testid="token-created">
          <p>
            Token &ldquo;{create.data.view.name}&rdquo; ({create.data.view.scope}). Copy it now: it is not shown again.
          </p>
          <p className="with-copy">
            <span className="mono break" data-testid="token-secret">
              {create.data.token}
            </span>
            <CopyButton text={create.data.token} what="token" />
          </p>
        </div>
      ) : null}
    </>
  );
}

function TokensTable(props: { tokens: TokenView[] | undefined; revoking: boolean; onRevoke: (name: string) => void }) {
  return (
    <table className="table" data-testid="tokens-table">
      <caption className="sr-only">API tokens</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Scope</th>
          <th scope="col">Created</th>
          <th scope="col">Last used</th>
          <th scope="col" className="num">
            Requests
          </th>
          <th scope="col" />
        </tr>
      </thead>
      <tbody>
        {props.tokens?.map((t) => (
          <tr key={t.name} data-testid={`token-row-${t.name}`} className={t.revokedAt ? 'muted' : undefined}>
            <td className="mono">{t.name}</td>
            <td>{t.scope}</td>
            <td>
              <When ms={t.createdAt} />
            </td>
            <td>{t.lastUsedAt ? <When ms={t.lastUsedAt} /> : <span className="muted">never</span>}</td>
            <td className="num">{t.calls}</td>
            <td>
              {t.revokedAt ? (
                <span data-testid={`token-revoked-${t.name}`}>revoked</span>
              ) : (
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  disabled={props.revoking}
                  onClick={() => props.onRevoke(t.name)}
                  data-testid={`token-revoke-${t.name}`}
                >
                  Revoke
                </button>
              )}
            </td>
          </tr>
        ))}
        {props.tokens?.length === 0 ? (
          <tr>
            <td colSpan={6} className="muted empty" data-testid="tokens-empty">
              No named tokens yet.
            </td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
