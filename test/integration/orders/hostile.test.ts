// Hostile peers against real nodes (separate processes, two regtest chains): forged, unsigned and
// unknown-service-node orders, orders backed by foreign, spent or too few coins, replayed
// messages, oversize and malformed gossip, and floods. Nothing invalid is ever shown, the honest
// nodes keep working, and the senders are scored down until they are cut off.
import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireForm } from '../../../src-shared/protocol/canonical.ts';
import { ORDER_PROTOCOLS, marketTopic, signOrderMessage } from '../../../src-shared/protocol/orders.ts';
import { createOrder, signOrderAsServiceNode } from '../../../src-shared/orders/order.ts';
import { STRANGER, testKey, type TestKey } from '../../../src-shared/orders/testkit.ts';
import type { Order, OrderTerms } from '../../../src-shared/orders/types.ts';
import { waitFor, sleep } from '../../../src-main/kernel/time.ts';
import type { DevNode } from '../../support/dev-node.ts';
import { COIN, DEVA_DEVB, goneAt, listedAt, useOrderNet } from '../../support/order-node.ts';
import { P2pProcs, type P2pProc } from '../../support/p2p-proc.ts';

const TOPIC = marketTopic('DEVA', 'DEVB');

const net = useOrderNet({
  maker: { funds: { DEVA: 10n * COIN }, splitInto: 2 },
  watcher: {},
});
let sn: DevNode;
let maker: DevNode;
let watcher: DevNode;
// Hostile peers are bare p2p hosts (test/integration/p2p/test-node.ts) that publish whatever bytes
// the test hands them, flood, send raw requests and keep every gossip message they see in full.
const procs = new P2pProcs();
let hostile: P2pProc;
let snKey: string;

async function newHostile(name: string): Promise<P2pProc> {
  // Every node shares its one loopback address: the hostile host must let them all connect.
  const h = await procs.start(name, { limits: { inboundConnectionsPerHostPerSec: 1000 } });
  await h.call('subscribe', { topic: TOPIC, full: true });
  // Connected to all three nodes, and gossipsub knows all three subscribe (it publishes only to
  // peers it knows do): probe until a message reaches three. The probe is a keepalive for an
  // order nobody lists, which costs the sender nothing. Dialling again is a no-op while connected
  // and mends a connection lost meanwhile; a dial may also be refused for a while, since nodes
  // accept a few new connections per second from one address and on loopback all peers are one.
  const probe = testKey(44);
  await waitFor(
    async () => {
      for (const n of [sn, maker, watcher]) await h.call('dial', { addr: n.addr }).catch(() => undefined);
      const text = JSON.stringify(
        signOrderMessage(
          {
            type: 'order.keepalive',
            maker: probe.pubkey,
            orderIds: [randomBytes(32).toString('hex')],
            seq: Date.now(),
            ts: Date.now(),
          },
          probe.signer,
        ),
      );
      return (await h.call<{ recipients: number }>('publish', { topic: TOPIC, text })).recipients >= 3;
    },
    { timeoutMs: 60_000, intervalMs: 500, what: `${name} connected to the three nodes, its gossip reaching them` },
  );
  return h;
}

/** An order the way a maker would make it, by a key of the test's choosing (fresh times). */
function forgedTerms(maker: TestKey, peerId: string, over: Partial<OrderTerms> = {}): OrderTerms {
  const now = Date.now();
  return {
    market: { base: 'DEVA', quote: 'DEVB' },
    side: 'sell',
    baseAmount: 100_000_000n,
    quoteAmount: 50_000_000n,
    partial: { allowed: false, minBase: 100_000_000n },
    maker: { peerId, pubkey: maker.pubkey, addresses: { payout: maker.address, refund: testKey(40).address } },
    makerUtxos: [`${'ab'.repeat(32)}:0`],
    createdAt: now,
    expiresAt: now + 3_600_000,
    nonce: now.toString(16).padStart(32, '0').slice(-32),
    ...over,
  };
}
const peersOf = async (p: P2pProc) => (await p.call<Array<{ peerId: string }>>('peers')).map((x) => x.peerId);
const announce = (o: Order) => JSON.stringify(wireForm({ type: 'order.announce', order: o }));

beforeAll(async () => {
  ({
    sn,
    traders: { maker, watcher },
  } = net);
  snKey = (await watcher.call('servicenode.list', {}))[0]!.pubkey;
  hostile = await newHostile('hostile');
});

afterAll(async () => {
  await procs.cleanup();
});

