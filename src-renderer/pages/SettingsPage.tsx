// Settings: appearance, the vault, and facts about the node this app is talking to.
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/ApiProvider.tsx';
import { nodeQueries } from '../api/queries.ts';
import { useTheme, type Theme } from '../app/theme.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatDuration } from '../format/text.ts';

export function SettingsPage() {
  const api = useApi();
  const { theme, setTheme } = useTheme();
  const node = useQuery(nodeQueries(api).info());

  return (
    <section className="page-narrow">
      <PageHeader title="Settings" />
      <div className="panel stack">
        <h2>Appearance</h2>
        <fieldset className="field">
          <legend>Theme</legend>
          <div className="segmented">
            {(['dark', 'light'] as Theme[]).map((t) => (
              <label key={t} className="segmented-option">
                <input type="radio" name="theme" value={t} checked={theme === t} onChange={() => setTheme(t)} data-testid={`theme-${t}`} />
                <span>{t === 'dark' ? 'Dark' : 'Light'}</span>
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <div className="panel stack">
        <h2>Node</h2>
        {node.isError ? <ErrorNote error={node.error} /> : null}
        <dl className="facts" data-testid="node-facts">
          <dt>Version</dt><dd>{node.data?.version ?? '\u2026'}</dd>
          <dt>Network</dt><dd>{node.data?.network ?? '\u2026'}</dd>
          <dt>Role</dt><dd>{node.data ? (node.data.role === 'servicenode' ? 'Service node' : 'Trader') : '\u2026'}</dd>
          <dt>Running for</dt><dd>{node.data ? formatDuration(node.data.uptimeSec) : '\u2026'}</dd>
          <dt>Peer ID</dt>
          <dd className="with-copy">
            <span className="mono break">{node.data?.peerId ?? '\u2026'}</span>
            {node.data ? <CopyButton text={node.data.peerId} what="peer ID" /> : null}
          </dd>
        </dl>
      </div>
      <div className="panel stack">
        <h2>Vault</h2>
        <p className="muted">
          The vault holds the keys for swap claims, refunds and identity, encrypted with your password. Lock it with
          the Lock button at the top; it then needs the password again. Your coins stay in your own wallets either way.
        </p>
      </div>
    </section>
  );
}
