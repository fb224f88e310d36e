// The service node's answer to a take sent again: the taker's first request may have been held
// while its answer was lost (or came after the taker gave up), and by then the hold has taken the
// order off the book, so the repeat must find the earlier hold before anything checks the listing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signedMessageId } from '../../src-shared/protocol/orders.ts';
import { TAKER_PEER, ackWire, acceptWire, holdWire, signedOrder, TXID_B } from '../../src-shared/orders/testkit.ts';
import { openTestStore } from '../core/test-store.ts';
import { createServiceNodeRepo } from './repo.ts';
import { earlierHold } from './holds.ts';

const dir = mkdtempSync(join(tmpdir(), 'hashlock-sn-take-'));
const db = openTestStore(join(dir, 'node.sqlite'));
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('earlierHold: a take sent again gets the hold it already got', () => {
  const repo = createServiceNodeRepo(db, { now: () => 1_000 });
  const order = signedOrder();
  const accept = acceptWire(order);
  const acceptId = signedMessageId(accept as { type: 'order.accept' });
  const hold = holdWire(order, { acceptId });
  // acceptWire pays its fee with TXID_B: the hold is stored under that fee, as onTake stores it.
  repo.addHold({ holdId: signedMessageId(hold as { type: 'order.hold' }), orderId: order.id, feeTxid: TXID_B, hold });
  const take = (a: Record<string, unknown>) => ({ type: 'order.take', accept: a, ack: ackWire(a) });

  const cases: Array<[string, unknown, string, 'the hold' | null]> = [
    ['the same take from the same taker gets the hold', take(accept), TAKER_PEER, 'the hold'],
    [
      'the same take sent by another peer gets nothing',
      take(accept),
      '12D3KooWSomeoneElseSomeoneElseSomeoneElseSomeoneEls',
      null,
    ],
    [
      'another accept of the order paying with the same fee gets nothing',
      take(acceptWire(order, { seq: 21 })),
      TAKER_PEER,
      null,
    ],
    [
      'an accept of another order paying with the same fee gets nothing',
      take(acceptWire(signedOrder({ nonce: '2b'.repeat(16) }))),
      TAKER_PEER,
      null,
    ],
    ['something that is not a take gets nothing', { type: 'order.take' }, TAKER_PEER, null],
    [
      'a take whose accept is not an accept gets nothing',
      { type: 'order.take', accept: { type: 'order.ack' }, ack: {} },
      TAKER_PEER,
      null,
    ],
  ];
  it.each(cases)('%s', (_name, req, peerId, expected) => {
    expect(earlierHold(req, peerId, repo)).toEqual(expected === null ? null : hold);
  });
});
