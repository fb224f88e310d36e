// The Network page's first answer: can other nodes reach this one, and how (docs/p2p.md
// "Reachability shown to users"). The words come from the node, so the API and the page agree.
import { useQuery } from '@tanstack/react-query';
import type { Reachability } from '../../src-shared/p2p/reachability.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { shortenMiddle } from '../format/text.ts';
import { p2pQueries } from './queries.ts';

const TONE: Record<Reachability['state'], string> = {
  offline: 'note-error',
  checking: 'note-muted',
  public: 'note-ok',
  relayed: 'note-info',
  unreachable: 'note-warn',
};

function AddrList({ addrs, testId }: { addrs: readonly string[]; testId: string }) {
  return (
    <ul className="addr-list" data-testid={testId}>
      {addrs.map((a) => (
        <li key={a} className="with-copy">
          <span className="mono small break">{a}</span>
          <CopyButton text={a} what="address" />
        </li>
      ))}
    </ul>
  );
}

function Facts({ r }: { r: Reachability }) {
  return (
    <dl className="facts">
      {r.publicAddrs.length > 0 ? (
        <>
          <dt>Public addresses</dt>
          <dd>
            <AddrList addrs={r.publicAddrs} testId="reach-public-addrs" />
          </dd>
        </>
      ) : null}
      <dt>Relays in use</dt>
      <dd data-testid="reach-relays">
        {r.relays.length === 0 ? (
          <span className="muted">None</span>
        ) : (
          <ul className="addr-list">
            {r.relays.map((relay) => (
              <li key={relay.peerId} className="with-copy">
                <span className="mono" title={relay.addr}>
                  {shortenMiddle(relay.peerId, 10, 6)}
                </span>
                <CopyButton text={relay.addr} what="relayed address" />
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Connections</dt>
      <dd data-testid="reach-paths">
        {r.peers.direct} direct, {r.peers.upgraded} made direct after starting through a relay, {r.peers.relayed}{' '}
        through a relay
      </dd>
      <dt>Router port mapping</dt>
      <dd>{r.portMapping ? 'Asked of the router (UPnP / NAT-PMP)' : 'Off'}</dd>
      <dt>Relays for others</dt>
      <dd>{r.servesRelay ? 'Yes, within its limits' : 'No'}</dd>
    </dl>
  );
}

export function ReachabilityPanel() {
  const api = useApi();
  const reach = useQuery(p2pQueries(api).reachability());
  const r = reach.data;
  return (
    <div className="panel stack" data-testid="reachability" data-state={r?.state}>
      <h2>Can others reach this node?</h2>
      {reach.isError ? <ErrorNote error={reach.error} /> : null}
      {r === undefined ? (
        <p className="muted">…</p>
      ) : (
        <>
          <div className={`note ${TONE[r.state]}`} role="status">
            <p className="note-title" data-testid="reach-summary">
              {r.summary}
            </p>
            {r.detail ? <p data-testid="reach-detail">{r.detail}</p> : null}
          </div>
          <Facts r={r} />
        </>
      )}
    </div>
  );
}
