import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { wireForm } from '../protocol/canonical.ts';
import { signedMessageId } from '../protocol/orders.ts';
import { OrderBook } from './book.ts';
import { computeOrderId, signOrderAsServiceNode } from './order.ts';
import { ReplayGuard } from './replay.ts';
import {
  ARRIVAL,
  MAKER,
  NOW,
  SERVICE_NODE,
  STRANGER,
  TAKER,
  TXID_A,
  ackWire,
  acceptWire,
  announceWire,
  cancelWire,
  context,
  holdWire,
  keepaliveWire,
  makerOrder,
  signedOrder,
  testKey,
} from './testkit.ts';
import type { Order } from './types.ts';
import {
  REFUSAL_REASONS,
  offenceFor,
  validateAccept,
  validateAck,
  validateCancel,
  validateHold,
  validateKeepalive,
  validateOrderAnnounce,
  validateSignRequest,
  validateSignResponse,
  validateSnapshot,
  validateSnapshotRequest,
  validateTake,
  type RefusalReason,
  type Validation,
  type ValidationContext,
} from './validate.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
type Wire = Record<string, any>;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const order = signedOrder();
const reasonOf = (v: Validation<unknown>): RefusalReason | 'ok' => (v.ok ? 'ok' : v.reason);

/** The announce wire with the order's JSON changed by `f`. */
function announceWith(f: (o: Wire) => void, base: Order = order): Wire {
  const w = clone(announceWire(base)) as Wire;
  f(w.order);
  return w;
}

