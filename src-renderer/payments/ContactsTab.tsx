// Contacts (saved, and identities paid before): the names lookalike warnings compare with; whether
// the node may ask peers for a profile it lacks; and the payment book's backup.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/ApiProvider.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { fullTime } from '../format/time.ts';
import { paymentKeys, paymentQueries } from './queries.ts';

export function ContactsTab() {
  const api = useApi();
  const qc = useQueryClient();
  const contacts = useQuery(paymentQueries(api).contacts());
  const settings = useQuery(paymentQueries(api).settings());
  const remove = useMutation({
    mutationFn: (did: string) => api.call('payments.contactRemove', { did }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: paymentKeys.contacts }),
  });
  const setAsk = useMutation({
    mutationFn: (askPeers: boolean) => api.call('payments.settingsSet', { askPeers }),
    onSuccess: (s) => qc.setQueryData(paymentKeys.settings, s),
  });
  return (
    <div className="stack">
      <div className="panel panel-pad stack">
        <h2>Looking up merchants</h2>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.data?.askPeers ?? false}
            disabled={!settings.data || setAsk.isPending}
            onChange={(e) => setAsk.mutate(e.target.checked)}
            data-testid="payments-ask-peers"
          />
          <span>
            Ask peers for a merchant&rsquo;s profile when this node has none. Off by default: it tells them whom you are
            about to pay.
          </span>
        </label>
        {setAsk.isError ? <ErrorNote error={setAsk.error} /> : null}
      </div>
      <BackupPanel />
      <div className="panel flush">
        <table className="table" data-testid="contacts-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Identity</th>
              <th scope="col">Known as</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {contacts.data?.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted empty">
                  No contacts yet. Save an identity from its card when you pay it.
                </td>
              </tr>
            ) : null}
            {contacts.data?.map((c) => (
              <tr key={c.did} data-testid={`contact-row-${c.did}`}>
                <td>{c.name}</td>
                <td className="mono small">{c.did}</td>
                <td>{c.source === 'saved' ? 'Saved contact' : 'Paid before'}</td>
                <td>
                  {c.source === 'saved' ? (
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => remove.mutate(c.did)}>
                      Forget
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Where the payment book's backup stands: kept under which identity, when, and what a restore found. */
function BackupPanel() {
  const api = useApi();
  const b = useQuery(paymentQueries(api).backup()).data;
  if (!b) return null;
  const words =
    b.state === 'no-identity'
      ? 'Not backed up: create and publish an identity (Identity page) to keep your payment book under it.'
      : b.state === 'error'
        ? `The last backup failed: ${b.error ?? 'unknown error'}.`
        : b.state === 'pending'
          ? 'Your payment book will be backed up in a moment.'
          : `${b.entries} payments and requests are backed up in ${b.pages} encrypted record${b.pages === 1 ? '' : 's'} under your identity${b.publishedAt ? `, last on ${fullTime(b.publishedAt)}` : ''}.`;
  return (
    <div className="panel panel-pad stack" data-testid="payments-backup" data-state={b.state}>
      <h2>Backup</h2>
      <p>{words}</p>
      <p className="small muted">
        Only your recovery phrase opens it. Restoring the phrase on another computer brings your payment book back once
        your identity&rsquo;s records arrive from the network.
        {b.did ? ` Kept under ${b.did}.` : ''}
      </p>
      {b.omitted ? (
        <p className="small" data-testid="payments-backup-omitted">
          The backup holds the newest entries of a long book: the oldest {b.omitted} are kept on this computer only.
        </p>
      ) : null}
      {b.restored ? (
        <p className="small" data-testid="payments-backup-restored">
          {b.restored} entries were restored from the backup{b.restoredAt ? ` on ${fullTime(b.restoredAt)}` : ''}.
        </p>
      ) : null}
    </div>
  );
}
