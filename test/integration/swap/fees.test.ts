// Fees that rise (issue 9 item 10, docs/swap.md §8.8), on two real regtest chains with real node
// processes: the maker's claim is kept out of blocks by a negative prioritisetransaction delta (its
// fee counted as nothing, so the miner's template leaves it out, as a fee spike would). The engine
// raises its fee on the following blocks — by replacement where the daemon relays replacements,
// else (Litecoin Core: -mempoolreplacement is off by default) by a child that pays for it — and the
// claim confirms before the lock it races. Both complete; both wallets reconcile to the satoshi
// with every fee, the children's included.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatAmount } from '../../../src-shared/money/index.ts';
import { childFeesOf, feeOf, height, withMiner } from '../../support/regtest.ts';
import { balancesOf, reconcile, startSwap, usePair } from './harness.ts';

const pair = usePair();
const Mempool = z.array(z.string());
const RawTx = z
  .object({
    txid: z.string(),
    blockhash: z.string().optional(),
    vin: z.array(z.object({ txid: z.string().optional(), vout: z.number().int().optional() }).loose()),
  })
  .loose();

const devb = () => pair.dev.DEVB.rpc;
const rawTx = (txid: string) => devb().callAs(RawTx, 'getrawtransaction', [txid, true], { wallet: false });

/** The height of the block a DEVB transaction is in. */
async function blockOf(txid: string): Promise<number> {
  const tx = await rawTx(txid);
  const header = await devb().callAs(z.object({ height: z.number().int() }).loose(), 'getblockheader', [tx.blockhash], {
    wallet: false,
  });
  return header.height;
}

/** Mempool transactions spending an output of `txid` (its children). */
async function childrenOf(txid: string): Promise<string[]> {
  const pool = await devb().callAs(Mempool, 'getrawmempool', [], { wallet: false });
  const found: string[] = [];
  for (const id of pool) if ((await rawTx(id)).vin.some((i) => i.txid === txid)) found.push(id);
  return found;
}

describe('fees that rise', () => {
  it('a claim kept out of blocks gets a higher fee (replacement or a child paying for it) and confirms before its deadline', async () => {
    const { maker, taker, dev } = pair;
    const before = await balancesOf(maker, taker);
    const children: string[] = [];
    const { swapId } = await withMiner(dev, async (miner) => {
      const s = await startSwap(pair);
      // The taker's HTLC is confirmed by hand below, so the maker's claim is caught in the mempool.
      miner.paused.add('DEVB');
      await taker.waitSwap(s.swapId, (x) => x.state === 'funded', 'taker locked');
      await dev.DEVB.mine(1);
      const m = await maker.waitSwap(s.swapId, (x) => x.txs.some((t) => t.kind === 'claim'), 'maker claims');
      const first = m.txs.find((t) => t.kind === 'claim')!.txid;
      const raceBy = m.locks.find((l) => l.side === 'counterparty')!.locktime;
      const firstFee = await feeOf(dev.DEVB, first);
      await devb().callAs(z.boolean(), 'prioritisetransaction', [first, 0, -Number(firstFee)], { wallet: false });
      let tip = first;
      while (!(await maker.swap(s.swapId)).terminal) {
        expect(await height(dev.DEVB)).toBeLessThan(raceBy);
        await dev.DEVB.mine(1);
        // After the block the engine raises the fee: a replacement (a new claim txid) or a child of the chain's tip.
        await maker.until(
          async () => ({ s: await maker.swap(s.swapId), kids: await childrenOf(tip) }),
          (x) => x.s.terminal || x.s.txs.find((t) => t.kind === 'claim')?.txid !== first || x.kids.length > 0,
          'the claim paid for again (or confirmed)',
          120_000,
        );
        const kids = await childrenOf(tip);
        if (kids.length > 0) {
          children.push(...kids);
          tip = kids.at(-1)!;
        }
      }
      const done = await maker.waitSwap(s.swapId, (x) => x.terminal, 'maker finished');
      expect(done.outcome).toBe('completed');
      const claim = done.txs.find((t) => t.kind === 'claim')!;
      expect(await blockOf(claim.txid)).toBeLessThanOrEqual(raceBy);
      // The fee rose: a replacement, or at least one child confirmed with the claim.
      expect(claim.txid !== first || children.length > 0).toBe(true);
      miner.paused.delete('DEVB');
      expect((await taker.waitSwap(s.swapId, (x) => x.terminal, 'taker finished')).outcome).toBe('completed');
      return s;
    });
    // The swap lists every child seen here, each with what it paid on chain; to the satoshi: the
    // swap's own transactions and those children (the reconcile checks them against the chain too).
    const detail = await maker.swap(swapId);
    const claim = detail.txs.find((t) => t.kind === 'claim')!.txid;
    const listed = detail.txs.filter((t) => t.kind === 'claimFeeChild');
    expect(listed.map((t) => t.txid).sort()).toEqual([...children].sort());
    let seen = 0n;
    for (const c of children) {
      const fee = await feeOf(dev.DEVB, c);
      expect(listed.find((t) => t.txid === c)?.fee).toBe(formatAmount(fee, 8));
      seen += fee;
    }
    expect(await childFeesOf(dev.DEVB, maker.wallet('DEVB'), claim)).toBe(seen);
    await reconcile(pair, swapId, before);
  }, 900_000);
});
