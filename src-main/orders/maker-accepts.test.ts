// One take at a time per fill (docs/orders.md §8): while an ack may still become a hold, no
// second taker is acked, so two takers never both pay for one fill.
import { hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import {
  acceptWire,
  ARRIVAL,
  context,
  MAKER,
  signedOrder,
  TAKER_PEER,
  testKey,
} from '../../src-shared/orders/testkit.ts';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { HoldMessage } from '../../src-shared/protocol/orders.ts';
import { silentLogger } from '../kernel/log.ts';
import { waitFor } from '../kernel/time.ts';
import { ackLifeOf, createAccepts, startDeadline } from './maker-accepts.ts';
import { SeqCounter } from './net.ts';
import { makerRecord, memoryRecords } from './testkit.ts';

const HOLD_TIMEOUT_MS = 30_000;

const SWAP_START_MS = 600_000;

/** The swap engine's start: fails PEER_UNREACHABLE `unreachable` times, then starts. */
function swapsReachedAfter(unreachable: number) {
  const calls: string[] = [];
  return {
    calls,
    startSwap: (p: { swapId?: string }) => {
      calls.push(p.swapId ?? '');
      if (calls.length <= unreachable)
        return Promise.reject(new ApiError('PEER_UNREACHABLE', 'Could not reach the taker.'));
      return Promise.resolve({} as never);
    },
  };
}

function setup(swaps?: ReturnType<typeof swapsReachedAfter>) {
  let clock = ARRIVAL;
  const released: string[] = [];
  const order = signedOrder({ nonce: '71'.repeat(16) });
  const records = memoryRecords(() => clock);
  records.put(makerRecord({ id: order.id, state: 'open' }));
  const entry = { order, remainingBase: order.baseAmount, lastSeenAt: ARRIVAL };
  const accepts = createAccepts({
    vault: {
      status: () => 'unlocked',
      networkPublicKey: () => hexToBytes(MAKER.pubkey),
      signNetworkDigest: (_k, digest) => MAKER.signer.signDigest(digest),
    },
    p2p: { peerId: 'me' },
    book: { find: (id) => (id === order.id ? entry : undefined), directContext: () => context({ now: clock }) },
    records,
    seq: new SeqCounter(() => clock),
    log: silentLogger,
    now: () => clock,
    holdTimeoutMs: HOLD_TIMEOUT_MS,
    swapStartMs: SWAP_START_MS,
    startRetryMs: [1],
    ...(swaps ? { swaps } : {}),
    release: (_rec, holdId) => void released.push(holdId),
  });
  const accept = (n: number) => acceptWire(order, { ts: clock, seq: clock }, testKey(n));
  /** The service node's hold of `acceptId`, as the book reports it. */
  const hold = (acceptId: string, holdId = 'hold-1', remainingBase = 0n) =>
    accepts.onHeld({
      type: 'held',
      order,
      hold: { acceptId, baseAmount: order.baseAmount, quoteAmount: order.quoteAmount } as unknown as HoldMessage,
      holdId,
      remainingBase,
    });
  const fill = () => records.get(order.id)!.fills[0];
  return { accepts, accept, hold, fill, released, at: (t: number) => void (clock = t), order, records };
}

const records = (s: ReturnType<typeof setup>) => s.records.get(s.order.id)!;

describe('item 8: one take at a time per fill', () => {
  it('a second taker is refused while the first ack may still become a hold, even past holdTimeoutMs', async () => {
    const s = setup();
    await expect(s.accepts.onAccept(s.accept(20), TAKER_PEER)).resolves.toMatchObject({ type: 'order.ack' });
    // The first taker may still be retrying its take, or its fee on its way to the service node.
    s.at(ARRIVAL + HOLD_TIMEOUT_MS + 1000);
    await expect(s.accepts.onAccept(s.accept(21), TAKER_PEER)).rejects.toThrow(/being taken by someone else/);
    // Once no service node would take that ack any more, the order is free for the next taker.
    s.at(ARRIVAL + ackLifeOf(HOLD_TIMEOUT_MS) + 1);
    await expect(s.accepts.onAccept(s.accept(22), TAKER_PEER)).resolves.toMatchObject({ type: 'order.ack' });
    s.accepts.stop();
  });

  it('the same accept again gets the same decision', async () => {
    const s = setup();
    const first = s.accept(20);
    await s.accepts.onAccept(first, TAKER_PEER);
    await expect(s.accepts.onAccept(first, TAKER_PEER)).resolves.toMatchObject({ type: 'order.ack' });
    s.accepts.stop();
  });
});

describe('a hold whose taker cannot be reached at once', () => {
  it('is started again while the taker agrees: the swap starts once the taker is reached', async () => {
    const swaps = swapsReachedAfter(3);
    const s = setup(swaps);
    const ack = (await s.accepts.onAccept(s.accept(20), TAKER_PEER)) as { acceptId: string };
    s.hold(ack.acceptId);
    await waitFor(() => swaps.calls.length === 4 && s.fill(), { timeoutMs: 5_000, intervalMs: 5, what: 'four starts' });
    expect(swaps.calls).toEqual(['hold-1', 'hold-1', 'hold-1', 'hold-1']);
    expect(s.fill()).toMatchObject({ state: 'hold', holdId: 'hold-1' });
    expect(s.released).toEqual([]);
    s.accepts.stop();
  });

  it('past the agreement the fill ends with the reason and goes back to the book', async () => {
    const swaps = swapsReachedAfter(Infinity);
    const s = setup(swaps);
    const ack = (await s.accepts.onAccept(s.accept(20), TAKER_PEER)) as { acceptId: string };
    s.hold(ack.acceptId);
    await waitFor(() => swaps.calls.length >= 2, { timeoutMs: 5_000, intervalMs: 5, what: 'a second start' });
    s.at(startDeadline(s.fill()!.at, SWAP_START_MS));
    await waitFor(() => s.released.length === 1, { timeoutMs: 5_000, intervalMs: 5, what: 'the fill released' });
    expect(s.fill()).toMatchObject({ state: 'canceled', reason: expect.stringMatching(/the swap could not start/) });
    // Held in full, the order follows its only fill: not left 'hold' for ever (CI: orders/liveness).
    expect(records(s).state).toBe('canceled');
    expect(s.released).toEqual(['hold-1']);
    s.accepts.stop();
  });

  it('a node that stops leaves the hold to recovery: nothing ends, nothing is released', async () => {
    const swaps = swapsReachedAfter(Infinity);
    const s = setup(swaps);
    const ack = (await s.accepts.onAccept(s.accept(20), TAKER_PEER)) as { acceptId: string };
    s.hold(ack.acceptId);
    await waitFor(() => swaps.calls.length >= 1, { timeoutMs: 5_000, intervalMs: 5, what: 'a start' });
    s.accepts.stop();
    const tries = swaps.calls.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(swaps.calls.length).toBeLessThanOrEqual(tries + 1);
    expect(s.fill()).toMatchObject({ state: 'hold' });
    expect(s.released).toEqual([]);
  });
});

describe('a hostile service node signs two holds for one fill', () => {
  it('the second hold of an accept already held starts nothing and changes nothing: one fill, one swap', async () => {
    const swaps = swapsReachedAfter(0);
    const s = setup(swaps);
    const ack = (await s.accepts.onAccept(s.accept(20), TAKER_PEER)) as { acceptId: string };
    s.hold(ack.acceptId);
    await waitFor(() => swaps.calls.length === 1, { timeoutMs: 5_000, intervalMs: 5, what: 'the swap started' });
    const before = records(s);
    // Same accept, another hold id, and a remainder that would relist what was sold.
    s.hold(ack.acceptId, 'hold-2', s.order.baseAmount);
    await new Promise((r) => setTimeout(r, 20));
    expect(swaps.calls).toEqual(['hold-1']);
    expect(records(s).fills.map((f) => f.holdId)).toEqual(['hold-1']);
    expect(records(s)).toMatchObject({ state: before.state, remainingBase: 0n });
    s.accepts.stop();
  });
});
