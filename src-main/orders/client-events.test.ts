// What clients hear from the order network: every change of one of this node's orders, at most
// one 'orders.bookChanged' per market per window however many book events came, every trade
// record stored (heard as the internal fact) as 'history.trade', and nothing once stopped.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PushedEvent } from '../../src-shared/api/index.ts';
import { signedOrder } from '../../src-shared/orders/testkit.ts';
import { createEventBus } from '../api/events.ts';
import { createInternalBus } from '../kernel/bus.ts';
import '../history/facts.ts';
import { startClientEvents } from './client-events.ts';
import type { BookEvent } from './network-book.ts';
import { createMyOrders } from './my-orders.ts';
import { DEVNET, OUR_PEER, makerRecord, memoryRecords } from './testkit.ts';

afterEach(() => vi.useRealTimers());

const TRADE = {
  id: 'd0'.repeat(32),
  base: 'DEVA',
  quote: 'DEVB',
  side: 'buy' as const,
  price: '0.25',
  baseAmount: '1',
  quoteAmount: '0.25',
  time: 1,
  orderId: 'e0'.repeat(32),
  mine: false,
  txids: [],
  verified: 'pending' as const,
};

function setup() {
  vi.useFakeTimers();
  const records = memoryRecords();
  const bookListeners = new Set<(e: BookEvent) => void>();
  const bus = createInternalBus();
  const events = createEventBus();
  const heard: PushedEvent[] = [];
  events.subscribe((e) => heard.push(e));
  const stop = startClientEvents({
    records,
    book: {
      onEvent: (cb) => {
        bookListeners.add(cb);
        return () => bookListeners.delete(cb);
      },
    },
    bus,
    events,
    view: createMyOrders({ records, coins: DEVNET, p2p: { peerId: OUR_PEER } }).view,
  });
  const bookEvent = (e: BookEvent) => bookListeners.forEach((cb) => cb(e));
  return { records, bus, heard, stop, bookEvent, names: () => heard.map((e) => e.event) };
}

describe('client events of the order network', () => {
  it("each change of one of this node's orders is pushed as order.updated, as the user sees the order", () => {
    const s = setup();
    s.records.put(makerRecord());
    s.records.update('order-1', (r) => void (r.state = 'canceled'));
    expect(s.heard.map((e) => (e.event === 'orders.updated' ? e.data.state : e.event))).toEqual(['open', 'canceled']);
  });

  it('book events of one market within 50 ms make one orderbook.changed', () => {
    const s = setup();
    const order = signedOrder();
    s.bookEvent({ type: 'listed', order, remainingBase: 1n });
    s.bookEvent({ type: 'removed', order, reason: 'canceled' });
    expect(s.names()).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(s.heard).toEqual([{ event: 'orders.bookChanged', data: { base: 'DEVA', quote: 'DEVB' } }]);
    s.bookEvent({ type: 'listed', order, remainingBase: 1n });
    vi.advanceTimersByTime(50);
    expect(s.names()).toEqual(['orders.bookChanged', 'orders.bookChanged']);
  });

  it('a recorded trade (the internal fact) is pushed as trade.new', () => {
    const s = setup();
    s.bus.emit('trade.recorded', TRADE);
    expect(s.heard).toEqual([{ event: 'history.trade', data: TRADE }]);
  });

  it('once stopped, nothing more is pushed, not even a book change already waiting', () => {
    const s = setup();
    s.bookEvent({ type: 'listed', order: signedOrder(), remainingBase: 1n });
    s.stop();
    vi.advanceTimersByTime(100);
    s.records.put(makerRecord());
    s.bus.emit('trade.recorded', TRADE);
    expect(s.heard).toEqual([]);
  });
});
