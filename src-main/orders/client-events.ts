// What the order network tells clients (windows, bots) on the client event bus: each change of
// one of this node's orders ('orders.updated'), a book that changed ('orders.bookChanged', at most
// one per market every 50 ms), and every trade record stored ('history.trade', heard as the internal
// fact 'trade.recorded'), so UIs update without polling.
import { marketKey } from '../../src-shared/orders/order.ts';
import type { EventBus } from '../api/events.ts';
import type { InternalBus } from '../kernel/bus.ts';
import '../history/facts.ts';
import type { NetworkBook } from './network-book.ts';
import type { OrderRecord, RecordStore } from './records.ts';
import type { OrderViewT } from './views.ts';

export interface ClientEventsDeps {
  records: Pick<RecordStore, 'onChange'>;
  book: Pick<NetworkBook, 'onEvent'>;
  bus: Pick<InternalBus, 'on'>;
  events: EventBus;
  view: (rec: OrderRecord) => OrderViewT;
  /** Book changes within this window are told once. */
  bookDebounceMs?: number;
}

/** Starts telling clients; returns what stops it (pending book notices are dropped). */
export function startClientEvents(d: ClientEventsDeps): () => void {
  let stopped = false;
  const bookTimers = new Map<string, NodeJS.Timeout>();
  const unsubs = [
    d.records.onChange((rec) => {
      if (!stopped) d.events.emit('orders.updated', d.view(rec));
    }),
    d.book.onEvent((e) => {
      const key = marketKey(e.order.market);
      if (bookTimers.has(key)) return;
      const t = setTimeout(() => {
        bookTimers.delete(key);
        if (!stopped) d.events.emit('orders.bookChanged', { base: e.order.market.base, quote: e.order.market.quote });
      }, d.bookDebounceMs ?? 50);
      t.unref();
      bookTimers.set(key, t);
    }),
    d.bus.on('trade.recorded', (trade) => {
      if (!stopped) d.events.emit('history.trade', trade);
    }),
  ];
  return () => {
    stopped = true;
    for (const t of bookTimers.values()) clearTimeout(t);
    for (const u of unsubs.splice(0)) u();
  };
}
