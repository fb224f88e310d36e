import { describe, expect, it } from 'vitest';
import { MAX_SWAP_MESSAGE_BYTES, decodeSwapMessage, encodeSwapMessage, messageToEvent } from './messages.ts';
import { TAKER_ADDRESSES, TAKER_KEYS, proposal, seen } from './testkit.ts';
import type { SwapMessage } from './types.ts';

const propose: SwapMessage = { type: 'swap.propose', ...proposal() };
const others: SwapMessage[] = [
  { type: 'swap.accept', swapId: 'swap-1', takerPubkeys: TAKER_KEYS, takerAddresses: TAKER_ADDRESSES },
  {
    type: 'swap.makerFunded',
    swapId: 'swap-1',
    txid: 'a1'.repeat(32),
    vout: 0,
    witnessScript: seen('makerChain').witnessScript,
  },
  {
    type: 'swap.takerFunded',
    swapId: 'swap-1',
    txid: 'b1'.repeat(32),
    vout: 3,
    witnessScript: seen('takerChain').witnessScript,
  },
  { type: 'swap.makerClaimed', swapId: 'swap-1', txid: 'c1'.repeat(32) },
  { type: 'swap.abort', swapId: 'swap-1', reason: 'user-abort', message: 'changed my mind' },
];

function wire(m: SwapMessage): unknown {
  return JSON.parse(JSON.stringify(encodeSwapMessage(m)));
}

describe('swap messages', () => {
  it('a proposal crosses the wire with amounts as base-unit strings and comes back as bigint', () => {
    const w = wire(propose) as { makerLeg: { amount: unknown } };
    expect(w.makerLeg.amount).toBe('1000000');
    expect(decodeSwapMessage(w)).toEqual(propose);
  });
  it.each(others.map((m) => [m.type, m] as const))('%s round-trips', (_t, m) =>
    expect(decodeSwapMessage(wire(m))).toEqual(m),
  );
  it('the largest message stays far below the size cap', () => {
    expect(JSON.stringify(encodeSwapMessage(propose)).length).toBeLessThan(MAX_SWAP_MESSAGE_BYTES / 2);
  });

  const bad: Array<[string, (w: Record<string, unknown>) => unknown, RegExp]> = [
    ['a decimal amount', (w) => ({ ...w, makerLeg: { ...(w.makerLeg as object), amount: '0.01' } }), /makerLeg.amount/],
    [
      'a numeric amount',
      (w) => ({ ...w, takerLeg: { ...(w.takerLeg as object), amount: 4000000 } }),
      /takerLeg.amount/,
    ],
    ['a zero amount', (w) => ({ ...w, takerLeg: { ...(w.takerLeg as object), amount: '0' } }), /takerLeg.amount/],
    ['an upper-case hash', (w) => ({ ...w, secretHash: (w.secretHash as string).toUpperCase() }), /secretHash/],
    ['an unknown field', (w) => ({ ...w, secret: 'ab'.repeat(32) }), /unrecognized|secret/i],
    [
      'a fractional locktime',
      (w) => ({ ...w, makerLeg: { ...(w.makerLeg as object), locktime: 264.5 } }),
      /makerLeg.locktime/,
    ],
    ['an unknown type', (w) => ({ ...w, type: 'swap.steal' }), /type/],
    ['not an object', () => 'hello', /invalid swap message/],
  ];
  it.each(bad)('refuses %s', (_n, mutate, msg) => {
    expect(() => decodeSwapMessage(mutate(wire(propose) as Record<string, unknown>))).toThrow(
      expect.objectContaining({ code: 'SWAP_MESSAGE_INVALID' }),
    );
    expect(() => decodeSwapMessage(mutate(wire(propose) as Record<string, unknown>))).toThrow(msg);
  });
  it('refuses an over-long witness script', () => {
    expect(() => decodeSwapMessage({ ...(wire(others[1]!) as object), witnessScript: 'ab'.repeat(201) })).toThrow(
      /witnessScript/,
    );
  });
});

describe('messageToEvent', () => {
  const table: Array<[SwapMessage['type'], 'maker' | 'taker', string | null]> = [
    ['swap.accept', 'maker', 'CounterpartyAccepted'],
    ['swap.accept', 'taker', null],
    ['swap.makerFunded', 'taker', 'CounterpartyFunded'],
    ['swap.makerFunded', 'maker', null],
    ['swap.takerFunded', 'maker', 'CounterpartyFunded'],
    ['swap.takerFunded', 'taker', null],
    ['swap.makerClaimed', 'taker', 'CounterpartyClaimed'],
    ['swap.makerClaimed', 'maker', null],
    ['swap.abort', 'maker', 'CounterpartyAborted'],
    ['swap.abort', 'taker', 'CounterpartyAborted'],
    ['swap.propose', 'taker', null],
    ['swap.propose', 'maker', null],
  ];
  it.each(table)('%s to the %s is %s', (type, role, event) => {
    const m = [propose, ...others].find((x) => x.type === type)!;
    expect(messageToEvent(m, role)?.type ?? null).toBe(event);
  });
});
