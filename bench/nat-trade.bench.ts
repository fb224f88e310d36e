// Trading between two homes behind NAT against the same on loopback (test/support/nat-nodes.ts:
// a service node, a second relay, a maker behind a symmetric NAT and a taker behind an
// endpoint-independent one, everything between them through relays; then the same four on
// loopback, dialling each other directly). Per round: an order's propagation (orders.make at the
// maker until orders.list at the taker shows it) and a take's wall time (orders.take until both
// sides' orders are finished, swap and trade record included), with a block mined as soon as a
// transaction waits. Needs root, iproute2 and nftables, like the NAT tests. Writes
// bench/results/nat-trade.json.
//   npm run bench -- nat-trade
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevNet } from '../test/support/dev-node.ts';
import { startTradeNodes } from '../test/support/nat-nodes.ts';
import { DEVA_DEVB, orderAt } from '../test/support/order-node.ts';
import { autoMine } from '../test/support/regtest.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = 3;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function measure(dev: DevNet, where: 'homes' | 'loopback') {
  const w = await startTradeNodes(dev, where, where === 'homes' ? '' : '-lo');
  const miner = autoMine(dev.dev);
  try {
    const { maker, taker } = w;
    for (const n of [maker, taker])
      await n.until(
        () => n.call('servicenode.list', {}),
        (l) => l.some((x) => x.fee !== null),
        'service node listed',
        60_000,
      );
    if (where === 'loopback') await taker.call('p2p.dial', { addr: maker.addr });
    const propagation: number[] = [];
    const take: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      const made = await maker.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '0.5', price: '0.5' });
      const id = made.order!.id;
      await taker.until(
        () => taker.call('orders.list', DEVA_DEVB),
        (l) => l.some((o) => o.id === id),
        'order listed',
        60_000,
        { intervalMs: 20 },
      );
      propagation.push(performance.now() - t0);
      const t1 = performance.now();
      const took = await taker.call('orders.take', { orderId: id });
      await orderAt(taker, took.order!.id, (o) => o.state === 'finished', 'take finished', 240_000);
      await orderAt(maker, id, (o) => o.state === 'finished', 'order finished', 120_000);
      take.push(performance.now() - t1);
    }
    const path = (await taker.call('p2p.peers', {})).find((p) => p.peerId === maker.peerId)?.path ?? 'none';
    return {
      pathBetweenTraders: path,
      orderPropagationMs: { median: Math.round(median(propagation)), all: propagation.map(Math.round) },
      takeWallMs: { median: Math.round(median(take)), all: take.map(Math.round) },
    };
  } finally {
    await miner.stop();
    for (const n of [w.sn, w.maker, w.taker]) await n.kill().catch(() => undefined);
    await w.close();
  }
}

export async function run(out = path.join(ROOT, 'bench/results/nat-trade.json')) {
  const dev = await new DevNet().start({ blocks: 110 });
  try {
    const homes = await measure(dev, 'homes');
    const loopback = await measure(dev, 'loopback');
    const result = { bench: 'nat-trade', at: new Date().toISOString(), rounds: ROUNDS, homes, loopback };
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    return {
      ...result,
      summary: {
        orderPropagationMs: { homes: homes.orderPropagationMs.median, loopback: loopback.orderPropagationMs.median },
        takeWallMs: { homes: homes.takeWallMs.median, loopback: loopback.takeWallMs.median },
        path: { homes: homes.pathBetweenTraders, loopback: loopback.pathBetweenTraders },
      },
    };
  } finally {
    await dev.cleanup();
  }
}
