// A whole trade between two homes behind NAT (docs/p2p.md "Reachability"): real node processes
// in a namespace network, a service node (which relays) and a second relay on the public segment,
// a maker behind a symmetric NAT and a taker behind an endpoint-independent one, neither with
// port mapping, so nobody can dial either home. The maker's order reaches the taker, the take, the
// swap and the trade record go through the relays, and both wallets reconcile to the satoshi.
// The nodes reach the regtest daemons and the test reaches their APIs over Unix sockets only
// (test/support/ns-bridge.ts), so the relays are the only way between the homes.
// The taker has never been connected to the maker and may know only its home address (learnt
// before the maker held a reservation): the take finds the maker's circuits on the DHT and goes
// through at the first try (src-main/p2p/streams.ts).
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amountFromCoinJson, parseAmount } from '../../../src-shared/money/index.ts';
import { useDevNet, type DevNode } from '../../support/dev-node.ts';
import type { NetHost } from '../../support/netns.ts';
import { startTradeNodes, type TradeNodes } from '../../support/nat-nodes.ts';
import { DEVA_DEVB, orderAt } from '../../support/order-node.ts';
import { autoMine, type AutoMiner } from '../../support/regtest.ts';
import { expectedAfter, walletsOf } from '../swap/harness.ts';

const dev = useDevNet({ blocks: 110 });
let w: TradeNodes;
let sn: DevNode;
let maker: DevNode;
let taker: DevNode;
let miner: AutoMiner | undefined;

/** What the taker paid the service node: the fee transactions on DEVB besides the swap's funding. */
async function takerFeeSpend(node: DevNode, fundingTxid: string | undefined): Promise<{ total: bigint; sent: bigint }> {
  const wallet = node.wallet('DEVB');
  const list = await wallet.callAs(
    z.array(z.object({ txid: z.string(), category: z.string() }).loose()),
    'listtransactions',
    ['*', 100],
  );
  const txids = [...new Set(list.filter((t) => t.category === 'send' && t.txid !== fundingTxid).map((t) => t.txid))];
  let total = 0n;
  let sent = 0n;
  for (const txid of txids) {
    const tx = await wallet.callAs(
      z.object({ amount: z.union([z.string(), z.number()]), fee: z.union([z.string(), z.number()]) }).loose(),
      'gettransaction',
      [txid],
    );
    const amount = amountFromCoinJson(String(-tx.amount), 8);
    sent += amount;
    total += amount + amountFromCoinJson(String(-tx.fee), 8);
  }
  return { total, sent };
}

beforeAll(async () => {
  w = await startTradeNodes(dev, 'homes');
  ({ sn, maker, taker } = w);
  miner = autoMine(dev.dev);
  for (const n of [maker, taker])
    await n.until(
      () => n.call('servicenode.list', {}),
      (l) => l.some((x) => x.fee !== null),
      'service node listed',
      60_000,
    );
}, 900_000);

afterAll(async () => {
  await miner?.stop();
  for (const n of dev.nodes) await n.kill().catch(() => undefined);
  await w?.close();
}, 120_000);

