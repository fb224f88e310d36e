// The payment book: every payment with its request, txid, fee and the identity it was made to.
// The merchant is looked up again at each showing, so a withdrawn profile or private detail is
// gone from here too.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Result } from '../../src-shared/api/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { Amount } from '../components/Amount.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { shortTime } from '../format/time.ts';
import { phaseWords } from './PaymentStatus.tsx';
import { paymentKeys, paymentQueries } from './queries.ts';

type Payment = Result<'payments.book'>[number];

export function BookTab() {
  const api = useApi();
  const book = useQuery(paymentQueries(api).book());
  return (
    <div className="panel flush">
      {book.isError ? <ErrorNote error={book.error} /> : null}
      <table className="table" data-testid="book-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">To</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col" className="num">
              Fee
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {book.data?.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted empty" data-testid="book-empty">
                No payments yet.
              </td>
            </tr>
          ) : null}
          {book.data?.map((p) => (
            <BookRow key={p.key} p={p} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BookRow(props: { p: Payment }) {
  const { p } = props;
  const api = useApi();
  const qc = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => api.call('payments.paymentCancel', { key: p.key }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: paymentKeys.book }),
  });
  const m = p.merchant;
  const metadata = Object.entries(m?.metadata ?? {});
  return (
    <tr data-testid={`book-row-${p.key}`} data-phase={p.phase}>
      <td className="nowrap">{shortTime(p.createdAt)}</td>
      <td>
        <div data-testid={`book-to-${p.key}`}>
          {m?.name ?? p.name ?? p.label ?? <span className="mono small">{p.address}</span>}
          {m?.profile === 'deleted' ? <span className="badge badge-error">identity deleted</span> : null}
        </div>
        {p.did ? <div className="merchant-did">{p.did}</div> : null}
        {metadata.length > 0 ? (
          <dl className="merchant-meta small" data-testid={`book-metadata-${p.key}`}>
            {metadata.map(([k, v]) => (
              <div key={k} className="meta-row">
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        ) : m?.metadataState === 'withdrawn' ? (
          <div className="small muted" data-testid={`book-metadata-withdrawn-${p.key}`}>
            Private details withdrawn by the merchant.
          </div>
        ) : null}
        {p.txid ? <div className="mono small muted">{p.txid}</div> : null}
      </td>
      <td className="num">
        <Amount value={p.amount} unit={p.ticker} />
      </td>
      <td className="num">
        <Amount value={p.fee} unit={p.ticker} />
      </td>
      <td>
        <span data-testid={`book-status-${p.key}`}>{phaseWords(p)}</span>
        {p.phase === 'failed' || (p.phase === 'ready' && p.note === 'not-sent') ? (
          <button type="button" className="btn btn-small btn-ghost" onClick={() => cancel.mutate()}>
            Cancel
          </button>
        ) : null}
      </td>
    </tr>
  );
}
