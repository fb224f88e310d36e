// The network book's two validation contexts: gossip keeps each sender's sequence, while an
// accept, its ack and the take that carries both travel on their own streams and must still
// check when a keepalive their sender signed later arrived first (a real failure under load:
// takes refused as "replayed" after the fee was paid).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ARRIVAL,
  KNOWN_SERVICE_NODES,
  MAKER,
  SERVICE_NODE,
  TAKER,
  ackWire,
  acceptWire,
  announceWire,
  holdWire,
  keepaliveWire,
  signedOrder,
} from '../../src-shared/orders/testkit.ts';
import { validateAccept, validateAck, validateTake, type Validation } from '../../src-shared/orders/validate.ts';
import { createP2pHost } from '../p2p/host.ts';
import { createPeerScorer } from './net.ts';
import { createNetworkBook } from './network-book.ts';

const dir = mkdtempSync(join(tmpdir(), 'hashlock-network-book-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const now = () => ARRIVAL;

function newBook() {
  // A real host, never started: ingest() only reads its peer id, and scoring its limits.
  const p2p = createP2pHost({ dataDir: mkdtempSync(join(dir, 'p2p-')) });
  const scorer = createPeerScorer({ p2p });
  return createNetworkBook({
    p2p,
    log: silent,
    now,
    scorer,
    serviceNodes: () => KNOWN_SERVICE_NODES,
    markets: [{ base: 'DEVA', quote: 'DEVB' }],
    offlineAfterMs: 60_000,
    sweepMs: 1000,
  });
}

const reasonOf = (v: Validation<unknown>): string => (v.ok ? 'ok' : v.reason);

describe('network book validation contexts', () => {
  const order = signedOrder();
  // The taker makes orders too, so its keepalives carry its key's sequence.
  const takersOwn = signedOrder({ side: 'buy', nonce: '1a'.repeat(16) }, { maker: TAKER });
  const accept = acceptWire(order, { seq: 20 });
  const ack = ackWire(accept, { seq: 30 });

  it('an accept, its ack and the take check after keepalives their senders signed later arrived first', () => {
    const book = newBook();
    expect(reasonOf(book.ingest('order.announce', announceWire(order), null))).toBe('ok');
    expect(reasonOf(book.ingest('order.announce', announceWire(takersOwn), null))).toBe('ok');
    expect(reasonOf(book.ingest('order.keepalive', keepaliveWire([order.id], { seq: 50 }), 'maker-peer'))).toBe('ok');
    expect(
      reasonOf(book.ingest('order.keepalive', keepaliveWire([takersOwn.id], { seq: 60 }, TAKER), 'taker-peer')),
    ).toBe('ok');

    const a = validateAccept(accept, { ...book.directContext(), listed: book.find });
    expect(reasonOf(a)).toBe('ok');
    if (!a.ok) return;
    expect(reasonOf(validateAck(ack, a.value, MAKER.pubkey, book.directContext()))).toBe('ok');
    const take = { type: 'order.take', accept, ack };
    expect(
      reasonOf(validateTake(take, { ...book.directContext(), listed: book.find, servicePubkey: SERVICE_NODE.pubkey })),
    ).toBe('ok');
    // The gossip context is what refused them: it compares with the keepalives' sequence.
    expect(
      reasonOf(validateTake(take, { ...book.context(), listed: book.find, servicePubkey: SERVICE_NODE.pubkey })),
    ).toBe('replayed');
  });

  it('gossip keeps its sequence: a keepalive at or below the last one is refused as replayed', () => {
    const book = newBook();
    book.ingest('order.announce', announceWire(order), null);
    expect(reasonOf(book.ingest('order.keepalive', keepaliveWire([order.id], { seq: 50 }), 'maker-peer'))).toBe('ok');
    expect(reasonOf(book.ingest('order.keepalive', keepaliveWire([order.id], { seq: 50 }), 'maker-peer'))).toBe(
      'replayed',
    );
    expect(reasonOf(book.ingest('order.keepalive', keepaliveWire([order.id], { seq: 40 }), 'maker-peer'))).toBe(
      'replayed',
    );
  });

  it('the direct context still refuses an accept for an order that is no longer listed', () => {
    const book = newBook();
    book.ingest('order.announce', announceWire(order), null);
    expect(reasonOf(book.ingest('order.hold', holdWire(order), null))).toBe('ok');
    expect(reasonOf(validateAccept(accept, { ...book.directContext(), listed: book.find }))).toBe('unknown-order');
  });
});
