// Tells the user when their coins move: order fills, swap completions, refunds and failures,
// from pushed events. A desktop notification when the window is in the background (and
// permitted), and always a short in-app notice. Settings → Notifications mutes both.
import { partialMatchKey, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Result } from '../../src-shared/api/contract.ts';
import { useEvents } from '../api/ApiProvider.tsx';
import { formatNumber, useNumberFormat } from '../format/number-format.tsx';
import { orderKeys } from '../orders/index.ts';
import { paymentKeys, RequestNoticeTracker } from '../payments/index.ts';
import { swapKeys } from '../swaps/index.ts';
import { NoticeTracker, type Notice } from './derive.ts';
import { showDesktopNotification } from './permission.ts';
import '../styles/trade.css';

const SHOW_MS = 8000;
const MAX_TOASTS = 4;

type OrderList = Result<'orders.mine'>;
type SwapList = Result<'swaps.list'>;
type RequestList = Result<'payments.requests'>;

/** `muted`: Settings → Notifications; then neither a notice nor a desktop notification is shown. */
export function Notifier(props: { muted: boolean }) {
  const qc = useQueryClient();
  const fmt = useNumberFormat();
  const [toasts, setToasts] = useState<Notice[]>([]);
  const tracker = useRef(new NoticeTracker());
  const requests = useRef(new RequestNoticeTracker());

  // The baseline is what the node reported when the user's lists were fetched (already on
  // screen, not news). Seeded from fetches only: by the time an event reaches this listener the
  // cache has already been updated from that same event.
  useEffect(() => {
    const t = tracker.current;
    const seed = (key: QueryKey, data: unknown) => {
      if (partialMatchKey(key, swapKeys.list)) for (const s of (data as SwapList | undefined) ?? []) t.seedSwap(s);
      if (partialMatchKey(key, orderKeys.mine)) for (const o of (data as OrderList | undefined) ?? []) t.seedOrder(o);
      if (partialMatchKey(key, paymentKeys.requests))
        for (const r of (data as RequestList | undefined) ?? []) requests.current.seed(r);
    };
    for (const q of qc.getQueryCache().getAll()) seed(q.queryKey, q.state.data);
    return qc.getQueryCache().subscribe((ev) => {
      if (ev.type === 'updated' && ev.action.type === 'success' && !ev.action.manual)
        seed(ev.query.queryKey, ev.action.data);
    });
  }, [qc]);

  const show = (notice: Notice | null) => {
    if (!notice || props.muted) return;
    const n = notice;
    if (document.hidden || !document.hasFocus())
      showDesktopNotification({ title: n.title, body: n.body, tag: n.key, link: n.link });
    setToasts((list) => [n, ...list.filter((x) => x.key !== n.key)].slice(0, MAX_TOASTS));
    setTimeout(() => setToasts((list) => list.filter((x) => x.key !== n.key)), SHOW_MS);
  };
  const format = (d: string) => formatNumber(fmt, d);
  useEvents({
    'orders.updated': (order) => show(tracker.current.order(order, format)),
    'swaps.updated': (swap) => show(tracker.current.swap(swap, format)),
    'payments.requestUpdated': (r) => {
      const n = requests.current.update(r, format);
      show(n && { ...n, kind: 'payment' });
    },
  });

  return (
    <div className="toasts" role="status" aria-live="polite" data-testid="toast-stack">
      {toasts.map((n) => (
        <div key={n.key} className={`toast toast-${n.kind}`} data-testid="toast" data-kind={n.kind}>
          <div className="toast-text">
            <p className="toast-title">{n.title}</p>
            <p className="toast-body">{n.body}</p>
          </div>
          <div className="toast-actions">
            {n.link ? (
              <a className="btn btn-small btn-ghost" href={n.link}>
                Open
              </a>
            ) : null}
            <button
              type="button"
              className="btn btn-small btn-ghost"
              aria-label="Dismiss"
              onClick={() => setToasts((l) => l.filter((x) => x.key !== n.key))}
            >
              {'\u00d7'}
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}
