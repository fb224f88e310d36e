// The book's gossip check runs inside gossipsub's validation, so its verdict decides forwarding:
// a forged, tampered or malformed announce is rejected and a replayed (tombstoned) one dropped
// before any peer gets it; a valid one is accepted and listed only when delivered, after the
// forward; what depends on this node's knowledge (already listed, unknown service node) goes on.
import { describe, expect, it } from 'vitest';
import { encodeOrderMessage } from '../../src-shared/protocol/orders.ts';
import {
  ARRIVAL,
  KNOWN_SERVICE_NODES,
  STRANGER,
  announceWire,
  cancelWire,
  signedOrder,
} from '../../src-shared/orders/testkit.ts';
import type { GossipMessage } from '../p2p/index.ts';
import { gossipVerdict } from './book-ingest.ts';
import { createNetworkBook } from './network-book.ts';
import { stubBookHost } from './stub-host.ts';
import { orderVerifier } from './verifier.ts';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const ORIGIN = '12D3KooWOriginOriginOriginOriginOriginOriginOriginOrig';

async function bookOnStubHost() {
  const { p2p, gossip: hooks } = stubBookHost();
  const refused: string[] = [];
  const book = createNetworkBook({
    p2p,
    log: silent,
    now: () => ARRIVAL,
    scorer: { refused: (_p, reason) => refused.push(reason), flooding: () => refused.push('flooding') },
    serviceNodes: () => KNOWN_SERVICE_NODES,
    markets: [{ base: 'DEVA', quote: 'DEVB' }],
    offlineAfterMs: 60_000,
    sweepMs: 60_000,
    verifier: orderVerifier(),
  });
  await book.start();
  const gossip = (wire: Record<string, unknown>) => {
    const m: GossipMessage = { from: ORIGIN, data: encodeOrderMessage(wire as { type: 'order.announce' }), topic: 't' };
    return { m, verdict: hooks.check!(m), deliver: () => hooks.handler!(m) };
  };
  return { book, gossip, refused };
}

const flush = () => new Promise<void>((r) => setTimeout(r, 0));

describe('book gossip check (before forwarding)', () => {
  it('accepts a valid announce and lists it only on delivery, at once', async () => {
    const { book, gossip } = await bookOnStubHost();
    const order = signedOrder();
    const g = gossip(announceWire(order));
    expect(g.verdict).toBe('accept');
    expect(book.find(order.id)).toBeUndefined(); // checked, not listed: gossipsub may still drop it
    g.deliver();
    expect(book.find(order.id)?.order.id).toBe(order.id); // in gossipsub's turn, before it forwards
  });

  it('rejects a forged maker or service-node signature and a tampered order; never lists them', async () => {
    const { book, gossip, refused } = await bookOnStubHost();
    const order = signedOrder();
    const other = signedOrder({ nonce: '3c'.repeat(16) });
    const forgedMaker = { ...order, makerSig: other.makerSig };
    const forgedSn = { ...order, serviceNode: { ...order.serviceNode, sig: other.serviceNode.sig } };
    const tampered = { ...order, baseAmount: order.baseAmount * 2n, quoteAmount: order.quoteAmount * 2n };
    const bySomeoneElse = signedOrder({}, { serviceNode: STRANGER });
    for (const o of [forgedMaker, forgedSn, tampered]) {
      const g = gossip(announceWire(o));
      expect(g.verdict).toBe('reject');
      g.deliver();
    }
    await flush();
    expect(book.size()).toBe(0);
    expect(refused).toEqual(['forged-maker-sig', 'forged-service-node-sig', 'forged-maker-sig']);
    // Signed by a service node this node does not know: not listed, but a neighbour may know it.
    expect(gossip(announceWire(bySomeoneElse)).verdict).toBe('accept');
    expect(gossip({ type: 'order.announce', order: 'nope' }).verdict).toBe('reject');
  });

  it('drops a replayed (canceled) order, and passes on one already listed without listing it twice', async () => {
    const { book, gossip } = await bookOnStubHost();
    const order = signedOrder();
    const first = gossip(announceWire(order));
    first.deliver();
    await flush();
    const again = gossip(announceWire(order));
    expect(again.verdict).toBe('accept'); // already listed: as before, it goes on
    again.deliver();
    await flush();
    expect(book.size()).toBe(1);
    expect(book.ingest('order.cancel', cancelWire(order.id), null).ok).toBe(true);
    expect(gossip(announceWire(order)).verdict).toBe('ignore');
  });

  it('a valid announce canceled between its check and its delivery is not listed', async () => {
    const { book, gossip } = await bookOnStubHost();
    const order = signedOrder();
    const g = gossip(announceWire(order));
    expect(g.verdict).toBe('accept');
    const listed = book.ingest('order.announce', announceWire(order), null);
    expect(listed.ok).toBe(true);
    expect(book.ingest('order.cancel', cancelWire(order.id), null).ok).toBe(true);
    g.deliver();
    await flush();
    expect(book.find(order.id)).toBeUndefined();
  });

  it('maps refusals to verdicts: offences rejected, dead messages dropped, knowledge-bound ones passed on', () => {
    expect(gossipVerdict('forged-maker-sig')).toBe('reject');
    expect(gossipVerdict('malformed')).toBe('reject');
    expect(gossipVerdict('oversize')).toBe('reject');
    expect(gossipVerdict('replayed')).toBe('ignore');
    expect(gossipVerdict('expired')).toBe('ignore');
    expect(gossipVerdict('stale')).toBe('ignore');
    expect(gossipVerdict('duplicate')).toBe('accept');
    expect(gossipVerdict('unknown-service-node')).toBe('accept');
  });
});
