// Shown when the page has no usable access token for the node: how to open the UI properly.
import { useEffect } from 'react';
import { tokenFromFragment } from '../api/token.ts';
import { Logo } from '../components/icons.tsx';

export function NoToken(props: { reason: 'missing' | 'refused' | 'no-node' }) {
  // Pasting the node's link into this tab changes only the fragment, which loads nothing: start over.
  useEffect(() => {
    const onHash = () => {
      if (tokenFromFragment(window.location.hash).token !== null) window.location.reload();
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  return (
    <div className="onboarding">
      <main className="onboarding-card" data-testid="no-token" data-reason={props.reason}>
        <div className="onboarding-brand">
          <Logo />
          <span>Hashlock</span>
        </div>
        <h1>
          {props.reason === 'refused'
            ? 'The node did not accept this page'
            : props.reason === 'no-node'
              ? 'No node to talk to'
              : 'Open Hashlock from your node\u2019s link'}
        </h1>
        {props.reason === 'refused' ? (
          <p className="lead">
            The access token this tab holds is not the node&rsquo;s current one. The node may have been restarted with a
            different data directory.
          </p>
        ) : props.reason === 'no-node' ? (
          <p className="lead">
            This page was opened from a file. Open it through the Hashlock desktop app, or through the link a running
            node prints.
          </p>
        ) : (
          <p className="lead">
            This page talks to a Hashlock node running on this computer, and needs the node&rsquo;s access token to do
            so.
          </p>
        )}
        <ol className="steps">
          <li>
            Start the node, for example <code>hashlock node</code> (or <code>npm run hashlock -- node</code> in the
            source folder).
          </li>
          <li>
            It prints a line with the address of the UI, ending in <code className="mono">#token=&hellip;</code>.
          </li>
          <li>
            Open exactly that address in this browser. The token stays in this tab and is removed from the address bar.
          </li>
        </ol>
        <p className="muted small">
          The token is also in the file <code>api-token</code> in the node&rsquo;s data directory.
        </p>
      </main>
    </div>
  );
}
