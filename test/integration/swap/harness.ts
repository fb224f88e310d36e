// Shared set-up for swap integration tests: two regtest chains as DEVA and DEVB, a maker and a
// taker node (real processes) that find each other again after restarts, and helpers to start a
// swap between them and reconcile both parties' wallets to the satoshi when it ended.
import { beforeAll, expect } from 'vitest';
import type { SwapDetail, SwapSummary } from '../../../src-shared/api/schemas.ts';
import { parseAmount } from '../../../src-shared/money/index.ts';
import { COIN, useDevNet, type DevNode } from '../../support/dev-node.ts';
import { childFeesOf, feeOf, outputValue, type AutoMiner, type DevChains, type Ticker } from '../../support/regtest.ts';

export interface Pair {
  dev: DevChains;
  maker: DevNode;
  taker: DevNode;
  root: string;
}

export type Side = 'maker' | 'taker';

/**
 * A maker (20 DEVA) and a taker (50 DEVB) for this test file, connected and each other's bootstrap
 * peer; filled in before the file's tests, killed with the chains after them.
 */
export function usePair(): Pair {
  const net = useDevNet();
  const pair = {} as Pair;
  // Two node processes on a loaded machine can take longer than the default hook time.
  beforeAll(async () => {
    const [maker, taker] = await Promise.all([
      net.node('maker', { funds: { DEVA: 20n * COIN } }),
      net.node('taker', { funds: { DEVB: 50n * COIN } }),
    ]);
    maker.bootstrap = [taker.addr];
    taker.bootstrap = [maker.addr];
    await maker.call('p2p.dial', { addr: taker.addr });
    Object.assign(pair, { dev: net.dev, root: net.root, maker, taker });
  }, 600_000);
  return pair;
}

/**
 * Waits until maker and taker each hold a connection to the other. After a restart the one that
 * stayed up may still list its connection to the old process for a moment; the restarted one
 * lists only a connection that is live.
 */
export async function reconnected(p: Pair): Promise<void> {
  await Promise.all([p.maker.waitConnected(p.taker.peerId), p.taker.waitConnected(p.maker.peerId)]);
}

/** The two nodes of a pair as the one a test acts on and the other. */
export function sides(p: Pair, victim: Side): { node: DevNode; other: DevNode } {
  return victim === 'maker' ? { node: p.maker, other: p.taker } : { node: p.taker, other: p.maker };
}

/** Restarts `victim` so that it SIGKILLs itself at `crashAt`, with the pair connected again. */
export async function armCrash(p: Pair, victim: Side, crashAt: string): Promise<{ node: DevNode; other: DevNode }> {
  const s = sides(p, victim);
  await s.node.restart({ crashAt });
  await reconnected(p);
  return s;
}

/**
 * Both lock, and the maker is gone before the taker's HTLC confirms, so it can never claim (the
 * swap ends with both refunding at their locks). Returns the taker's view of the locks.
 */
export async function makerGoneBeforeClaim(p: Pair, swapId: string, miner: AutoMiner): Promise<SwapDetail['locks']> {
  await p.maker.waitSwap(swapId, (x) => x.state === 'funded', 'maker funded');
  miner.paused.add('DEVB');
  await p.taker.waitSwap(swapId, (x) => x.state === 'funded', 'taker funded');
  await p.maker.kill();
  miner.paused.delete('DEVB');
  return (await p.taker.swap(swapId)).locks;
}

/** The taker agrees, then the maker proposes: DEVA (maker) for DEVB (taker). */
export async function startSwap(p: Pair, sell = '1', buy = '4'): Promise<SwapSummary> {
  // On a loaded machine a connection seen a moment ago may have been replaced by a redial: make sure.
  await p.maker.call('p2p.dial', { addr: p.taker.addr });
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

export type Wallets = Record<Ticker, bigint>;

export interface Balances {
  maker: Wallets;
  taker: Wallets;
}

export async function walletsOf(node: DevNode): Promise<Wallets> {
  return { DEVA: await node.balance('DEVA'), DEVB: await node.balance('DEVB') };
}

export async function balancesOf(maker: DevNode, taker: DevNode): Promise<Balances> {
  return { maker: await walletsOf(maker), taker: await walletsOf(taker) };
}

const txOf = (s: SwapDetail, kind: SwapDetail['txs'][number]['kind']) => s.txs.find((t) => t.kind === kind)?.txid;

/**
 * What a party's two wallets must hold after its swap ended, to the satoshi, from the swap's own
 * transactions on chain: what it locked and the funding fee, and what its claim or refund paid
 * back (the HTLC's value less that transaction's fee, and less what any child paying for it cost).
 * Checks the HTLC outputs hold the amounts.
 */
export async function expectedAfter(node: DevNode, s: SwapDetail, before: Wallets): Promise<Wallets> {
  const sell = s.sell.ticker as Ticker;
  const buy = s.buy.ticker as Ticker;
  const sellAmount = parseAmount(s.sell.amount, 8);
  const buyAmount = parseAmount(s.buy.amount, 8);
  const after = { ...before };
  const funding = s.txs.find((t) => t.kind === 'ownFunding');
  if (funding) {
    const locked = await outputValue(node.chains[sell], funding.txid, funding.vout!);
    if (locked !== sellAmount) throw new Error(`${node.name}: the HTLC holds ${locked}, not ${sellAmount}`);
    after[sell] -= sellAmount + (await feeOf(node.chains[sell], funding.txid));
  }
  const refund = txOf(s, 'refund');
  if (refund && s.outcome === 'refunded') after[sell] += sellAmount - (await spendCost(node, s, 'refund', refund));
  const claim = txOf(s, 'claim');
  if (claim && s.outcome === 'completed') after[buy] += buyAmount - (await spendCost(node, s, 'claim', claim));
  return after;
}

/**
 * A claim's or refund's fee, with what the children that paid for it (CPFP) cost on top: the
 * children the swap lists, which must be every child the chain shows the wallet made of it.
 */
async function spendCost(node: DevNode, s: SwapDetail, spend: 'claim' | 'refund', txid: string): Promise<bigint> {
  const listed = s.txs.filter((t) => t.kind === `${spend}FeeChild`);
  const ticker = (listed[0]?.ticker ?? (spend === 'claim' ? s.buy.ticker : s.sell.ticker)) as Ticker;
  const chain = node.chains[ticker];
  const onChain = await childFeesOf(chain, node.wallet(ticker), txid);
  const recorded = listed.reduce((sum, t) => sum + parseAmount(t.fee ?? 'missing', 8), 0n);
  if (recorded !== onChain)
    throw new Error(
      `${node.name}: the swap lists children of its ${spend} costing ${recorded}, the chain shows ${onChain}`,
    );
  return (await feeOf(chain, txid)) + recorded;
}

/** Both wallets of both parties hold exactly what the swap's transactions on chain say. */
export async function reconcile(p: Pair, swapId: string, before: Balances): Promise<void> {
  const m = await p.maker.swap(swapId);
  const t = await p.taker.swap(swapId);
  const after = await balancesOf(p.maker, p.taker);
  expect(after.maker).toEqual(await expectedAfter(p.maker, m, before.maker));
  expect(after.taker).toEqual(await expectedAfter(p.taker, t, before.taker));
}
