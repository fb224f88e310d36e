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
    expect(listOrder(s.st, s.d, order, order.baseAmount, null)).toBe('listed');
    s.forgetServiceNodes();
    sweep(s.st, s.d);
    expect(s.events).toEqual(['listed', 'removed:service-node-gone']);
    expect(s.st.where.size).toBe(0);
    s.remember();
    expect(s.st.seen.orderStatus(order.id)).toBeUndefined();
    expect(listOrder(s.st, s.d, order, order.baseAmount, null)).toBe('listed');
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

describe('item 4: a coin backs one listed order', () => {
  const coin = `${'cd'.repeat(32)}:1`;
  const first = signedOrder({ makerUtxos: [coin], nonce: '51'.repeat(16) }, { signedAt: ARRIVAL - 500 });
  const second = signedOrder(
    { makerUtxos: [`${'ef'.repeat(32)}:0`, coin], nonce: '52'.repeat(16) },
    { signedAt: ARRIVAL - 100 },
  );

  it.each([
    ['the earlier order first', [first, second]],
    ['the later order first', [second, first]],
  ])('every book keeps the order signed first, whatever the arrival order (%s)', (_n, arrivals) => {
    const s = setup();
    const outcomes = arrivals.map((o) => listOrder(s.st, s.d, o, o.baseAmount, null));
    expect([...s.st.where.keys()]).toEqual([first.id]);
    expect(s.st.coins.get(coin)).toBe(first.id);
    if (arrivals[0] === first) expect(outcomes).toEqual(['listed', 'coin-in-use']);
    else {
      expect(outcomes).toEqual(['listed', 'listed']);
      expect(s.events).toEqual(['listed', 'removed:coin-in-use', 'listed']);
      // The dropped order is dead: it cannot come back.
      expect(s.st.seen.orderStatus(second.id)).toBe('dead');
    }
  });

  it('a coin is free again once its order leaves the book', () => {
    const s = setup();
    listOrder(s.st, s.d, first, first.baseAmount, null);
    s.at(first.expiresAt + 1);
    sweep(s.st, s.d);
    expect(s.st.coins.size).toBe(0);
  });
});