describe('validateOrderAnnounce', () => {
  it('accepts a maker-signed, service-node-signed order and gives it back with bigints', () => {
    const v = validateOrderAnnounce(utf8(JSON.stringify(announceWire(order))), context());
    expect(v).toEqual({ ok: true, value: order, replay: [] });
  });

  const expiredOrder = signedOrder({ createdAt: NOW - 3_600_000, expiresAt: NOW });
  const otherSn = testKey(4);
  const reSigned = (over: Parameters<typeof signedOrder>[0], opts?: Parameters<typeof signedOrder>[1]) =>
    announceWire(signedOrder(over, opts));
  const cases: Array<[string, () => unknown, Partial<ValidationContext>, RefusalReason]> = [
    // forged
    [
      'a changed amount under the old id and signatures',
      () =>
        announceWith((o) => {
          o.quoteAmount = '30000000';
          o.price = { num: '3', den: '10' };
        }),
      {},
      'forged-maker-sig',
    ],
    [
      'a changed amount with a recomputed id',
      () =>
        announceWith((o) => {
          o.quoteAmount = '30000000';
          o.price = { num: '3', den: '10' };
          o.id = computeOrderId({ ...order, quoteAmount: 30_000_000n });
        }),
      {},
      'forged-maker-sig',
    ],
    [
      'a maker signature by another key',
      () =>
        announceWith((o) => {
          o.makerSig = makerOrder({}, STRANGER).makerSig;
        }),
      {},
      'forged-maker-sig',
    ],
    [
      'a maker signature of another order',
      () =>
        announceWith((o) => {
          o.makerSig = makerOrder({ nonce: '99'.repeat(16) }).makerSig;
        }),
      {},
      'forged-maker-sig',
    ],
    [
      'a service-node signature by a stranger claiming a known key',
      () =>
        announceWith((o) => {
          o.serviceNode = {
            ...signOrderAsServiceNode(makerOrder(), STRANGER.signer, NOW + 100).serviceNode,
            pubkey: SERVICE_NODE.pubkey,
          };
        }),
      {},
      'forged-service-node-sig',
    ],
    [
      'a service-node signature with a changed time',
      () =>
        announceWith((o) => {
          o.serviceNode.signedAt += 1;
        }),
      {},
      'forged-service-node-sig',
    ],
    // unknown service node
    [
      'a service node this node does not know',
      () => reSigned({}, { serviceNode: otherSn }),
      {},
      'unknown-service-node',
    ],
    [
      'a service node that does not serve the market',
      () => announceWire(order),
      { knownServiceNodes: new Map([[SERVICE_NODE.pubkey, { coins: ['DEVA'] }]]) },
      'unknown-service-node',
    ],
    [
      'no service-node signature at all',
      () =>
        announceWith((o) => {
          delete o.serviceNode;
        }),
      {},
      'malformed',
    ],
    // time
    ['an expired order', () => announceWire(expiredOrder), {}, 'expired'],
    ['an order expiring right now', () => announceWire(order), { now: order.expiresAt }, 'expired'],
    [
      'an order made in the future',
      () => reSigned({ createdAt: ARRIVAL + 31_000, expiresAt: ARRIVAL + 3_600_000 }),
      {},
      'future',
    ],
    ['a service node that signed in the future', () => reSigned({}, { signedAt: ARRIVAL + 31_000 }), {}, 'future'],
    [
      'a service node that signed long after the order was made (backdating)',
      () => reSigned({ createdAt: NOW - 600_000 }, { signedAt: NOW }),
      {},
      'malformed',
    ],
    // replay
    ['a canceled order announced again', () => announceWire(order), { seen: dead(order.id) }, 'replayed'],
    ['an order already listed', () => announceWire(order), { seen: live(order.id) }, 'duplicate'],
    // size and shape
    [
      'an announce over the cap',
      () => utf8(JSON.stringify({ ...announceWire(order), pad: 'x'.repeat(7000) })),
      {},
      'oversize',
    ],
    [
      'an announce with a duplicate key',
      () => utf8(JSON.stringify(announceWire(order)).replace('"side":"sell"', '"side":"buy","side":"sell"')),
      {},
      'malformed',
    ],
    ['an announce that is not JSON', () => utf8('order!'), {}, 'malformed'],
    [
      "a price field that is not the amounts' ratio",
      () =>
        announceWith((o) => {
          o.price = { num: '1', den: '3' };
        }),
      {},
      'price-inconsistent',
    ],
    [
      'a price field not in lowest terms',
      () =>
        announceWith((o) => {
          o.price = { num: '2', den: '8' };
        }),
      {},
      'price-inconsistent',
    ],
    [
      'a minimum above the amount',
      () => reSignedRaw({ partial: { allowed: true, minBase: 200_000_000n } }),
      {},
      'price-inconsistent',
    ],
    ['a smallest fill below dust', () => reSignedRaw({ partial: { allowed: true, minBase: 1000n } }), {}, 'dust'],
    [
      'an unknown coin',
      () => reSignedRaw({ market: { base: 'DEVA', quote: 'ZZZ' } }),
      { markets: new Set(['DEVA/ZZZ']) },
      'unknown-market',
    ],
    [
      'a market this node does not trade',
      () => reSignedRaw({ market: { base: 'DEVB', quote: 'DEVA' } }),
      {},
      'unknown-market',
    ],
    [
      'a refund address of another chain',
      () =>
        reSignedRaw({
          maker: {
            peerId: '12D3KooWMaker',
            pubkey: MAKER.pubkey,
            addresses: { payout: MAKER.address, refund: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4' },
          },
        }),
      {},
      'malformed',
    ],
  ];
  it.each(cases)('refuses %s', (_n, make, over, reason) => {
    const v = validateOrderAnnounce(make(), context(over));
    expect(reasonOf(v)).toBe(reason);
    if (!v.ok) expect(v.message.length).toBeGreaterThan(5);
  });
  it('every refusal reason has a scoring rule, and honest lag is never punished', () => {
    for (const r of REFUSAL_REASONS) expect(['oversize', 'malformed', null]).toContain(offenceFor(r));
    expect(offenceFor('forged-maker-sig')).toBe('malformed');
    expect(offenceFor('oversize')).toBe('oversize');
    expect(offenceFor('duplicate')).toBeNull();
    expect(offenceFor('stale')).toBeNull();
  });
});

function dead(id: string): ReplayGuard {
  const g = new ReplayGuard();
  g.markDead(id, NOW + 3_600_000);
  return g;
}
function live(id: string): ReplayGuard {
  const g = new ReplayGuard();
  g.markLive(id, NOW + 3_600_000);
  return g;
}

/** An order whose terms break a rule, signed properly (createOrder would refuse to build it). */
function reSignedRaw(over: Record<string, unknown>): Wire {
  const terms = { ...makerOrderTermsWire(), ...(wireForm(over) as Wire) };
  const { createdAt } = terms as { createdAt: number };
  const raw = { ...terms };
  const withBigints = {
    ...raw,
    baseAmount: BigInt(raw.baseAmount),
    quoteAmount: BigInt(raw.quoteAmount),
    partial: { allowed: raw.partial.allowed, minBase: BigInt(raw.partial.minBase) },
  };
  const id = computeOrderId(withBigints as never);
  const [num, den] = reduce(BigInt(raw.quoteAmount), BigInt(raw.baseAmount));
  const makerSig = MAKER.signer.signDigest(hexToBytes(id));
  const partialOrder = { ...withBigints, id, price: { num, den }, makerSig: bytesToHex(makerSig) };
  const full = signOrderAsServiceNode(partialOrder as never, SERVICE_NODE.signer, createdAt + 100);
  return announceWire(full);
}
function makerOrderTermsWire(): Wire {
  const o = clone(announceWire(order)).order as Wire;
  delete o.id;
  delete o.makerSig;
  delete o.serviceNode;
  delete o.price;
  return o;
}
function reduce(a: bigint, b: bigint): [bigint, bigint] {
  let [x, y] = [a, b];
  while (y) [x, y] = [y, x % y];
  return [a / x, b / x];
}
describe('validateSignRequest and validateSignResponse', () => {
  const mo = makerOrder();
  const request = () => wireForm({ type: 'order.sign.request', order: mo, ownership: { tx: '02'.repeat(60) } });
  it('a service node accepts a fresh maker-signed order', () => {
    expect(validateSignRequest(request(), context())).toEqual({ ok: true, value: mo, replay: [] });
  });
  it.each<[string, () => unknown, Partial<ValidationContext>, RefusalReason]>([
    ['an order made too long ago', request, { now: NOW + 121_000 }, 'stale'],
    [
      'a forged maker signature',
      () => ({
        ...(request() as Wire),
        order: { ...(request() as Wire).order, makerSig: makerOrder({}, STRANGER).makerSig },
      }),
      {},
      'forged-maker-sig',
    ],
    ['an order that was canceled', request, { seen: dead(mo.id) }, 'replayed'],
    [
      'an order that already has a service-node signature',
      () => ({ ...(request() as Wire), order: announceWire(order).order }),
      {},
      'malformed',
    ],
    ['no ownership proof', () => ({ type: 'order.sign.request', order: (request() as Wire).order }), {}, 'malformed'],
  ])('refuses %s', (_n, make, over, reason) =>
    expect(reasonOf(validateSignRequest(make(), context(over)))).toBe(reason),
  );

  const response = (o: Order = order) =>
    wireForm({ type: 'order.sign.response', orderId: o.id, serviceNode: o.serviceNode });
  it('a maker accepts the countersignature of the service node it asked', () => {
    expect(validateSignResponse(response(), mo, SERVICE_NODE.pubkey, {})).toEqual({
      ok: true,
      value: order,
      replay: [],
    });
  });
  it.each<[string, () => unknown, string, RefusalReason]>([
    [
      'a response for another order',
      () => response(signedOrder({ nonce: '77'.repeat(16) })),
      SERVICE_NODE.pubkey,
      'malformed',
    ],
    ['a response from another service node', response, STRANGER.pubkey, 'wrong-service-node'],
    [
      'a forged countersignature',
      () => ({ ...(response() as Wire), serviceNode: { ...order.serviceNode, sig: '11'.repeat(64) } }),
      SERVICE_NODE.pubkey,
      'forged-service-node-sig',
    ],
  ])('refuses %s', (_n, make, sn, reason) => expect(reasonOf(validateSignResponse(make(), mo, sn, {}))).toBe(reason));
});

describe('validateKeepalive and validateCancel', () => {
  const other = signedOrder({ nonce: '55'.repeat(16) }, { maker: STRANGER });
  const makers = new Map([
    [order.id, MAKER.pubkey],
    [other.id, STRANGER.pubkey],
  ]);
  const ctx = (over: Partial<ValidationContext> = {}) => ({
    ...context(over),
    makerOf: (id: string) => makers.get(id),
  });
  const seenSeq = (seq: number) => {
    const g = new ReplayGuard();
    g.commit([{ sender: MAKER.pubkey, seq, ts: ARRIVAL - 10 }]);
    return g;
  };

  it("a keepalive refreshes the maker's listed orders and reports unknown ones", () => {
    const unknownId = 'ee'.repeat(32);
    const v = validateKeepalive(keepaliveWire([order.id, unknownId]), ctx());
    expect(v).toEqual({
      ok: true,
      value: { maker: MAKER.pubkey, orderIds: [order.id], unknownOrderIds: [unknownId] },
      replay: [{ sender: MAKER.pubkey, seq: 10, ts: ARRIVAL }],
    });
  });
  it.each<[string, () => unknown, Partial<ValidationContext>, RefusalReason]>([
    ["a keepalive naming another maker's order", () => keepaliveWire([order.id, other.id]), {}, 'not-maker'],
    [
      'a keepalive signed by another key',
      () => ({ ...keepaliveWire([order.id]), sig: (keepaliveWire([order.id], {}, STRANGER) as Wire).sig }),
      {},
      'forged-maker-sig',
    ],
    [
      'a keepalive with a changed id list',
      () => ({ ...keepaliveWire([order.id]), orderIds: [order.id, 'ee'.repeat(32)] }),
      {},
      'forged-maker-sig',
    ],
    ['a replayed keepalive (same sequence)', () => keepaliveWire([order.id]), { seen: seenSeq(10) }, 'replayed'],
    [
      'a keepalive with a lower sequence',
      () => keepaliveWire([order.id], { seq: 9 }),
      { seen: seenSeq(10) },
      'replayed',
    ],
    ['a keepalive older than the window', () => keepaliveWire([order.id], { ts: ARRIVAL - 120_001 }), {}, 'stale'],
    ['a keepalive from the future', () => keepaliveWire([order.id], { ts: ARRIVAL + 30_001 }), {}, 'future'],
    ['a keepalive naming an order twice', () => keepaliveWire([order.id, order.id]), {}, 'malformed'],
    ['a keepalive naming no order', () => keepaliveWire([]), {}, 'malformed'],
    [
      'a keepalive naming 101 orders',
      () => keepaliveWire(Array.from({ length: 101 }, (_, i) => i.toString(16).padStart(64, '0'))),
      {},
      'malformed',
    ],
  ])('refuses %s', (_n, make, over, reason) => expect(reasonOf(validateKeepalive(make(), ctx(over)))).toBe(reason));

  it('a cancel by the maker is accepted', () => {
    expect(validateCancel(cancelWire(order.id), ctx())).toEqual({
      ok: true,
      value: { orderId: order.id, maker: MAKER.pubkey },
      replay: [{ sender: MAKER.pubkey, seq: 11, ts: ARRIVAL }],
    });
  });
  it.each<[string, () => unknown, Partial<ValidationContext>, RefusalReason]>([
    ['a cancel by someone else, signed by them', () => cancelWire(order.id, {}, STRANGER), {}, 'not-maker'],
    [
      "a cancel claiming the maker key with a stranger's signature",
      () => ({ ...cancelWire(order.id), sig: (cancelWire(order.id, {}, STRANGER) as Wire).sig }),
      {},
      'forged-maker-sig',
    ],
    ['a cancel of an unknown order', () => cancelWire('ee'.repeat(32)), {}, 'unknown-order'],
    ['a replayed cancel', () => cancelWire(order.id, { seq: 10 }), { seen: seenSeq(10) }, 'replayed'],
    ['a stale cancel', () => cancelWire(order.id, { ts: NOW - 200_000 }), {}, 'stale'],
    ['a cancel with an extra field', () => ({ ...cancelWire(order.id), reason: 'x' }), {}, 'malformed'],
    ['a cancel over the cap', () => utf8(JSON.stringify(cancelWire(order.id)).padEnd(1100, ' ')), {}, 'oversize'],
  ])('refuses %s', (_n, make, over, reason) => expect(reasonOf(validateCancel(make(), ctx(over)))).toBe(reason));
});

describe('accept, ack, take and hold', () => {
  const partial = signedOrder({ nonce: '33'.repeat(16), baseAmount: 100_000_000n, quoteAmount: 25_000_001n });
  const book = new OrderBook({ base: 'DEVA', quote: 'DEVB' });
  book.add(order, NOW);
  book.add(partial, NOW);
  const listed = (id: string) => book.get(id);
  const ctx = (over: Partial<ValidationContext> = {}) => ({
    ...context(over),
    listed,
    servicePubkey: SERVICE_NODE.pubkey,
  });

  it('an accept of the whole order is valid and identified by its digest', () => {
    const a = acceptWire(order);
    const v = validateAccept(a, ctx());
    expect(v.ok && v.value.acceptId).toBe(signedMessageId(a as never));
    expect(v.ok && v.value.accept.baseAmount).toBe(100_000_000n);
  });
  it('a partial accept pays the quote rounded up for the selling maker', () => {
    // 0.3 DEVA at 25000001/100000000: 7500000.3 → 7500001.
    const v = validateAccept(acceptWire(partial, { baseAmount: 30_000_000n }), ctx());
    expect(v.ok && v.value.accept.quoteAmount).toBe(7_500_001n);
  });
  it.each<[string, () => unknown, Partial<ValidationContext>, RefusalReason]>([
    ['a fill below the partial minimum', () => acceptWire(order, { baseAmount: 5_000_000n }), {}, 'amount-invalid'],
    [
      'a fill leaving less than the minimum',
      () => acceptWire(order, { baseAmount: 95_000_000n }),
      {},
      'amount-invalid',
    ],
    [
      'a quote rounded against the maker',
      () => acceptWire(partial, { baseAmount: 30_000_000n, quoteAmount: 7_500_000n }),
      {},
      'price-inconsistent',
    ],
    ['a quote at another price', () => acceptWire(order, { quoteAmount: 20_000_000n }), {}, 'price-inconsistent'],
    ['an accept of an unknown order', () => ({ ...acceptWire(order), orderId: 'ee'.repeat(32) }), {}, 'unknown-order'],
    [
      'a payout address of another chain',
      () => acceptWire(order, { payout: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4' }),
      {},
      'malformed',
    ],
    [
      'a changed amount under the taker signature',
      () => ({ ...acceptWire(order), baseAmount: '50000000', quoteAmount: '12500000' }),
      {},
      'forged-taker-sig',
    ],
    ['a stale accept', () => acceptWire(order, { ts: ARRIVAL - 121_000 }), {}, 'stale'],
    ['a replayed accept', () => acceptWire(order), { seen: seqOf(TAKER.pubkey, 20) }, 'replayed'],
    [
      'an accept without a fee txid',
      () => {
        const a = acceptWire(order);
        delete a.feeTxid;
        return a;
      },
      {},
      'malformed',
    ],
  ])('refuses %s', (_n, make, over, reason) => expect(reasonOf(validateAccept(make(), ctx(over)))).toBe(reason));

  it("the taker accepts the maker's ack of its accept", () => {
    const a = acceptWire(order);
    const v = validateAccept(a, ctx());
    if (!v.ok) throw new Error(v.message);
    expect(reasonOf(validateAck(ackWire(a), v.value, MAKER.pubkey, context()))).toBe('ok');
    expect(reasonOf(validateAck(ackWire(a, { acceptId: 'ab'.repeat(32) }), v.value, MAKER.pubkey, context()))).toBe(
      'malformed',
    );
    expect(reasonOf(validateAck(ackWire(a, {}, STRANGER), v.value, MAKER.pubkey, context()))).toBe('not-maker');
  });

  it("a service node takes an accept with the maker's ack", () => {
    const a = acceptWire(order);
    const v = validateTake({ type: 'order.take', accept: a, ack: ackWire(a) }, ctx());
    expect(v.ok && v.replay.map((r) => r.sender)).toEqual([TAKER.pubkey, MAKER.pubkey]);
  });
  it.each<[string, () => unknown, Partial<ValidationContext> & { servicePubkey?: string }, RefusalReason]>([
    [
      "a take without the maker's ack of this accept",
      () => {
        const a = acceptWire(order);
        return { type: 'order.take', accept: a, ack: ackWire(acceptWire(order, { seq: 21 })) };
      },
      {},
      'malformed',
    ],
    [
      'a take with an ack by a stranger claiming the maker key',
      () => {
        const a = acceptWire(order);
        return { type: 'order.take', accept: a, ack: { ...ackWire(a), sig: (ackWire(a, {}, STRANGER) as Wire).sig } };
      },
      {},
      'forged-maker-sig',
    ],
    [
      'a take sent to a service node that did not sign the order',
      () => {
        const a = acceptWire(order);
        return { type: 'order.take', accept: a, ack: ackWire(a) };
      },
      { servicePubkey: STRANGER.pubkey },
      'wrong-service-node',
    ],
    [
      'a take with a forged accept',
      () => {
        const a = { ...acceptWire(order), feeTxid: TXID_A };
        return { type: 'order.take', accept: a, ack: ackWire(a) };
      },
      {},
      'forged-taker-sig',
    ],
  ])('refuses %s', (_n, make, over, reason) =>
    expect(
      reasonOf(
        validateTake(make(), { ...ctx(over), ...(over.servicePubkey ? { servicePubkey: over.servicePubkey } : {}) }),
      ),
    ).toBe(reason),
  );

  it('a hold of part of an order gives the remainder and a hold id', () => {
    const h = holdWire(order, { baseAmount: 40_000_000n });
    const v = validateHold(h, ctx());
    expect(v.ok && [v.value.hold.remainingBase, v.value.holdId]).toEqual([60_000_000n, signedMessageId(h as never)]);
  });
  it("a hold from a node that missed an earlier hold still applies (the service node's remainder counts)", () => {
    expect(
      reasonOf(validateHold(holdWire(order, { baseAmount: 20_000_000n, remainingBase: 50_000_000n }), ctx())),
    ).toBe('ok');
  });
  it.each<[string, () => unknown, Partial<ValidationContext>, RefusalReason]>([
    ['a hold by another service node', () => holdWire(order, {}, STRANGER), {}, 'wrong-service-node'],
    [
      'a hold with a forged signature',
      () => ({ ...holdWire(order), sig: (holdWire(order, {}, STRANGER) as Wire).sig }),
      {},
      'forged-service-node-sig',
    ],
    [
      'a hold taking more than is left',
      () => holdWire(order, { baseAmount: 60_000_000n, remainingBase: 60_000_000n }),
      {},
      'amount-invalid',
    ],
    ['a hold below the partial minimum', () => holdWire(order, { baseAmount: 1_000_000n }), {}, 'amount-invalid'],
    ['a hold at another price', () => holdWire(order, { quoteAmount: 1n }), {}, 'price-inconsistent'],
    ['a hold of an unknown order', () => ({ ...holdWire(order), orderId: 'ee'.repeat(32) }), {}, 'unknown-order'],
    ['a replayed hold', () => holdWire(order), { seen: seqOf(SERVICE_NODE.pubkey, 40) }, 'replayed'],
    ['a hold from the future', () => holdWire(order, { ts: ARRIVAL + 60_000 }), {}, 'future'],
    ['a hold with a negative remainder', () => ({ ...holdWire(order), remainingBase: '-1' }), {}, 'malformed'],
  ])('refuses %s', (_n, make, over, reason) => expect(reasonOf(validateHold(make(), ctx(over)))).toBe(reason));
});

function seqOf(sender: string, seq: number): ReplayGuard {
  const g = new ReplayGuard();
  g.commit([{ sender, seq, ts: ARRIVAL - 1 }]);
  return g;
}

describe('book snapshots', () => {
  const market = { base: 'DEVA', quote: 'DEVB' };
  it('a request names a traded market and a page size', () => {
    expect(
      reasonOf(validateSnapshotRequest({ type: 'book.snapshot.request', market, after: null, limit: 100 }, context())),
    ).toBe('ok');
    expect(
      reasonOf(
        validateSnapshotRequest(
          { type: 'book.snapshot.request', market: { base: 'DEVB', quote: 'DEVA' }, after: null, limit: 10 },
          context(),
        ),
      ),
    ).toBe('unknown-market');
    expect(
      reasonOf(validateSnapshotRequest({ type: 'book.snapshot.request', market, after: null, limit: 101 }, context())),
    ).toBe('malformed');
  });

  it('keeps good entries, reports known and refused ones by position', () => {
    const partlyHeld = signedOrder({ nonce: '44'.repeat(16) });
    const known = signedOrder({ nonce: '45'.repeat(16) });
    const fullyHeld = signedOrder({ nonce: '46'.repeat(16) });
    const seen = new ReplayGuard();
    seen.markLive(known.id, known.expiresAt);
    const entries = [
      { order: announceWire(order).order, hold: null },
      {
        order: announceWire(partlyHeld).order,
        hold: holdWire(partlyHeld, { baseAmount: 30_000_000n, ts: NOW - 500_000 }),
      },
      { order: announceWire(known).order, hold: null },
      { order: { ...(announceWire(order).order as Wire), makerSig: '00'.repeat(64) }, hold: null },
      { order: announceWire(fullyHeld).order, hold: holdWire(fullyHeld) },
      { order: announceWire(partlyHeld).order, hold: holdWire(partlyHeld, { baseAmount: 30_000_000n }, STRANGER) },
      { order: 'nonsense', hold: null },
    ];
    const v = validateSnapshot(
      { type: 'book.snapshot', market, entries, next: 'ab'.repeat(32) },
      market,
      context({ seen }),
    );
    if (!v.ok) throw new Error(v.message);
    expect(v.value.entries.map((e) => [e.order.id, e.remainingBase])).toEqual([
      [order.id, 100_000_000n],
      [partlyHeld.id, 70_000_000n],
    ]);
    expect(v.value.known).toEqual([known.id]);
    expect(v.value.refused.map((r) => [r.index, r.reason])).toEqual([
      [3, 'forged-maker-sig'],
      [4, 'amount-invalid'],
      [5, 'wrong-service-node'],
      [6, 'malformed'],
    ]);
    expect(v.value.next).toBe('ab'.repeat(32));
  });
  it.each<[string, unknown]>([
    [
      'a snapshot of another market',
      { type: 'book.snapshot', market: { base: 'DEVB', quote: 'DEVA' }, entries: [], next: null },
    ],
    [
      'a snapshot with 101 entries',
      {
        type: 'book.snapshot',
        market,
        entries: Array.from({ length: 101 }, () => ({ order: {}, hold: null })),
        next: null,
      },
    ],
  ])('refuses %s', (_n, msg) => expect(reasonOf(validateSnapshot(msg, market, context()))).toBe('malformed'));
});
