// Network: whether other nodes can reach this one, this node's identity on the peer-to-peer
// network, the peers it is connected to (and whether directly or through a relay), and a form to
// dial a peer by its multiaddr.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiProvider.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextField } from '../components/fields.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatLatency, shortenMiddle } from '../format/text.ts';
import { p2pKeys, p2pQueries } from './queries.ts';
import { ReachabilityPanel } from './ReachabilityPanel.tsx';

function PathCell({ path, relay }: { path: string | undefined; relay: string | undefined }) {
  if (path === 'relayed')
    return <span title={relay}>Through relay{relay !== undefined ? ` ${shortenMiddle(relay, 6, 4)}` : ''}</span>;
  if (path === 'upgraded') return <span>Direct (upgraded from a relay)</span>;
  if (path === 'direct') return <span>Direct</span>;
  return <span className="muted">—</span>;
}

function ThisNode() {
  const api = useApi();
  const info = useQuery(p2pQueries(api).info());
  return (
    <div className="panel stack" data-testid="p2p-info">
      <h2>This node</h2>
      {info.isError ? <ErrorNote error={info.error} /> : null}
      <dl className="facts">
        <dt>Peer ID</dt>
        <dd className="with-copy">
          <span className="mono break" data-testid="p2p-peer-id">
            {info.data?.peerId ?? '…'}
          </span>
          {info.data ? <CopyButton text={info.data.peerId} what="peer ID" testId="p2p-peer-id-copy" /> : null}
        </dd>
        <dt>Listening on</dt>
        <dd>
          {info.data && info.data.listenAddrs.length === 0 ? (
            <span className="muted">Not listening: this node only dials out.</span>
          ) : null}
          <ul className="addr-list">
            {info.data?.listenAddrs.map((a, i) => (
              <li key={a} className="with-copy">
                <span className="mono break" data-testid={`p2p-listen-addr-${i}`}>
                  {a}
                </span>
                <CopyButton text={a} what="address" />
              </li>
            ))}
          </ul>
        </dd>
      </dl>
    </div>
  );
}

function DialForm() {
  const api = useApi();
  const qc = useQueryClient();
  const [addr, setAddr] = useState('');
  const dial = useMutation({
    mutationFn: (a: string) => api.call('p2p.dial', { addr: a }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: p2pKeys.peers }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const a = addr.trim();
    if (a.length > 0) dial.mutate(a);
  };
  return (
    <form className="panel stack" onSubmit={submit} noValidate data-testid="dial-form">
      <h2>Connect to a peer</h2>
      <div className="inline-form">
        <TextField
          label="Peer address (multiaddr)"
          testId="dial-addr"
          className="input mono"
          value={addr}
          spellCheck={false}
          autoComplete="off"
          placeholder="/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…"
          onChange={(e) => {
            setAddr(e.target.value);
            if (!dial.isPending) dial.reset();
          }}
          hint="Ask the other person for one of the addresses under “Listening on” on their Network page."
        />
        <button
          type="submit"
          className="btn btn-primary"
          disabled={dial.isPending || addr.trim().length === 0}
          data-testid="dial-submit"
        >
          {dial.isPending ? 'Connecting…' : 'Connect'}
        </button>
      </div>
      {dial.isSuccess ? (
        <div className="note note-ok" role="status" data-testid="dial-result">
          <p>
            Connected to <span className="mono">{dial.data.peerId}</span>.
          </p>
        </div>
      ) : null}
      {dial.isError ? (
        <ErrorNote error={dial.error} testId="dial-error" title="Could not connect to that peer." />
      ) : null}
    </form>
  );
}

function PeersTable() {
  const api = useApi();
  const qc = useQueryClient();
  const peers = useQuery(p2pQueries(api).peers());
  return (
    <div className="panel flush" data-testid="peers">
      <div className="panel-head">
        <h2>Connected peers {peers.data ? <span className="count num">{peers.data.length}</span> : null}</h2>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void qc.invalidateQueries({ queryKey: p2pKeys.peers })}
          data-testid="peers-refresh"
        >
          Refresh
        </button>
      </div>
      {peers.isError ? (
        <div className="panel-pad">
          <ErrorNote error={peers.error} />
        </div>
      ) : null}
      <table className="table" data-testid="peers-table">
        <caption className="sr-only">Connected peers</caption>
        <thead>
          <tr>
            <th scope="col">Peer</th>
            <th scope="col">Addresses</th>
            <th scope="col">Direction</th>
            <th scope="col">Path</th>
            <th scope="col" className="num">
              Latency
            </th>
          </tr>
        </thead>
        <tbody>
          {peers.data?.map((p) => (
            <tr key={p.peerId} data-testid={`peer-row-${p.peerId}`}>
              <td>
                <span className="with-copy">
                  <span className="mono" title={p.peerId}>
                    {shortenMiddle(p.peerId, 10, 6)}
                  </span>
                  <CopyButton text={p.peerId} what="peer ID" />
                </span>
              </td>
              <td>
                <ul className="addr-list">
                  {p.addrs.map((a) => (
                    <li key={a} className="mono small break">
                      {a}
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                {p.direction === 'inbound' ? (
                  'Inbound'
                ) : p.direction === 'outbound' ? (
                  'Outbound'
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td data-testid={`peer-path-${p.peerId}`}>
                <PathCell path={p.path} relay={p.relay} />
              </td>
              <td className="num">
                {p.latencyMs !== undefined ? formatLatency(p.latencyMs) : <span className="muted">—</span>}
              </td>
            </tr>
          ))}
          {peers.data?.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted empty" data-testid="peers-empty">
                No peers connected. Peers from the node&rsquo;s bootstrap list connect by themselves; you can also
                connect to one above.
              </td>
            </tr>
          ) : null}
          {peers.isPending ? (
            <tr>
              <td colSpan={5} className="muted empty">
                Loading peers…
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

export function NetworkPage() {
  return (
    <section>
      <PageHeader
        title="Network"
        description="Hashlock nodes find each other and share orders over a peer-to-peer network. No central server is involved."
      />
      <ReachabilityPanel />
      <div className="two-col">
        <ThisNode />
        <DialForm />
      </div>
      <PeersTable />
    </section>
  );
}
