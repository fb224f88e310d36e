// The order-network repositories (orders, trades, service nodes) against a real SQLite store:
// round trips across reopen, listing order, and what the schema refuses.
import { describe, expect, it } from 'vitest';
import { createOrderRepo } from '../orders/repo.ts';
import { createServiceNodeRepo } from '../servicenode/repo.ts';
import { createTradeRepo } from '../history/repo.ts';
import { useTempStore } from '../../test/support/temp-store.ts';

const store = useTempStore();

describe('order repository', () => {
  type Row = Parameters<ReturnType<typeof createOrderRepo>['put']>[0];
  const row = (over: Partial<Row> = {}): Row => ({
    id: 'o1',
    kind: 'limit',
    role: 'maker',
    state: 'new',
    base: 'DEVA',
    quote: 'DEVB',
    data: {},
    ...over,
  });

  it('round-trips an order with bigint data across reopen, keeping created_at on update', () => {
    const repo = createOrderRepo(store.db, { now: store.now });
    repo.put(row({ data: { remaining: 5n } }));
    store.clock = 2_000;
    repo.put(row({ state: 'open', data: { remaining: 4n } }));
    const again = createOrderRepo(store.reopen(), { now: store.now });
    expect(again.get('o1')).toEqual({
      id: 'o1',
      kind: 'limit',
      role: 'maker',
      state: 'open',
      base: 'DEVA',
      quote: 'DEVB',
      data: { remaining: 4n },
      createdAt: 1_000,
      updatedAt: 2_000,
    });
    expect(again.get('nope')).toBeUndefined();
  });

  it('lists newest first, and only live orders when asked', () => {
    const repo = createOrderRepo(store.db, { now: store.now });
    for (const [i, state] of (['open', 'finished', 'hold', 'canceled'] as const).entries()) {
      store.clock = 1_000 + i;
      repo.put(row({ id: `o${i}`, state }));
    }
    expect(repo.list().map((o) => o.id)).toEqual(['o3', 'o2', 'o1', 'o0']);
    expect(repo.list({ live: true }).map((o) => o.id)).toEqual(['o2', 'o0']);
    expect(repo.list({ limit: 1 }).map((o) => o.id)).toEqual(['o3']);
  });

  it('refuses a state that is not an order state', () => {
    const repo = createOrderRepo(store.db, { now: store.now });
    expect(() => repo.put(row({ state: 'filled' }))).toThrow(/CHECK/);
  });
});

describe('trade repository', () => {
  const row = (tradeId: string, finishedAt: number, over: Partial<{ base: string; mine: boolean }> = {}) => ({
    tradeId,
    base: over.base ?? 'DEVA',
    quote: 'DEVB',
    finishedAt,
    record: { baseAmount: 7n, tradeId },
    verified: 'pending' as const,
    mine: over.mine ?? false,
  });

  it('stores a trade once: a second record with the same id changes nothing', () => {
    const repo = createTradeRepo(store.db, { now: store.now });
    expect(repo.add(row('t1', 10))).toBe(true);
    expect(repo.add({ ...row('t1', 99), record: { other: true } })).toBe(false);
    expect(createTradeRepo(store.reopen()).get('t1')).toEqual(row('t1', 10));
  });

  it('records the chain check and lists by market, mine and time', () => {
    const repo = createTradeRepo(store.db, { now: store.now });
    repo.add(row('t1', 10));
    repo.add(row('t2', 30, { mine: true }));
    repo.add(row('t3', 20, { base: 'DEVC' }));
    repo.setVerified('t1', 'yes');
    expect(repo.get('t1')?.verified).toBe('yes');
    expect(repo.list().map((t) => t.tradeId)).toEqual(['t2', 't3', 't1']);
    expect(repo.list({ base: 'DEVA', quote: 'DEVB' }).map((t) => t.tradeId)).toEqual(['t2', 't1']);
    expect(repo.list({ mine: true }).map((t) => t.tradeId)).toEqual(['t2']);
    expect(repo.range('DEVA', 'DEVB', 0, 30).map((t) => t.tradeId)).toEqual(['t1']);
    expect(repo.range('DEVA', 'DEVB', 0, 31).map((t) => t.tradeId)).toEqual(['t1', 't2']);
  });
});

describe('service node repository', () => {
  it('keeps registrations by outpoint with their latest heartbeat', () => {
    type Node = Parameters<ReturnType<typeof createServiceNodeRepo>['putNode']>[0];
    const repo = createServiceNodeRepo(store.db, { now: store.now });
    const registration = (over: Partial<Node>): Node => ({
      outpoint: 'a:0',
      pubkey: '02aa',
      registration: { seq: 1 },
      announce: null,
      verified: 'no-chain',
      lastSeen: 5,
      ...over,
    });
    const first = registration({});
    const latest = registration({
      pubkey: '02bb',
      registration: { seq: 2 },
      announce: { fee: 3n },
      verified: 'yes',
      lastSeen: 6,
    });
    const other = registration({ outpoint: 'b:1', pubkey: '02cc', verified: 'failed', lastSeen: 1 });
    for (const node of [first, latest, other]) repo.putNode(node);
    const again = createServiceNodeRepo(store.reopen());
    // The second registration of a:0 replaced the first.
    expect(again.listNodes()).toEqual([latest, other]);
    again.deleteNode('b:1');
    expect(again.listNodes().map((n) => n.outpoint)).toEqual(['a:0']);
  });

  it('lets a fee transaction pay for one hold, and marks a hold traded once', () => {
    const repo = createServiceNodeRepo(store.db, { now: store.now });
    expect(repo.addHold({ holdId: 'h1', orderId: 'o1', feeTxid: 'f1', hold: { baseAmount: 1n } })).toBe(true);
    expect(repo.feeUsed('f1')).toBe(true);
    expect(repo.feeUsed('f2')).toBe(false);
    expect(repo.holdByFee('f1')).toMatchObject({ holdId: 'h1', hold: { baseAmount: 1n } });
    expect(repo.holdByFee('f2')).toBeUndefined();
    expect(repo.addHold({ holdId: 'h2', orderId: 'o1', feeTxid: 'f1', hold: {} })).toBe(false);
    expect(repo.markTraded('h1', 't1')).toBe(true);
    expect(repo.markTraded('h1', 't1')).toBe(false);
    expect(repo.holds()).toEqual([
      {
        holdId: 'h1',
        orderId: 'o1',
        feeTxid: 'f1',
        hold: { baseAmount: 1n },
        status: 'traded',
        tradeId: 't1',
        createdAt: 1_000,
      },
    ]);
  });
});
