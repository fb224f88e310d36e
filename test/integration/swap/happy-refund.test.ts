// Whole swaps between two real nodes (separate processes) on two real Litecoin regtest chains:
// the happy path, and the two refund paths. Each ends with both parties' wallets reconciled to the
// satoshi against the swap's own transactions on chain.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoMine, balancesOf, height, mineTo, type SwapNode, type DevChains } from '../../support/swap-node.ts';
import { reconcile as reconcileBoth, setupPair, startSwap as start, type Pair } from './harness.ts';

let pair: Pair;
let dev: DevChains;
let maker: SwapNode;
let taker: SwapNode;

beforeAll(async () => {
  pair = await setupPair();
  ({ dev, maker, taker } = pair);
});

afterAll(async () => {
  await pair?.cleanup();
});

const startSwap = (sell?: string, buy?: string) => start(pair, sell, buy);

/** The `hashlock` command, generated from the contract, against a running node. */
async function cli(node: SwapNode, args: string[]): Promise<unknown> {
  const bin = path.resolve(import.meta.dirname, '../../../bin/hashlock');
  const { stdout } = await promisify(execFile)(bin, [...args, '--data-dir', node.dataDir], { encoding: 'utf8' });
  return JSON.parse(stdout);
}

async function reconcile(swapId: string, before: Awaited<ReturnType<typeof balancesOf>>) {
  await reconcileBoth(pair, swapId, before);
  return { m: await maker.swap(swapId), t: await taker.swap(swapId) };
}

describe('swap between two nodes on two regtest chains', () => {
  it('happy path: maker and taker both complete, wallets reconcile to the satoshi', async () => {
    const before = await balancesOf(maker, taker);
    const miner = autoMine(dev);
    try {
      await taker.call('swaps.allow', { peerId: maker.peerId, sell: { ticker: 'DEVB', amount: '4.25' }, buy: { ticker: 'DEVA', amount: '1.5' } });
      const s = await cli(maker, ['swaps', 'start', '--peer-id', taker.peerId, '--sell', '{"ticker":"DEVA","amount":"1.5"}', '--buy', '{"ticker":"DEVB","amount":"4.25"}']) as { swapId: string };
      expect(s).toMatchObject({ role: 'maker', state: 'proposed', counterparty: taker.peerId, sell: { ticker: 'DEVA', amount: '1.5' } });
      const m = await maker.waitSwap(s.swapId, (x) => x.terminal, 'maker finished');
      const t = await taker.waitSwap(s.swapId, (x) => x.terminal, 'taker finished');
      expect(m.outcome).toBe('completed');
      expect(t.outcome).toBe('completed');
      expect(t).toMatchObject({ role: 'taker', counterparty: maker.peerId, sell: { ticker: 'DEVB', amount: '4.25' }, buy: { ticker: 'DEVA', amount: '1.5' } });
      expect(m.timeline.map((x) => x.state)).toEqual(expect.arrayContaining(['proposed', 'funding', 'funded', 'claiming', 'completed']));
      expect(m.locks.map((l) => l.side)).toEqual(['own', 'counterparty']);
      expect(await cli(taker, ['swaps', 'get', '--swap-id', s.swapId])).toMatchObject({ swapId: s.swapId, role: 'taker', state: 'completed' });
    } finally {
      await miner.stop();
    }
    const { m } = await reconcile((await maker.call('swaps.list', {}))[0]!.swapId, before);
    expect(m.txs.map((x) => x.kind)).toEqual(expect.arrayContaining(['ownFunding', 'theirFunding', 'claim']));
  });

  it('taker never funds: the maker refunds at its lock; the taker ends before funding', async () => {
    const before = await balancesOf(maker, taker);
    const { swapId } = await startSwap();
    const miner = autoMine(dev);
    // The maker's HTLC stays unconfirmed until the taker is gone, so the taker cannot lock first.
    miner.paused.add('DEVA');
    try {
      await maker.waitSwap(swapId, (x) => x.state === 'funded', 'maker funded');
      await taker.kill();
      // Its refund needs the vault's key: the vault refuses to lock while the swap runs.
      await expect(maker.call('vault.lock', {})).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await maker.call('vault.status', {})).state).toBe('unlocked');
      miner.paused.delete('DEVA');
      const locks = (await maker.swap(swapId)).locks;
      const own = locks.find((l) => l.side === 'own')!;
      const theirs = locks.find((l) => l.side === 'counterparty')!;
      // Past the maker's claim deadline on the taker chain, then to the maker's own lock.
      await mineTo(dev.DEVB, theirs.locktime);
      await maker.waitSwap(swapId, (x) => x.state === 'refunding', 'maker gives up and waits for its lock');
      await mineTo(dev.DEVA, own.locktime);
      const m = await maker.waitSwap(swapId, (x) => x.terminal, 'maker refunded');
      expect(m.outcome).toBe('refunded');
      expect(m.reason?.code).toBe('deadline-passed');
    } finally {
      await miner.stop();
    }
    await taker.start();
    const t = await taker.waitSwap(swapId, (x) => x.terminal, 'taker gave up');
    expect(t.outcome).toBe('failedBeforeFunding');
    await reconcile(swapId, before);
  });

  it('maker never claims: both refund at their locks', async () => {
    const before = await balancesOf(maker, taker);
    const { swapId } = await startSwap();
    const miner = autoMine(dev);
    try {
      // The taker locked its coins; the maker disappears before that HTLC confirms, so before it can claim.
      await maker.waitSwap(swapId, (x) => x.state === 'funded', 'maker funded');
      miner.paused.add('DEVB');
      await taker.waitSwap(swapId, (x) => x.state === 'funded', 'taker funded');
      await maker.kill();
      miner.paused.delete('DEVB');
      const locks = (await taker.swap(swapId)).locks;
      await mineTo(dev.DEVB, locks.find((l) => l.side === 'own')!.locktime);
      const t = await taker.waitSwap(swapId, (x) => x.terminal, 'taker refunded');
      expect(t.outcome).toBe('refunded');
      // The maker comes back after the taker's lock: too late to claim, it refunds at its own lock.
      await maker.start();
      await maker.waitSwap(swapId, (x) => x.state === 'refunding', 'maker gives up claiming');
      await mineTo(dev.DEVA, locks.find((l) => l.side === 'counterparty')!.locktime);
      const m = await maker.waitSwap(swapId, (x) => x.terminal, 'maker refunded');
      expect(m.outcome).toBe('refunded');
    } finally {
      await miner.stop();
    }
    await reconcile(swapId, before);
    expect(await height(dev.DEVA)).toBeLessThan(431);
  });
});
