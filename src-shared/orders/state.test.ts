import { describe, expect, it } from 'vitest';
import {
  LISTED_ORDER_STATES,
  ORDER_STATES,
  ORDER_TRANSITIONS,
  TERMINAL_ORDER_STATES,
  canTransition,
  isTerminal,
  transitionOrder,
  type OrderEvent,
} from './state.ts';
import type { OrderState } from './types.ts';

describe('order states', () => {
  it("are exactly the design's states, in lifecycle order", () => {
    expect(ORDER_STATES).toEqual([
      'new',
      'open',
      'accepting',
      'hold',
      'initialized',
      'created',
      'committed',
      'finished',
      'canceled',
      'expired',
      'offline',
      'invalid',
      'rolledback',
      'rollbackFailed',
    ]);
  });
  it('a lost swap is rollbackFailed, never rolledback (issue 9 item 11), and only once coins were locked', () => {
    expect(transitionOrder('committed', { type: 'swap-lost' })).toEqual({ ok: true, state: 'rollbackFailed' });
    expect(transitionOrder('created', { type: 'swap-lost' })).toEqual({ ok: true, state: 'rollbackFailed' });
    expect(transitionOrder('hold', { type: 'swap-lost' }).ok).toBe(false);
    expect(transitionOrder('committed', { type: 'swap-refunded' })).toEqual({ ok: true, state: 'rolledback' });
  });
  it('allow moving only along the table', () => {
    expect(canTransition('open', 'hold')).toBe(true);
    expect(canTransition('hold', 'open')).toBe(false);
  });
  it('name only known states in the transition table', () => {
    for (const [from, tos] of Object.entries(ORDER_TRANSITIONS)) {
      expect(ORDER_STATES).toContain(from);
      for (const to of tos) expect(ORDER_STATES).toContain(to);
    }
  });
  it('end in finished, canceled, expired, invalid, rolledback or rollbackFailed', () => {
    expect([...TERMINAL_ORDER_STATES].sort()).toEqual([
      'canceled',
      'expired',
      'finished',
      'invalid',
      'rollbackFailed',
      'rolledback',
    ]);
    expect(isTerminal('finished')).toBe(true);
    expect(isTerminal('offline')).toBe(false);
  });
  it('every non-terminal state can still reach an end', () => {
    for (const s of ORDER_STATES) {
      const seen = new Set<OrderState>([s]);
      const todo = [s];
      while (todo.length)
        for (const n of ORDER_TRANSITIONS[todo.pop()!])
          if (!seen.has(n)) {
            seen.add(n);
            todo.push(n);
          }
      expect([...seen].some(isTerminal)).toBe(true);
    }
  });
  it('list open and accepting orders in books', () => expect(LISTED_ORDER_STATES).toEqual(['open', 'accepting']));
});

describe('transitionOrder', () => {
  it('walks the happy path from new to finished', () => {
    const path: Array<[OrderEvent, OrderState]> = [
      [{ type: 'service-node-signed' }, 'open'],
      [{ type: 'accept-sent' }, 'accepting'],
      [{ type: 'held', remainingBase: 0n }, 'hold'],
      [{ type: 'swap-initialized' }, 'initialized'],
      [{ type: 'maker-locked' }, 'created'],
      [{ type: 'taker-locked' }, 'committed'],
      [{ type: 'swap-completed' }, 'finished'],
    ];
    let state: OrderState = 'new';
    for (const [event, next] of path) {
      const r = transitionOrder(state, event);
      expect(r).toEqual({ ok: true, state: next });
      if (r.ok) state = r.state;
    }
  });

  const allowed: Array<[OrderState, OrderEvent, OrderState]> = [
    ['new', { type: 'service-node-refused' }, 'invalid'],
    ['new', { type: 'canceled' }, 'canceled'],
    ['open', { type: 'held', remainingBase: 5n }, 'open'],
    ['accepting', { type: 'held', remainingBase: 5n }, 'open'],
    ['open', { type: 'held', remainingBase: 0n }, 'hold'],
    ['accepting', { type: 'accept-failed' }, 'open'],
    ['open', { type: 'maker-silent' }, 'offline'],
    ['offline', { type: 'maker-back' }, 'open'],
    ['offline', { type: 'held', remainingBase: 5n }, 'open'],
    ['offline', { type: 'held', remainingBase: 0n }, 'hold'],
    ['offline', { type: 'expired' }, 'expired'],
    ['open', { type: 'invalidated' }, 'invalid'],
    ['hold', { type: 'swap-aborted' }, 'canceled'],
    ['initialized', { type: 'swap-aborted' }, 'canceled'],
    ['created', { type: 'swap-refunded' }, 'rolledback'],
    ['committed', { type: 'swap-refunded' }, 'rolledback'],
  ];
  it.each(allowed)('%s + %o → %s', (from, event, to) =>
    expect(transitionOrder(from, event)).toEqual({ ok: true, state: to }),
  );

  const refused: Array<[OrderState, OrderEvent]> = [
    ['new', { type: 'accept-sent' }],
    ['new', { type: 'held', remainingBase: 0n }],
    ['hold', { type: 'canceled' }],
    ['hold', { type: 'expired' }],
    ['created', { type: 'swap-aborted' }],
    ['committed', { type: 'canceled' }],
    ['created', { type: 'swap-completed' }],
    ['finished', { type: 'swap-refunded' }],
    ['canceled', { type: 'maker-back' }],
    ['expired', { type: 'service-node-signed' }],
    ['rolledback', { type: 'swap-completed' }],
    ['open', { type: 'maker-back' }],
    ['open', { type: 'accept-failed' }],
    ['open', { type: 'held', remainingBase: -1n }],
    ['initialized', { type: 'taker-locked' }],
  ];
  it.each(refused)('refuses %s + %o', (from, event) => {
    const r = transitionOrder(from, event);
    expect(r.ok).toBe(false);
  });
  it('explains a refusal in words', () => {
    expect(transitionOrder('finished', { type: 'canceled' })).toEqual({
      ok: false,
      reason: 'an order that is finished cannot become canceled (canceled)',
    });
  });
});
