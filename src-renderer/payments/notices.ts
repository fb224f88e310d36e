// What to tell the merchant when one of their requests is paid into: money seen, and the request
// settled. Pure, so the wording and which changes deserve a notice are tested without a browser.
import type { EventPayload } from '../../src-shared/api/contract.ts';

type RequestView = EventPayload<'payments.requestUpdated'>;

export interface PaymentNotice {
  key: string;
  title: string;
  body: string;
  link: string;
}

/** `before`: the request's status as last seen (undefined: not seen yet). */
export function requestNotice(
  before: RequestView['status'] | undefined,
  r: RequestView,
  fmt: (d: string) => string = (d) => d,
): PaymentNotice | null {
  const s = r.status;
  const what = r.label ? ` for "${r.label}"` : '';
  const link = `#/pay/request/${r.id}`;
  if (s.settled && !before?.settled) {
    return {
      key: `request:${r.id}:settled`,
      title: 'Payment received and confirmed',
      body: `${fmt(s.received)} ${r.ticker}${what}. ${s.words}`,
      link,
    };
  }
  const beforeReceived = before ? before.received : '0';
  if (s.received !== '0' && beforeReceived === '0') {
    return {
      key: `request:${r.id}:seen`,
      title: 'Payment received',
      body: `${fmt(s.received)} ${r.ticker}${what}. ${s.words}`,
      link,
    };
  }
  return null;
}

/** Remembers each request's last status, so each arrival and each settlement is told once. */
export class RequestNoticeTracker {
  private seen = new Map<string, RequestView['status']>();
  seed(r: RequestView): void {
    this.seen.set(r.id, r.status);
  }
  update(r: RequestView, fmt?: (d: string) => string): PaymentNotice | null {
    const before = this.seen.get(r.id);
    this.seen.set(r.id, r.status);
    return requestNotice(before, r, fmt);
  }
}
