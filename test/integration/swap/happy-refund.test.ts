// Whole swaps between two real nodes (separate processes) on two real Litecoin regtest chains:
// the happy path (also after the taker restarted between agreeing and the proposal), the two
// refund paths, and a taker that was away while the maker locked. Each ends with both parties'
// wallets reconciled to the satoshi against the swap's own transactions on chain.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DevNode } from '../../support/dev-node.ts';
import { height, mineTo, withMiner, type DevChains } from '../../support/regtest.ts';
import {
  balancesOf,
  makerGoneBeforeClaim,
  reconcile as reconcileBoth,
  reconnected,
  startSwap as start,
  usePair,
} from './harness.ts';

const pair = usePair();
let dev: DevChains;
let maker: DevNode;
let taker: DevNode;

beforeAll(() => {
  ({ dev, maker, taker } = pair);
});

const startSwap = (sell?: string, buy?: string) => start(pair, sell, buy);

async function reconcile(swapId: string, before: Awaited<ReturnType<typeof balancesOf>>) {
  await reconcileBoth(pair, swapId, before);
  return { m: await maker.swap(swapId), t: await taker.swap(swapId) };
}

describe('swap between two nodes on two regtest chains', () => {
  it('happy path: maker and taker both complete, wallets reconcile to the satoshi', async () => {
    const before = await balancesOf(maker, taker);
    await withMiner(dev, async () => {
      await taker.call('swaps.allow', {
        peerId: maker.peerId,
        sell: { ticker: 'DEVB', amount: '4.25' },
        buy: { ticker: 'DEVA', amount: '1.5' },
      });
      const s = (await maker.cli([
        'swaps',
        'start',
        '--peer-id',
        taker.peerId,
        '--sell',
        '{"ticker":"DEVA","amount":"1.5"}',
        '--buy',
        '{"ticker":"DEVB","amount":"4.25"}',
      ])) as { swapId: string };
      expect(s).toMatchObject({
        role: 'maker',
        state: 'proposed',
        counterparty: taker.peerId,
        sell: { ticker: 'DEVA', amount: '1.5' },
      });
      const m = await maker.waitSwap(s.swapId, (x) => x.terminal, 'maker finished');
      const t = await taker.waitSwap(s.swapId, (x) => x.terminal, 'taker finished');
      expect(m.outcome).toBe('completed');
      expect(t.outcome).toBe('completed');
      expect(t).toMatchObject({
        role: 'taker',
        counterparty: maker.peerId,
        sell: { ticker: 'DEVB', amount: '4.25' },
        buy: { ticker: 'DEVA', amount: '1.5' },
      });
      expect(m.timeline.map((x) => x.state)).toEqual(
        expect.arrayContaining(['proposed', 'funding', 'funded', 'claiming', 'completed']),
      );
      expect(m.locks.map((l) => l.side)).toEqual(['own', 'counterparty']);
      expect(await taker.cli(['swaps', 'get', '--swap-id', s.swapId])).toMatchObject({
        swapId: s.swapId,
        role: 'taker',
        state: 'completed',
      });
    });
    const { m } = await reconcile((await maker.call('swaps.list', {}))[0]!.swapId, before);
    expect(m.txs.map((x) => x.kind)).toEqual(expect.arrayContaining(['ownFunding', 'theirFunding', 'claim']));
    // The agreed depth per chain, and every step's deadline with the chain it is counted on.
    expect(m.confirmations).toEqual([
      { side: 'own', ticker: 'DEVA', confirmations: 1 },
      { side: 'counterparty', ticker: 'DEVB', confirmations: 1 },
    ]);
    const theirLock = m.locks.find((l) => l.side === 'counterparty')!.locktime;
    expect(m.deadlines.map((x) => [x.step, x.party, x.ticker])).toEqual([
      ['makerFundBy', 'own', 'DEVB'],
      ['takerFundBy', 'counterparty', 'DEVB'],
      ['makerClaimBy', 'own', 'DEVB'],
      ['takerRefundAt', 'counterparty', 'DEVB'],
      ['takerClaimBy', 'counterparty', 'DEVA'],
      ['makerRefundAt', 'own', 'DEVA'],
    ]);
    expect(m.deadlines.find((x) => x.step === 'takerRefundAt')?.height).toBe(theirLock);
  });

  it("an agreement (swaps.allow) survives the taker's restart: the proposal after it is accepted and the swap completes", async () => {
    const before = await balancesOf(maker, taker);
    await taker.call('swaps.allow', {
      peerId: maker.peerId,
      sell: { ticker: 'DEVB', amount: '2' },
      buy: { ticker: 'DEVA', amount: '0.5' },
    });
    await taker.restart();
    await reconnected(pair);
    await withMiner(dev, async () => {
      const s = await maker.call('swaps.start', {
        peerId: taker.peerId,
        sell: { ticker: 'DEVA', amount: '0.5' },
        buy: { ticker: 'DEVB', amount: '2' },
      });
      const m = await maker.waitSwap(s.swapId, (x) => x.terminal, 'maker finished');
      expect(m).toMatchObject({ outcome: 'completed', reason: null });
      expect((await taker.waitSwap(s.swapId, (x) => x.terminal, 'taker finished')).outcome).toBe('completed');
      await reconcile(s.swapId, before);
    });
  });

  it('taker never funds: the maker refunds at its lock; the taker ends before funding', async () => {
    const before = await balancesOf(maker, taker);
    const { swapId } = await startSwap();
    await withMiner(dev, async (miner) => {
      // The maker's HTLC stays unconfirmed until the taker is gone, so the taker cannot lock first.
      miner.paused.add('DEVA');
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
    });
    await taker.start();
    const t = await taker.waitSwap(swapId, (x) => x.terminal, 'taker gave up');
    expect(t.outcome).toBe('failedBeforeFunding');
    await reconcile(swapId, before);
  });

  it('the taker was away while the maker locked and is back after its own deadline to lock: it fails saying the maker did lock, and the maker refunds', async () => {
    const before = await balancesOf(maker, taker);
    // The maker stops right after the taker accepted, before paying into its HTLC.
    await maker.restart({ crashAt: 'enter:funding' });
    await reconnected(pair);
    const { swapId } = await startSwap();
    await maker.exited();
    expect((await taker.waitSwap(swapId, (x) => x.state === 'accepted', 'taker accepted')).txs).toEqual([]);
    await taker.kill();
    await withMiner(dev, async () => {
      // The maker comes back and locks while the taker is away; its HTLC confirms.
      await maker.start();
      const m = await maker.waitSwap(
        swapId,
        (x) => x.txs.some((tx) => tx.kind === 'ownFunding' && tx.confirmations === 1),
        'maker locked, confirmed',
      );
      // The taker returns only after its own deadline to lock has passed on the taker chain.
      const takerFundBy = m.deadlines.find((x) => x.step === 'takerFundBy')!;
      expect(takerFundBy).toMatchObject({ party: 'counterparty', action: 'lock', ticker: 'DEVB' });
      await mineTo(dev.DEVB, takerFundBy.height + 1);
      await taker.start();
      const t = await taker.waitSwap(swapId, (x) => x.terminal, 'taker gave up');
      expect(t).toMatchObject({ outcome: 'failedBeforeFunding', reason: { code: 'deadline-passed' } });
      expect(t.reason?.message).toMatch(
        /^the maker locked its coins, but too little time was left for us to lock ours safely when we saw it/,
      );
      // It looked at the chain: the maker's HTLC is on record as seen, never answered with our coins.
      expect(t.txs.map((x) => [x.kind, x.txid])).toEqual([
        ['theirFunding', m.txs.find((x) => x.kind === 'ownFunding')!.txid],
      ]);
      await mineTo(dev.DEVA, m.locks.find((l) => l.side === 'own')!.locktime);
      expect((await maker.waitSwap(swapId, (x) => x.terminal, 'maker refunded')).outcome).toBe('refunded');
    });
    await reconcile(swapId, before);
  });

  it('maker never claims: both refund at their locks', async () => {
    const before = await balancesOf(maker, taker);
    const { swapId } = await startSwap();
    await withMiner(dev, async (miner) => {
      // The taker locked its coins; the maker disappears before that HTLC confirms, so before it can claim.
      const locks = await makerGoneBeforeClaim(pair, swapId, miner);
      await mineTo(dev.DEVB, locks.find((l) => l.side === 'own')!.locktime);
      const t = await taker.waitSwap(swapId, (x) => x.terminal, 'taker refunded');
      expect(t.outcome).toBe('refunded');
      // The maker comes back after the taker's lock: too late to claim, it refunds at its own lock.
      await maker.start();
      await maker.waitSwap(swapId, (x) => x.state === 'refunding', 'maker gives up claiming');
      await mineTo(dev.DEVA, locks.find((l) => l.side === 'counterparty')!.locktime);
      const m = await maker.waitSwap(swapId, (x) => x.terminal, 'maker refunded');
      expect(m.outcome).toBe('refunded');
    });
    await reconcile(swapId, before);
    expect(await height(dev.DEVA)).toBeLessThan(431);
  });
});