describe('a trade between two homes behind NAT', () => {
  it('both homes hold reservations on the service node and the second relay, and cannot be dialled directly', async () => {
    for (const n of [maker, taker]) {
      const r = await n.until(
        () => n.call('p2p.reachability', {}),
        (x) => x.relays.length === 2,
        'two relays',
        120_000,
      );
      expect(r.state).toBe('relayed');
      expect(r.relays.map((x) => x.peerId).sort()).toEqual([sn.peerId, w.relay2.peerId].sort());
      expect(r.publicAddrs).toEqual([]);
    }
  }, 150_000);

  it('an order between the two homes is made, taken, swapped and recorded through relays; wallets reconcile to the satoshi', async () => {
    const before = { maker: await walletsOf(maker), taker: await walletsOf(taker) };
    const t0 = Date.now();
    const made = await maker.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '2', price: '0.5' });
    const id = made.order!.id;
    await taker.until(
      () => taker.call('orders.list', DEVA_DEVB),
      (l) => l.some((o) => o.id === id),
      'order listed at the taker',
      60_000,
    );
    const listedMs = Date.now() - t0;
    const t1 = Date.now();
    const took = await taker.call('orders.take', { orderId: id });
    const swapId = took.swapIds[0]!;
    await orderAt(taker, took.order!.id, (o) => o.state === 'finished', 'take finished', 240_000);
    await orderAt(maker, id, (o) => o.state === 'finished', 'maker order finished', 120_000);
    const swapMs = Date.now() - t1;
    console.log(`nat-trade: order listed at the other home after ${listedMs} ms; take to both finished ${swapMs} ms`);
    // The two homes only ever reached each other through a relay.
    const seen = (await taker.call('p2p.peers', {})).find((p) => p.peerId === maker.peerId);
    expect(seen?.path).toBe('relayed');
    expect([sn.peerId, w.relay2.peerId]).toContain(seen?.relay);
    for (const n of [maker, taker]) {
      const fills = await n.until(
        () => n.call('history.fills', DEVA_DEVB),
        (l) => l.some((t) => t.id === swapId),
        'trade record',
        90_000,
      );
      expect(fills.find((t) => t.id === swapId)).toMatchObject({ price: '0.5', baseAmount: '2', quoteAmount: '1' });
    }
    const m = await maker.swap(swapId);
    const t = await taker.swap(swapId);
    expect([m.outcome, t.outcome]).toEqual(['completed', 'completed']);
    expect(await walletsOf(maker)).toEqual(await expectedAfter(maker, m, before.maker));
    const fee = await takerFeeSpend(taker, t.txs.find((x) => x.kind === 'ownFunding')?.txid);
    expect(fee.sent).toBe(parseAmount('0.001', 8));
    const takerExpected = await expectedAfter(taker, t, before.taker);
    expect(await walletsOf(taker)).toEqual({ ...takerExpected, DEVB: takerExpected.DEVB - fee.total });
  }, 600_000);

  it('a relay going away mid-swap: the swap goes on through the other relay and completes', async () => {
    const made = await maker.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '1', price: '0.5' });
    const id = made.order!.id;
    await taker.until(
      () => taker.call('orders.list', DEVA_DEVB),
      (l) => l.some((o) => o.id === id),
      'order listed at the taker',
      60_000,
    );
    // No blocks until the relay is cut: the swap stands after the maker's lock, its later steps ahead.
    miner!.paused.add('DEVA');
    miner!.paused.add('DEVB');
    let cut: NetHost | undefined;
    try {
      const took = await taker.call('orders.take', { orderId: id });
      const swapId = took.swapIds[0]!;
      // The maker has locked its coins; the taker's lock and both claims are still to come.
      await taker.waitSwap(swapId, (x) => x.txs.some((tx) => tx.kind === 'theirFunding'), 'the maker funded', 120_000);
      const used = (await taker.call('p2p.peers', {})).find((p) => p.peerId === maker.peerId)?.relay;
      expect([sn.peerId, w.relay2.peerId]).toContain(used);
      const [goneHost, other] =
        used === sn.peerId ? [w.net!.publicHosts.sn!, w.relay2.peerId] : [w.net!.publicHosts.relay2!, sn.peerId];
      cut = goneHost;
      await w.net!.setLink(goneHost, false);
      miner!.paused.clear();
      const m = await maker.waitSwap(swapId, (x) => x.terminal, 'maker finished', 240_000);
      const t = await taker.waitSwap(swapId, (x) => x.terminal, 'taker finished', 240_000);
      expect([m.outcome, t.outcome]).toEqual(['completed', 'completed']);
      const seen = await taker.until(
        () => taker.call('p2p.peers', {}),
        (l) => l.some((p) => p.peerId === maker.peerId && p.relay === other),
        'the homes linked through the other relay',
        90_000,
      );
      expect(seen.find((p) => p.peerId === maker.peerId)?.path).toBe('relayed');
    } finally {
      miner!.paused.clear();
      if (cut !== undefined) await w.net!.setLink(cut, true);
    }
  }, 600_000);
});
