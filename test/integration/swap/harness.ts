// Shared set-up for swap integration tests: two regtest chains as DEVA and DEVB, a maker and a
// taker node (real processes) that find each other again after restarts, and helpers to start a
// swap between them and reconcile both parties' wallets to the satoshi when it ended.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { SwapSummary } from '../../../src-shared/api/schemas.ts';
import { startChains, type Chains } from '../../support/regtest.ts';
import {
  SwapNode,
  balancesOf,
  expectedAfter,
  killAllNodes,
  type Balances,
  type DevChains,
} from '../../support/swap-node.ts';

const COIN = 100_000_000n;

export interface Pair {
  dev: DevChains;
  maker: SwapNode;
  taker: SwapNode;
  root: string;
  cleanup(): Promise<void>;
}

export async function setupPair(): Promise<Pair> {
  const chains: Chains = await startChains(2);
  const dev = { DEVA: chains.chains[0]!, DEVB: chains.chains[1]! };
  const root = await mkdtemp(path.join(tmpdir(), 'hashlock-swap-'));
  const nodes: SwapNode[] = [];
  const cleanup = async () => {
    await killAllNodes(nodes);
    await chains.cleanup();
    // HASHLOCK_KEEP_TEST_DIRS=1 keeps the nodes' data dirs and logs for a post-mortem.
    if (process.env.HASHLOCK_KEEP_TEST_DIRS) console.log(`swap test dirs kept in ${root}`);
    else await rm(root, { recursive: true, force: true });
  };
  try {
    const [maker, taker] = await Promise.all([
      SwapNode.create('maker', { root, chains: dev, funds: { DEVA: 20n * COIN } }),
      SwapNode.create('taker', { root, chains: dev, funds: { DEVB: 50n * COIN } }),
    ]);
    nodes.push(maker, taker);
    maker.setBootstrap([taker.addr]);
    taker.setBootstrap([maker.addr]);
    await maker.call('p2p.dial', { addr: taker.addr });
    return { dev, maker, taker, root, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** The taker agrees, then the maker proposes: DEVA (maker) for DEVB (taker). */
export async function startSwap(p: Pair, sell = '1', buy = '4'): Promise<SwapSummary> {
  await p.taker.call('swaps.allow', {
    peerId: p.maker.peerId,
    sell: { ticker: 'DEVB', amount: buy },
    buy: { ticker: 'DEVA', amount: sell },
  });
  return p.maker.call('swaps.start', {
    peerId: p.taker.peerId,
    sell: { ticker: 'DEVA', amount: sell },
    buy: { ticker: 'DEVB', amount: buy },
  });
}

/** Both wallets of both parties hold exactly what the swap's transactions on chain say. */
export async function reconcile(p: Pair, swapId: string, before: Balances): Promise<void> {
  const m = await p.maker.swap(swapId);
  const t = await p.taker.swap(swapId);
  const after = await balancesOf(p.maker, p.taker);
  expect(after.maker).toEqual(await expectedAfter(p.maker, m, before.maker));
  expect(after.taker).toEqual(await expectedAfter(p.taker, t, before.taker));
}
