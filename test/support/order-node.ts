// The order network for tests: a service node and traders (DevNodes, real processes) on the two
// regtest chains, with order-network timings short enough that keepalives, expiry and heartbeats
// happen in seconds. `useOrderNet` sets one up for a test file (every node sees the service node
// before the tests run) and tears it down after; `listedAt`/`goneAt` wait on a node's book.
import { z } from 'zod';
import { afterAll, beforeAll } from 'vitest';
import type { Result } from '../../src-shared/api/contract.ts';
import type { DevNode, DevNodeOptions } from './dev-node.ts';
import { connectAll, useDevNet, type DevNet } from './dev-node.ts';
import { autoMine, type AutoMiner, type DevChains } from './regtest.ts';

export { COIN } from './dev-node.ts';

/** Order-network timings for tests: seconds, not minutes. */
export const FAST_ORDERS = {
  keepaliveMs: 500,
  offlineAfterMs: 4000,
  sweepMs: 250,
  holdTimeoutMs: 8000,
  orderLifetimeMs: 3_600_000,
};
/** How long the test nodes wait for a silent service node before dropping it. */
export const SN_SILENT_MS = 12_000;
export const COLLATERAL = { ticker: 'DEVA', amount: '10', minConfirmations: 1 } as const;
/** The one market of the test chains, as method params name it. */
export const DEVA_DEVB = { base: 'DEVA', quote: 'DEVB' } as const;

export interface TraderOptions extends Pick<DevNodeOptions, 'funds' | 'splitInto'> {
  /** Merged over FAST_ORDERS. */
  orders?: Record<string, unknown>;
}

function orderConfig(orders: Record<string, unknown> = {}): Record<string, unknown> {
  // Heartbeats every 500 ms; a service node is gone after 24 missed ones. At 4 s, gossip delayed by
  // a loaded machine (seconds at load 15-30) dropped live service nodes and invalidated their orders.
  return { orders: { ...FAST_ORDERS, ...orders }, serviceNodes: { collateral: COLLATERAL, silentMs: SN_SILENT_MS } };
}

/** A trader node with its wallets funded as asked, not started yet. */
export function prepareTrader(net: DevNet, name: string, o: TraderOptions = {}): Promise<DevNode> {
  const { orders, ...wallets } = o;
  return net.prepare(name, { ...wallets, config: orderConfig(orders) });
}

/** A running trader node, connected to `bootstrap`. */
export async function createTrader(
  net: DevNet,
  name: string,
  o: TraderOptions = {},
  bootstrap: readonly DevNode[] = [],
): Promise<DevNode> {
  return (await prepareTrader(net, name, o)).launch(bootstrap);
}

/** A service node: collateral of COLLATERAL.amount on a legacy address of its DEVA wallet, a DEVB fee. */
export async function createServiceNode(
  net: DevNet,
  name: string,
  o: { fee?: string; announceMs?: number; beforeLaunch?: (node: DevNode) => Promise<void> } = {},
): Promise<DevNode> {
  const node = await net.prepare(name, { role: 'servicenode' });
  const deva = net.dev.DEVA;
  const legacy = await node.wallet('DEVA').callAs(z.string(), 'getnewaddress', ['collateral', 'legacy']);
  const txid = await deva.rpc.callAs(z.string(), 'sendtoaddress', [legacy, COLLATERAL.amount]);
  await deva.mine(1);
  const tx = await node.wallet('DEVA').callAs(
    z
      .object({
        details: z.array(
          z.object({ address: z.string().optional(), vout: z.number().int(), category: z.string() }).loose(),
        ),
      })
      .loose(),
    'gettransaction',
    [txid],
  );
  const vout = tx.details.find((x) => x.address === legacy && x.category === 'receive')!.vout;
  node.config = {
    ...node.config,
    ...orderConfig(),
    servicenode: {
      collateral: { ticker: 'DEVA', txid, vout },
      fee: { ticker: 'DEVB', amount: o.fee ?? '0.001' },
      coins: ['DEVA', 'DEVB'],
      announceMs: o.announceMs ?? 500,
    },
  };
  await o.beforeLaunch?.(node);
  return node.launch();
}

export interface OrderNet<N extends string> {
  readonly dev: DevChains;
  readonly root: string;
  /** The service node, then the traders, then any node added later. */
  readonly nodes: DevNode[];
  readonly sn: DevNode;
  readonly traders: Record<N, DevNode>;
  /** The auto-miner (pause a chain with `miner.paused.add(ticker)`), once set up. */
  readonly miner: AutoMiner;
  /** A trader that joins later, knowing only `bootstrap`. */
  addTrader(name: string, o: TraderOptions, bootstrap: readonly DevNode[]): Promise<DevNode>;
}

/** A set-up of several node processes is slow on a loaded machine: more than the default hook time. */
const SETUP_TIMEOUT_MS = 600_000;

/**
 * For this test file: one service node `sn` and the named traders (bootstrapped to it, then all
 * connected), blocks mined whenever a transaction waits, and every node listing the service node
 * with its fee (and, with `verified`, its collateral checked on chain) before the first test.
 */
export function useOrderNet<N extends string>(
  traders: Record<N, TraderOptions>,
  o: { verified?: boolean } = {},
): OrderNet<N> {
  const net = useDevNet({ blocks: 110 });
  let miner: AutoMiner | undefined;
  let sn: DevNode | undefined;
  const made = {} as Record<N, DevNode>;
  beforeAll(async () => {
    const names = Object.keys(traders) as N[];
    // The traders' wallets are made and funded while the service node comes up.
    const [service, ...prepared] = await Promise.all([
      createServiceNode(net, 'sn'),
      ...names.map((n) => prepareTrader(net, n, traders[n])),
    ]);
    sn = service;
    await Promise.all(prepared.map((t, i) => t.launch([service]).then((node) => (made[names[i]!] = node))));
    await connectAll(net.nodes);
    miner = autoMine(net.dev);
    for (const n of net.nodes)
      await n.until(
        () => n.call('servicenode.list', {}),
        (l) => l.some((x) => x.fee !== null && (!o.verified || x.verified === 'yes')),
        'service node listed',
        30_000,
      );
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await miner?.stop();
  });
  return {
    get dev() {
      return net.dev;
    },
    get root() {
      return net.root;
    },
    nodes: net.nodes,
    get sn() {
      if (!sn) throw new Error('the order net is not set up');
      return sn;
    },
    traders: made,
    get miner() {
      if (!miner) throw new Error('the order net is not set up');
      return miner;
    },
    addTrader: (name, o, bootstrap) => createTrader(net, name, o, bootstrap),
  };
}

/** Waits until `node`'s view of the order `orderId` satisfies `done`. */
export function orderAt(
  node: DevNode,
  orderId: string,
  done: (o: Result<'orders.get'>) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<Result<'orders.get'>> {
  return node.until(() => node.call('orders.get', { orderId }), done, what, timeoutMs);
}

/** Waits until `node` lists the order `id` in its book. */
export function listedAt(node: DevNode, id: string, timeoutMs = 20_000) {
  return node.until(
    () => node.call('orders.list', {}),
    (l) => l.some((o) => o.id === id),
    `order ${id.slice(0, 8)} listed`,
    timeoutMs,
  );
}

/** Waits until the order `id` has left `node`'s book. */
export function goneAt(node: DevNode, id: string, timeoutMs = 20_000) {
  return node.until(
    () => node.call('orders.list', {}),
    (l) => !l.some((o) => o.id === id),
    `order ${id.slice(0, 8)} gone`,
    timeoutMs,
  );
}