describe('hostile peers', () => {
  it('forged, unsigned and unknown-service-node orders are never shown', async () => {
    const bad = testKey(41);
    const unknownSn = signOrderAsServiceNode(
      createOrder(forgedTerms(bad, hostile.peerId), bad.signer),
      STRANGER.signer,
      Date.now(),
    );
    const forgedSn = {
      ...signOrderAsServiceNode(
        createOrder(forgedTerms(bad, hostile.peerId, { nonce: '11'.repeat(16) }), bad.signer),
        STRANGER.signer,
        Date.now(),
      ),
    };
    const claimsRealSn: Order = { ...forgedSn, serviceNode: { ...forgedSn.serviceNode, pubkey: snKey } };
    const unsigned: Order = {
      ...signOrderAsServiceNode(
        createOrder(forgedTerms(bad, hostile.peerId, { nonce: '22'.repeat(16) }), bad.signer),
        STRANGER.signer,
        Date.now(),
      ),
      makerSig: '00'.repeat(64),
    };
    const texts = [
      announce(unknownSn),
      announce(claimsRealSn),
      announce({ ...unsigned, serviceNode: { ...unsigned.serviceNode, pubkey: snKey } }),
    ];
    for (const text of texts) await hostile.call('publish', { topic: TOPIC, text });
    await sleep(2000);
    for (const n of [sn, maker, watcher]) expect(await n.call('orders.list', {})).toEqual([]);
    for (const o of [unknownSn, claimsRealSn, unsigned])
      await expect(watcher.call('orders.get', { orderId: o.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it("the service node refuses orders backed by foreign, spent or too few coins, and signs one backed by the maker's own", async () => {
    const chain = net.dev.DEVA;
    const wallet = chain.rpc; // the chain's own wallet plays a maker with real coins
    const unspent = await wallet.callAs(
      z.array(z.object({ txid: z.string(), vout: z.number(), amount: z.string(), address: z.string() }).loose()),
      'listunspent',
      [1],
    );
    const [own, foreign] = [unspent[0]!, unspent[1]!];
    const refund = await wallet.callAs(z.string(), 'getnewaddress', ['', 'bech32']);
    const m = testKey(42);
    const orderOn = (coin: { txid: string; vout: number }, amount = 100_000_000n) =>
      createOrder(
        {
          ...forgedTerms(m, hostile.peerId, {
            baseAmount: amount,
            quoteAmount: amount / 2n,
            partial: { allowed: false, minBase: amount },
          }),
          makerUtxos: [`${coin.txid}:${coin.vout}`],
        },
        m.signer,
      );
    const proofFor = async (
      coin: { txid: string; vout: number; amount: string },
      orderIdHex: string,
      sign: boolean,
    ) => {
      const raw = await wallet.callAs(z.string(), 'createrawtransaction', [
        [{ txid: coin.txid, vout: coin.vout }],
        [{ data: orderIdHex }, { [refund]: (Number(coin.amount) - 0.001).toFixed(8) }],
      ]);
      return sign
        ? (await wallet.callAs(z.object({ hex: z.string() }).loose(), 'signrawtransactionwithwallet', [raw])).hex
        : raw;
    };
    /** The order id is inside the proof: make the order, then its proof. */
    const ask = async (
      coin: { txid: string; vout: number; amount: string },
      opts: { sign: boolean; amount?: bigint; proof?: (id: string) => Promise<string> },
    ) => {
      const made = orderOn(coin, opts.amount);
      const proof = await (opts.proof ?? ((id: string) => proofFor(coin, id, opts.sign)))(made.id);
      return {
        id: made.id,
        answer: hostile.call<{ orderId: string }>('request', {
          peerId: sn.peerId,
          protocol: ORDER_PROTOCOLS.sign,
          body: wireForm({ type: 'order.sign.request', order: made, ownership: { tx: proof } }),
          timeoutMs: 20_000,
        }),
      };
    };
    // Foreign: a proof nobody signed (the hostile peer does not hold those keys).
    await expect((await ask(foreign, { sign: false })).answer).rejects.toThrow(/not the maker's/);
    // Too few: the coin holds less than the order sells.
    const tooMuch = BigInt(Math.round(Number(own.amount) * 1e8)) * 2n;
    await expect((await ask(own, { sign: true, amount: tooMuch })).answer).rejects.toThrow(/less than/);
    // A proof made for another order does not count.
    await expect(
      (await ask(own, { sign: true, proof: () => proofFor(own, 'cd'.repeat(32), true) })).answer,
    ).rejects.toThrow(/not for this order/);
    // Honest: the coin's owner signed the proof.
    const fine = await ask(own, { sign: true });
    expect(await fine.answer).toMatchObject({ orderId: fine.id, serviceNode: { pubkey: snKey } });
    // Spent: a proof made while the coin was there, used after it is gone. The coin also backs the
    // order just signed, so the service node may name that first (coin-in-use, issue 9 item 4).
    const made = orderOn(own);
    const spent = await proofFor(own, made.id, true);
    const drain = await wallet.callAs(z.string(), 'createrawtransaction', [
      [{ txid: own.txid, vout: own.vout }],
      [{ [refund]: (Number(own.amount) - 0.01).toFixed(8) }],
    ]);
    await wallet.call('sendrawtransaction', [
      (await wallet.callAs(z.object({ hex: z.string() }).loose(), 'signrawtransactionwithwallet', [drain])).hex,
    ]);
    await expect(
      hostile.call('request', {
        peerId: sn.peerId,
        protocol: ORDER_PROTOCOLS.sign,
        body: wireForm({ type: 'order.sign.request', order: made, ownership: { tx: spent } }),
        timeoutMs: 20_000,
      }),
    ).rejects.toThrow(/spent|not the maker's|already backs another order/);
  });

  it('replayed announces, cancels and keepalives change nothing', async () => {
    const made = await maker.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '1', price: '0.5' });
    const id = made.order!.id;
    await listedAt(watcher, id, 15_000);
    const captured = (type: string) =>
      hostile.messages.find((m) => m.text.includes(`"type":"${type}"`) && m.text.includes(id))?.text;
    await watcher.until(
      async () => captured('order.keepalive') !== undefined,
      Boolean,
      'a keepalive seen by the hostile peer',
      10_000,
    );
    await maker.call('orders.cancel', { orderId: id });
    await goneAt(watcher, id, 15_000);
    await hostile.call('publish', { topic: TOPIC, text: captured('order.announce')! });
    await hostile.call('publish', { topic: TOPIC, text: captured('order.keepalive')! });
    await hostile.call('publish', { topic: TOPIC, text: captured('order.cancel')! });
    await sleep(1500);
    for (const n of [sn, watcher]) expect((await n.call('orders.list', {})).some((o) => o.id === id)).toBe(false);
    // A replayed announce is not an offence (gossip repeats): the peer is still connected.
    expect(await peersOf(hostile)).toContain(watcher.peerId);
  });

  it('oversize and malformed gossip gets the sender cut off by every node; nothing is shown', async () => {
    const junk = [
      '{',
      'null',
      '[]',
      '{"type":"order.announce"}',
      '{"type":"order.announce","order":{}}',
      JSON.stringify({ type: 'order.announce', pad: 'x'.repeat(7000) }),
      '{"type":"order.cancel","orderId":"00","orderId":"11"}',
    ];
    for (const text of junk) await hostile.call('publish', { topic: TOPIC, text }).catch(() => undefined);
    for (const n of [sn, maker, watcher]) {
      await n.until(
        () => n.call('p2p.peers', {}),
        (l) => !l.some((p) => p.peerId === hostile.peerId),
        'hostile peer cut off',
        15_000,
      );
    }
    // Dialling again gets it nowhere: the connection is refused or closed as soon as it opens.
    await hostile.call('dial', { addr: watcher.addr }).catch(() => undefined);
    await waitFor(async () => !(await peersOf(hostile)).includes(watcher.peerId), {
      timeoutMs: 15_000,
      what: "the banned peer's new connection closed",
    });
    for (const n of [sn, maker, watcher]) expect(await n.call('orders.list', {})).toEqual([]);
    // Banned everywhere, it would go on dialling; on loopback those refused dials use up the new
    // connections per second that every node allows one address, and the next peer's are refused.
    hostile.kill();
  });

  it('a flood of orders is rate-limited and cut off while the nodes keep answering; honest orders still flow', async () => {
    const flooder = await newHostile('flooder');
    const key = testKey(43);
    const texts = Array.from({ length: 600 }, (_, i) =>
      announce(
        signOrderAsServiceNode(
          createOrder(forgedTerms(key, flooder.peerId, { nonce: (i + 1).toString(16).padStart(32, '0') }), key.signer),
          STRANGER.signer,
          Date.now(),
        ),
      ),
    );
    const flood = flooder.call<{ sent: number }>('publish-many', { topic: TOPIC, texts }, 120_000);
    const started = Date.now();
    expect(Array.isArray(await watcher.call('orders.list', {}))).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    await flood;
    for (const n of [sn, watcher]) {
      await n.until(
        () => n.call('p2p.peers', {}),
        (l) => !l.some((p) => p.peerId === flooder.peerId),
        'flooder cut off',
        30_000,
      );
    }
    for (const n of [sn, maker, watcher]) expect(await n.call('orders.list', {})).toEqual([]);
    const honest = await maker.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '1', price: '0.7' });
    await listedAt(watcher, honest.order!.id, 15_000);
  });
});
