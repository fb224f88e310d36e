// Always-visible status: which network the node runs, how many peers, whether the link to
// the node is up, the theme switch, and the vault lock.
import { useQuery } from '@tanstack/react-query';
import { useApi, useConnection } from '../api/ApiProvider.tsx';
import { Icon } from '../components/icons.tsx';
import { nodeQueries } from '../node/index.ts';
import { p2pQueries } from '../p2p/index.ts';
import { useThemeSetting } from '../settings/index.ts';
import { useLockVault } from '../vault/index.ts';
import { href } from './routes.ts';

export function Header() {
  const api = useApi();
  const connection = useConnection();
  const { theme, setTheme } = useThemeSetting();
  const node = useQuery(nodeQueries(api).info());
  const peers = useQuery(p2pQueries(api).peers());

  const lock = useLockVault();

  const linkUp = connection.status === 'open';
  const peerCount = peers.data?.length;
  return (
    <header className="topbar">
      <div className="topbar-status">
        <span
          className="status-item"
          data-testid="node-status"
          title={linkUp ? 'Connected to the node' : 'Not connected to the node'}
        >
          <span className={linkUp ? 'dot dot-ok' : 'dot dot-warn'} aria-hidden="true" />
          <span>
            {linkUp ? 'Node' : 'Node offline'}
            {node.data ? (
              <span className="muted">
                {' '}
                &middot; {node.data.network}
                {node.data.role === 'servicenode' ? ' \u00b7 service node' : ''}
              </span>
            ) : null}
          </span>
        </span>
        <a className="status-item status-link" href={href('network')} data-testid="peer-count">
          <span>
            <span className="num">{peerCount ?? '\u2013'}</span> {peerCount === 1 ? 'peer' : 'peers'}
          </span>
        </a>
      </div>
      <div className="topbar-actions">
        <button
          type="button"
          className="btn btn-ghost btn-icon"
          data-testid="theme-toggle"
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
          aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
          title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
        >
          <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
        </button>
        <span className="status-item" data-testid="vault-state">
          <span className="dot dot-ok" aria-hidden="true" /> Vault unlocked
        </span>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => lock.mutate()}
          disabled={lock.isPending}
          data-testid="lock-vault"
        >
          <Icon name="lock" /> Lock
        </button>
      </div>
    </header>
  );
}
