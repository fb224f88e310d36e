import { describe, expect, it } from 'vitest';
import type { EventName } from '../../src-shared/api/contract.ts';
import { eventHarness } from './event-harness.ts';
import { recentIds, type FeatureEventsFactory } from './events.ts';

/** A feature that records what reached it, as `<name>:<event>`. */
function recorder(name: string, log: string[], wants: readonly EventName[]): FeatureEventsFactory {
  return () => ({
    on: Object.fromEntries(wants.map((w) => [w, () => log.push(`${name}:${w}`)])),
  });
}

describe('the event dispatcher', () => {
  it('hands each event only to the features that registered it, in registry order', () => {
    const log: string[] = [];
    const h = eventHarness([
      recorder('wallets', log, ['wallets.changed', 'vault.state']),
      recorder('orders', log, ['wallets.changed']),
      recorder('p2p', log, ['p2p.peers']),
    ]);
    h.events.dispatch({ event: 'wallets.changed', data: { ticker: 'DEVA' } });
    h.events.dispatch({ event: 'p2p.peers', data: { count: 2 } });
    h.events.dispatch({ event: 'orders.bookChanged', data: { base: 'DEVA', quote: 'DEVB' } });
    expect(log).toEqual(['wallets:wallets.changed', 'orders:wallets.changed', 'p2p:p2p.peers']);
  });

  it('gives the typed payload to the handler', () => {
    const seen: string[] = [];
    const h = eventHarness([
      () => ({ on: { 'wallets.balance': (d) => seen.push(`${d.ticker} ${d.balance.spendable}`) } }),
    ]);
    h.events.dispatch({
      event: 'wallets.balance',
      data: { ticker: 'DEVB', balance: { spendable: '1.5', unconfirmed: '0', locked: '0' } },
    });
    expect(seen).toEqual(['DEVB 1.5']);
  });

  it('calls listening components after every feature, with their latest handlers, until they unsubscribe', () => {
    const log: string[] = [];
    const h = eventHarness([recorder('swaps', log, ['swaps.updated'])]);
    let handlers = { 'p2p.peers': () => log.push('first') };
    const off = h.events.listen(() => handlers);
    h.events.dispatch({ event: 'p2p.peers', data: { count: 1 } });
    handlers = { 'p2p.peers': () => log.push('second') };
    h.events.dispatch({ event: 'p2p.peers', data: { count: 1 } });
    off();
    h.events.dispatch({ event: 'p2p.peers', data: { count: 1 } });
    expect(log).toEqual(['first', 'second']);
  });

  it('flushes every feature once per frame however many asked, and again while one still waits', () => {
    let flushes = 0;
    let waiting = 2;
    const h = eventHarness([
      ({ requestFlush }) => ({
        on: { 'orders.bookChanged': () => requestFlush() },
        flush: () => {
          flushes += 1;
          waiting -= 1;
          return waiting > 0;
        },
      }),
    ]);
    for (let i = 0; i < 10; i++) h.events.dispatch({ event: 'orders.bookChanged', data: { base: 'A1', quote: 'B1' } });
    expect(h.frames).toHaveLength(1);
    expect(flushes).toBe(0);
    h.frame();
    expect(flushes).toBe(1);
    expect(h.frame()).toBe(1);
    expect(flushes).toBe(2);
    expect(h.frame()).toBe(0);
  });
});

describe('recent ids', () => {
  it('says first time once per id, and forgets the oldest beyond its capacity', () => {
    const ids = recentIds(2);
    expect([ids.firstTime('a'), ids.firstTime('a'), ids.firstTime('b'), ids.firstTime('c')]).toEqual([
      true,
      false,
      true,
      true,
    ]);
    expect(ids.firstTime('a')).toBe(true);
    expect(ids.firstTime('c')).toBe(false);
  });
});
