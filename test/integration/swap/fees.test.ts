// Fees that rise (issue 9 item 10, docs/swap.md §8.8), on two real regtest chains with real node
// processes: the maker's claim is kept out of blocks by a negative prioritisetransaction delta (the
// miner's template leaves it out, as a fee spike would); the engine replaces it at a higher fee on
// the following blocks and the replacement confirms before the lock the claim races. Both complete
// and both wallets reconcile to the satoshi, the fee taken from the claim that confirmed.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { feeOf, height, withMiner } from '../../support/regtest.ts';
import { balancesOf, reconcile, startSwap, usePair } from './harness.ts';

const pair = usePair();
const Mempool = z.array(z.string());

/** The height of the block a DEVB transaction is in. */
async function blockOf(txid: string): Promise<number> {
  const rpc = pair.dev.DEVB.rpc;
  const tx = await rpc.callAs(z.object({ blockhash: z.string() }).loose(), 'getrawtransaction', [txid, true], {
    wallet: false,
  });
  const header = await rpc.callAs(z.object({ height: z.number().int() }).loose(), 'getblockheader', [tx.blockhash], {
    wallet: false,
  });
  return header.height;
}

describe('fees that rise', () => {
  it('a claim kept out of blocks is replaced at a higher fee and confirms before its deadline', async () => {
    const { maker, taker, dev } = pair;
    const before = await balancesOf(maker, taker);
    const { swapId } = await withMiner(dev, async (miner) => {
      const s = await startSwap(pair);
      // The taker's HTLC is confirmed by hand below, so the maker's claim is caught in the mempool.
      miner.paused.add('DEVB');
      await taker.waitSwap(s.swapId, (x) => x.state === 'funded', 'taker locked');
      await dev.DEVB.mine(1);
      const m = await maker.waitSwap(s.swapId, (x) => x.txs.some((t) => t.kind === 'claim'), 'maker claims');
      const first = m.txs.find((t) => t.kind === 'claim')!.txid;
      const raceBy = m.locks.find((l) => l.side === 'counterparty')!.locktime;
      // A negative delta: the template leaves the claim out; a replacement (another txid) has none.
      await dev.DEVB.rpc.callAs(z.boolean(), 'prioritisetransaction', [first, 0, -100_000_000], { wallet: false });
      let last = first;
      while (!(await maker.swap(s.swapId)).terminal) {
        expect(await height(dev.DEVB)).toBeLessThan(raceBy);
        await dev.DEVB.mine(1);
        // The engine sees the block and replaces the claim before the next one.
        last = (
          await maker.until(
            () => maker.swap(s.swapId),
            (x) => x.terminal || x.txs.find((t) => t.kind === 'claim')?.txid !== last,
            'the claim replaced (or confirmed)',
            120_000,
          )
        ).txs.find((t) => t.kind === 'claim')!.txid;
        const pool = await dev.DEVB.rpc.callAs(Mempool, 'getrawmempool', [], { wallet: false });
        if (pool.includes(last)) await dev.DEVB.mine(1);
      }
      const done = await maker.waitSwap(s.swapId, (x) => x.terminal, 'maker finished');
      expect(done.outcome).toBe('completed');
      const claim = done.txs.find((t) => t.kind === 'claim')!;
      expect(claim.txid).not.toBe(first);
      expect(await blockOf(claim.txid)).toBeLessThanOrEqual(raceBy);
      // It paid more than the first rate (the floor, 10 sat/vB, on a ~150 vB claim).
      expect(await feeOf(dev.DEVB, claim.txid)).toBeGreaterThan(2000n);
      miner.paused.delete('DEVB');
      expect((await taker.waitSwap(s.swapId, (x) => x.terminal, 'taker finished')).outcome).toBe('completed');
      return s;
    });
    await reconcile(pair, swapId, before);
  }, 900_000);
});
