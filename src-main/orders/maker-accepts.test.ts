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
import { silentLogger } from '../kernel/log.ts';
import { ackLifeOf, createAccepts } from './maker-accepts.ts';
import { SeqCounter } from './net.ts';
import { makerRecord, memoryRecords } from './testkit.ts';

const HOLD_TIMEOUT_MS = 30_000;

function setup() {
  let clock = ARRIVAL;
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
    release: () => undefined,
  });
  const accept = (n: number) => acceptWire(order, { ts: clock, seq: clock }, testKey(n));
  return { accepts, accept, at: (t: number) => void (clock = t), order };
}

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
