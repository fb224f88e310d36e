// What the network book holds, kept in step: an order whose service node left the list is
// dropped without a tombstone (it lists again when the service node is back), an expired one is
// dropped and no longer counts against its maker, and a snapshot is served page by page,
// starting over when the page boundary left the book meanwhile.
import { describe, expect, it } from 'vitest';
import { ARRIVAL, KNOWN_SERVICE_NODES, signedOrder } from '../../src-shared/orders/testkit.ts';
import type { KnownServiceNode } from '../../src-shared/orders/validate.ts';
import { silentLogger } from '../kernel/log.ts';
import { createBookState, listOrder, sweep } from './book-state.ts';
import { serveSnapshot } from './book-sync.ts';
import type { BookEvent } from './network-book.ts';
import { DEVA_DEVB } from './testkit.ts';

function setup() {
  let clock = ARRIVAL;
  let known: ReadonlyMap<string, KnownServiceNode> = KNOWN_SERVICE_NODES;
  const d = {
    markets: [DEVA_DEVB],
    offlineAfterMs: 60 * 60_000,
    log: silentLogger,
    now: () => clock,
    serviceNodes: () => known,
  };
  const st = createBookState(d);
  const events: string[] = [];
  st.listeners.add((e: BookEvent) => events.push(e.type === 'removed' ? `removed:${e.reason}` : e.type));
  return {
    st,
    d,
    events,
    at: (t: number) => void (clock = t),
    forgetServiceNodes: () => void (known = new Map()),
    remember: () => void (known = KNOWN_SERVICE_NODES),
  };
}

describe('sweeping the book', () => {
  it('an order whose service node left is dropped, not tombstoned: it lists again when its service node is back', () => {
    const s = setup();
    const order = signedOrder();
    expect(listOrder(s.st, s.d, order, order.baseAmount, null)).toBe(true);
    s.forgetServiceNodes();
    sweep(s.st, s.d);
    expect(s.events).toEqual(['listed', 'removed:service-node-gone']);
    expect(s.st.where.size).toBe(0);
    s.remember();
    expect(s.st.seen.orderStatus(order.id)).toBeUndefined();
    expect(listOrder(s.st, s.d, order, order.baseAmount, null)).toBe(true);
  });

  it('an expired order is dropped, and counts no more against its maker', () => {
    const s = setup();
    const order = signedOrder();
    listOrder(s.st, s.d, order, order.baseAmount, null);
    expect(s.st.perMaker.get(order.maker.pubkey)).toBe(1);
    s.at(order.expiresAt + 1);
    sweep(s.st, s.d);
    expect(s.events).toEqual(['listed', 'removed:expired']);
    expect(s.st.perMaker.has(order.maker.pubkey)).toBe(false);
  });
});

describe('serving a snapshot', () => {
  const orders = ['1a', '2b', '3c'].map((n) => signedOrder({ nonce: n.repeat(16) }));
  const request = (after: string | null, limit = 2) => ({
    type: 'book.snapshot.request',
    market: DEVA_DEVB,
    after,
    limit,
  });
  const scored: string[] = [];
  const scorer = { refused: (_p: string, reason: string) => void scored.push(reason), flooding() {} };

  it('pages through the book; an order past the page boundary that left makes the asker start over', () => {
    const s = setup();
    for (const o of orders) listOrder(s.st, s.d, o, o.baseAmount, null);
    const first = serveSnapshot(s.st, { scorer }, request(null), 'peer') as { entries: unknown[]; next: string };
    expect(first.entries).toHaveLength(2);
    const second = serveSnapshot(s.st, { scorer }, request(first.next), 'peer') as { entries: unknown[]; next: null };
    expect(second.entries).toHaveLength(1);
    expect(second.next).toBeNull();
    const gone = serveSnapshot(s.st, { scorer }, request('ff'.repeat(32)), 'peer');
    expect(gone).toEqual({ type: 'book.snapshot', market: DEVA_DEVB, entries: [], next: null });
  });

  it('a market this node does not trade is NOT_FOUND, and the refusal is reported with its reason', () => {
    const s = setup();
    expect(() =>
      serveSnapshot(s.st, { scorer }, { ...request(null), market: { base: 'DEVB', quote: 'DEVA' } }, 'peer'),
    ).toThrow(/does not trade DEVB\/DEVA/);
    expect(scored).toEqual(['unknown-market']);
  });
});
