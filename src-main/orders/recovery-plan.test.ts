// What is done with each fill not at an end (docs/orders.md §9), one case per row of the table.
import { describe, expect, it } from 'vitest';
import { feePaidNoSwap, recoveryStep, SWAP_START_GRACE_MS } from './recovery-plan.ts';
import { fill, T0 } from './testkit.ts';

const SWAP_START_MS = 600_000;
const facts = (over: Partial<Parameters<typeof recoveryStep>[1]> = {}) => ({
  role: 'taker' as const,
  swapKnown: false,
  now: T0 + 1000,
  swapStartMs: SWAP_START_MS,
  ...over,
});
const take = (ack?: unknown) => ({
  accept: { type: 'order.accept' },
  ...(ack === undefined ? {} : { ack }),
  feeTicker: 'DEVB',
  feeTx: '00',
  feeInputs: [{ txid: 'ab'.repeat(32), vout: 1 }],
});

describe('order-layer recovery: the step for each fill', () => {
  it('a fill at an end is left alone, on either side', () => {
    for (const state of ['finished', 'canceled', 'rolledback', 'rollbackFailed'] as const) {
      expect(recoveryStep(fill({ state }), facts())).toEqual({ do: 'nothing' });
      expect(recoveryStep(fill({ state }), facts({ role: 'maker' }))).toEqual({ do: 'nothing' });
    }
  });

  it('a fill whose swap the engine knows follows it', () => {
    expect(recoveryStep(fill({ state: 'hold' }), facts({ swapKnown: true }))).toEqual({ do: 'follow' });
    expect(recoveryStep(fill({ state: 'initialized' }), facts({ role: 'maker', swapKnown: true }))).toEqual({
      do: 'follow',
    });
  });

  it('taker killed after storing accepting, before the ack: released, no fee was paid', () => {
    const f = fill({ state: 'accepting', holdId: null, take: take() });
    expect(recoveryStep(f, facts())).toEqual({
      do: 'release',
      reason: 'the node stopped before the take was sent; no fee was paid',
    });
  });

  it('taker killed after the ack (the take may have reached the service node): the take is sent again', () => {
    const f = fill({ state: 'accepting', holdId: null, take: take({ type: 'order.ack' }) });
    expect(recoveryStep(f, facts())).toEqual({ do: 'retake' });
    // The service node never answered in time: the fill ends, its fee said.
    expect(recoveryStep(f, facts({ now: T0 + SWAP_START_MS }))).toEqual({ do: 'give-up' });
  });

  it('taker held, no swap yet: waits while the agreement lasts, then ends saying the fee was paid', () => {
    const f = fill({ state: 'hold' });
    expect(recoveryStep(f, facts({ now: T0 + SWAP_START_MS + SWAP_START_GRACE_MS - 1 }))).toEqual({ do: 'wait' });
    expect(recoveryStep(f, facts({ now: T0 + SWAP_START_MS + SWAP_START_GRACE_MS }))).toEqual({
      do: 'expire',
      reason: feePaidNoSwap(f, 'the maker did not start the swap within 10 min'),
    });
    expect(feePaidNoSwap(f, 'x')).toMatch(/^fee paid, no swap: x \(the fee transaction fefe.* is spent\)$/);
  });

  it('maker killed after storing the hold, before the swap: the swap is started', () => {
    expect(recoveryStep(fill({ state: 'hold' }), facts({ role: 'maker' }))).toEqual({ do: 'start-swap' });
    // Its swap exists: nothing to start twice.
    expect(recoveryStep(fill({ state: 'hold' }), facts({ role: 'maker', swapKnown: true }))).toEqual({
      do: 'follow',
    });
  });
});
