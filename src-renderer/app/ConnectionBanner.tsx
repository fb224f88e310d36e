// A calm strip at the top while the link to the node is down; the client reconnects by itself.
import { useConnection } from '../api/ApiProvider.tsx';

export function ConnectionBanner() {
  const c = useConnection();
  if (c.status === 'open' || !c.everOpened || c.status === 'unauthorized') return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="connection-banner">
      <span className="dot dot-warn" aria-hidden="true" />
      Disconnected from the node &mdash; reconnecting{c.attempt > 1 ? ` (attempt ${c.attempt})` : ''}&hellip;
      <span className="muted"> Anything you were doing will need to be tried again once it is back.</span>
    </div>
  );
}
