// Tells the user when their coins move: order fills, swap completions, refunds and failures,
// from pushed events. A desktop notification when the window is in the background (and
// permitted), and always a short in-app notice. Settings → Notifications mutes both.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Result } from '../../src-shared/api/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { queryKeys } from '../api/queries.ts';
import { tradeKeys } from '../api/trade-queries.ts';
import { formatNumber, useNumberFormat } from '../settings/number-format.tsx';
import { useSettings } from '../settings/use-settings.ts';
import { NoticeTracker, type Notice } from './derive.ts';
import { showDesktopNotification } from './permission.ts';
import '../styles/trade.css';

const SHOW_MS = 8000;
const MAX_TOASTS = 4;

type OrderList = Result<'getMyOrders'>;
type SwapList = Result<'swaps.list'>;

export function Notifier() {
  const api = useApi();
  const qc = useQueryClient();
  const settings = useSettings();
  const fmt = useNumberFormat();
  const [toasts, setToasts] = useState<Notice[]>([]);
  const tracker = useRef(new NoticeTracker());
  // Read inside the event handler without resubscribing on every settings change.
  const live = useRef({ muted: false, fmt });
  live.current = { muted: settings.data?.notifications.muted ?? false, fmt };

  // The baseline is what the node reported when the user's lists were fetched (already on
  // screen, not news). Seeded from fetches only: by the time an event reaches this listener the
  // cache has already been updated from that same event.
  useEffect(() => {
    const t = tracker.current;
    const seed = (key: readonly unknown[], data: unknown) => {
      if (key[0] === queryKeys.swapList[0] && key[1] === queryKeys.swapList[1])
        for (const s of (data as SwapList | undefined) ?? []) t.seedSwap(s);
      if (key[0] === tradeKeys.orders[0] && key[1] === 'mine')
        for (const o of (data as OrderList | undefined) ?? []) t.seedOrder(o);
    };
    for (const q of qc.getQueryCache().getAll()) seed(q.queryKey, q.state.data);
    return qc.getQueryCache().subscribe((ev) => {
      if (ev.type === 'updated' && ev.action.type === 'success' && !ev.action.manual)
        seed(ev.query.queryKey, ev.action.data);
    });
  }, [qc]);

  useEffect(
    () =>
      api.onEvent((e) => {
        const t = tracker.current;
        let notice: Notice | null = null;
        const format = (d: string) => formatNumber(live.current.fmt, d);
        if (e.event === 'order.updated') notice = t.order(e.data as Result<'getOrder'>, format);
        else if (e.event === 'swap.updated') notice = t.swap(e.data as SwapList[number], format);
        if (!notice || live.current.muted) return;
        const n = notice;
        if (document.hidden || !document.hasFocus())
          showDesktopNotification({ title: n.title, body: n.body, tag: n.key, link: n.link });
        setToasts((list) => [n, ...list.filter((x) => x.key !== n.key)].slice(0, MAX_TOASTS));
        setTimeout(() => setToasts((list) => list.filter((x) => x.key !== n.key)), SHOW_MS);
      }),
    [api, qc],
  );

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
