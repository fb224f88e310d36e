// What this node keeps as a storage node: per community topic (it never knows names or members)
// the items, bytes against the quota, retention and age. Shown only when the role is on.
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/ApiProvider.tsx';
import { shortTime } from '../format/time.ts';
import { communityQueries } from './queries.ts';

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 2 : 0)} MiB`;

export function StorageReport() {
  const api = useApi();
  const q = useQuery(communityQueries(api).storageReport());
  const r = q.data;
  if (!r?.enabled) return null;
  return (
    <div className="panel panel-pad stack" data-testid="cm-storage-report">
      <h2 className="panel-title">This node is a storage node</h2>
      <p className="muted">
        It keeps encrypted messages for {r.topics.length} {r.topics.length === 1 ? 'community' : 'communities'} that
        named it: {mib(r.totalBytes)} in all, up to {mib(r.quotaBytesPerCommunity)} each. It cannot read them and does
        not know their names or members.
      </p>
      {r.topics.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col" className="num">
                Items
              </th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col" className="num">
                Kept for
              </th>
              <th scope="col">Newest</th>
            </tr>
          </thead>
          <tbody>
            {r.topics.map((t) => (
              <tr key={t.topic}>
                <td className="mono small">{t.topic.split('/').at(-1)?.slice(0, 16)}…</td>
                <td className="num">{t.items}</td>
                <td className="num">
                  {mib(t.bytes)} / {mib(t.quotaBytes)}
                </td>
                <td className="num">{t.retentionDays} days</td>
                <td>{t.newestAt ? shortTime(t.newestAt) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
