// Coin preparation (docs/orders.md §10, issue 9 item 5) against a real service node and traders
// (separate processes, two regtest chains): a split reconciled to the satoshi with its fee, an
// order backed by a split output that is still unconfirmed (accepted by the service node, marked
// at the taker until it confirms), the coins view naming what locks each coin, and the split's
// own coin reused after a crash between the split and the order's post.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CoinJsonAmount } from '../../../src-main/chain/rpc.ts';
import { amountFromCoinJson, formatAmount, parseAmount } from '../../../src-shared/money/index.ts';
import type { DevNode } from '../../support/dev-node.ts';
import { COIN, DEVA_DEVB, listedAt, useOrderNet } from '../../support/order-node.ts';
import { feeOf } from '../../support/regtest.ts';

const net = useOrderNet({
  // One 10 DEVA coin: today an order of any size locks all of it.
  maker: { funds: { DEVA: 10n * COIN, DEVB: 1n * COIN }, splitInto: 1 },
  taker: { funds: { DEVB: 10n * COIN, DEVA: 1n * COIN }, splitInto: 4 },
});
let maker: DevNode;
let taker: DevNode;
const RawTx = z.object({ vin: z.array(z.object({ txid: z.string(), vout: z.number() }).loose()) }).loose();
const TxOut = z.object({ value: CoinJsonAmount }).loose();
const Signed = z.object({ hex: z.string() }).loose();
const sat = (s: string) => parseAmount(s, 8);
const mempool = () => net.dev.DEVA.rpc.callAs(z.array(z.string()), 'getrawmempool', [], { wallet: false });

beforeAll(() => {
  ({ maker, taker } = net.traders);
});
afterEach(() => {
  net.miner.paused.clear();
});

describe('item 5: coin preparation', () => {
  it('a split into order-sized coins: previewed, sent only within the accepted fee, reconciled to the satoshi', async () => {
    const before = await maker.balance('DEVA');
    const ask = { ticker: 'DEVA', amount: '2', count: 3 };
    const preview = await maker.call('orders.splitCoins', { ...ask, dryRun: true });
    expect(preview).toMatchObject({ txid: null, outputs: ['2', '2', '2'], outpoints: [] });
    expect(sat(preview.fee)).toBe(BigInt(preview.feeRate) * BigInt(preview.vsize));
    expect(sat(preview.fee)).toBeGreaterThan(0n);
    // The dry run moved nothing.
    expect(await maker.balance('DEVA')).toBe(before);
    // Consent to a smaller fee than the preview's: refused, nothing sent.
    await expect(
      maker.call('orders.splitCoins', { ...ask, maxFee: (Number(preview.fee) / 2).toFixed(8) }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(maker.call('orders.splitCoins', ask)).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    expect(await maker.balance('DEVA')).toBe(before);

    const sent = await maker.call('orders.splitCoins', { ...ask, maxFee: preview.fee });
    expect(sent.txid).toMatch(/^[0-9a-f]{64}$/);
    expect(sent.fee).toBe(preview.fee);
    console.info('measured: split 3 × 2 DEVA', { fee: preview.fee, feeRate: preview.feeRate, vsize: preview.vsize });
    // The chain's own account of the transaction: exactly the previewed fee left the wallet.
    expect(await feeOf(net.dev.DEVA, sent.txid!)).toBe(sat(preview.fee));
    await maker.until(
      () => maker.balance('DEVA'),
      (b) => b === before - sat(preview.fee),
      'balance less the split fee',
      30_000,
    );
    const coins = await maker.call('orders.coins', { ticker: 'DEVA' });
    for (const o of sent.outpoints)
      expect(coins.coins.find((c) => c.outpoint === o)).toMatchObject({ amount: '2', state: 'free', lockedBy: null });
    expect(sat(coins.free) + sat(coins.locked)).toBe(before - sat(preview.fee));
  });

  it('dust: a split output below the swap minimum is refused; insufficient funds are refused', async () => {
    await expect(
      maker.call('orders.splitCoins', { ticker: 'DEVA', amount: '0.00004', count: 2, dryRun: true }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringMatching(/dust/) });
    await expect(
      maker.call('orders.splitCoins', { ticker: 'DEVA', amount: '9', count: 2, dryRun: true }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
  });

  it('split never confirms (yet): the order it backs is accepted by the service node and marked at the taker until it confirms', async () => {
    const before = await maker.balance('DEVA');
    net.miner.paused.add('DEVA');
    const order = { ...DEVA_DEVB, side: 'sell' as const, amount: '1.5', price: '0.5', prepareCoins: true };
    const dry = await maker.call('orders.make', { ...order, dryRun: true });
    expect(dry.preview.coinSplit).toMatchObject({ ticker: 'DEVA', amount: '1.5' });
    const splitFee = sat(dry.preview.coinSplit!.fee);
    console.info('measured: automatic split for a 1.5 DEVA order', { fee: dry.preview.coinSplit!.fee });
    const made = await maker.call('orders.make', order);
    const id = made.order!.id;
    expect(made.order!.state).toBe('open');
    // The split waits in the mempool; the order's one coin is its first output, locked for the order.
    const pool = await mempool();
    expect(pool).toHaveLength(1);
    const coins = await maker.until(
      () => maker.call('orders.coins', { ticker: 'DEVA' }),
      (v) => v.coins.some((c) => c.lockedBy?.kind === 'order' && c.lockedBy.orderId === id),
      'backing coin locked for the order',
      30_000,
    );
    const backing = coins.coins.filter((c) => c.lockedBy?.kind === 'order' && c.lockedBy.orderId === id);
    expect(backing).toEqual([
      {
        outpoint: `${pool[0]}:0`,
        amount: '1.5',
        confirmations: 0,
        state: 'locked',
        lockedBy: { kind: 'order', orderId: id },
      },
    ]);
    expect(await feeOf(net.dev.DEVA, pool[0]!)).toBe(splitFee);

    await listedAt(taker, id, 30_000);
    await taker.until(
      () => taker.call('orders.get', { orderId: id }),
      (o) => o.backing === 'unconfirmed',
      'unconfirmed mark at the taker',
      30_000,
    );
    const take = await taker.call('orders.take', { orderId: id, dryRun: true });
    expect(take.preview.fills[0]).toMatchObject({ orderId: id, backing: 'unconfirmed' });

    net.miner.paused.delete('DEVA');
    await taker.until(
      () => taker.call('orders.get', { orderId: id }),
      (o) => o.backing === 'confirmed',
      'confirmed mark once the split is mined',
      60_000,
    );
    expect((await taker.call('orders.take', { orderId: id, dryRun: true })).preview.fills[0]!.backing).toBe(
      'confirmed',
    );
    // Only the split's fee left the wallet; the order locks 1.5 DEVA, not the whole coin.
    expect(await maker.balance('DEVA')).toBe(before - splitFee);
    const bal = await maker.call('wallets.balance', { ticker: 'DEVA' });
    expect(bal.locked).toBe('1.5');
    await maker.call('orders.cancel', { orderId: id });
  });

  it('split double-spent: the backing vanishes, the taker sees it missing and a take costs it nothing', async () => {
    net.miner.paused.add('DEVA');
    const order = { ...DEVA_DEVB, side: 'sell' as const, amount: '0.75', price: '0.5', prepareCoins: true };
    const made = await maker.call('orders.make', order);
    const id = made.order!.id;
    const [split] = await mempool();
    await listedAt(taker, id, 30_000);
    // The split's input is spent again by a block the miner makes (as a hostile maker's own miner could).
    const chain = net.dev.DEVA.rpc;
    const tx = await chain.callAs(RawTx, 'getrawtransaction', [split, true], { wallet: false });
    const input = { txid: tx.vin[0]!.txid, vout: tx.vin[0]!.vout };
    const prev = await chain.callAs(TxOut, 'gettxout', [input.txid, input.vout, false], { wallet: false });
    const w = maker.wallet('DEVA');
    const to = await w.callAs(z.string(), 'getnewaddress', ['', 'bech32']);
    const raw = await w.callAs(z.string(), 'createrawtransaction', [
      [input],
      [{ [to]: formatAmount(amountFromCoinJson(prev.value, 8) - 10_000n, 8) }],
    ]);
    const hex = (await w.callAs(Signed, 'signrawtransactionwithwallet', [raw])).hex;
    await chain.call('generateblock', [await chain.callAs(z.string(), 'getnewaddress', []), [hex]], { wallet: false });
    expect(await mempool()).not.toContain(split);
    await taker.until(
      () => taker.call('orders.get', { orderId: id }),
      (o) => o.backing === 'missing',
      'missing mark at the taker',
      30_000,
    );
    const before = { DEVA: await taker.balance('DEVA'), DEVB: await taker.balance('DEVB') };
    await expect(taker.call('orders.take', { orderId: id })).rejects.toMatchObject({
      code: 'PEER_REFUSED',
      message: expect.stringMatching(/no fee was paid/),
    });
    expect({ DEVA: await taker.balance('DEVA'), DEVB: await taker.balance('DEVB') }).toEqual(before);
    await maker.call('orders.cancel', { orderId: id });
  });

  it('crash between split broadcast and order post: the next order uses the split coin, no second split', async () => {
    // The split happened, the order was never posted (as after a crash): its coin is free.
    const pre = await maker.call('orders.splitCoins', { ticker: 'DEVA', amount: '1.25', count: 1, dryRun: true });
    const sent = await maker.call('orders.splitCoins', { ticker: 'DEVA', amount: '1.25', count: 1, maxFee: pre.fee });
    const coin = sent.outpoints[0]!;
    await maker.until(mempool, (p) => p.length === 0, 'split mined', 30_000);
    const before = await maker.balance('DEVA');
    const order = { ...DEVA_DEVB, side: 'sell' as const, amount: '1.25', price: '0.5', prepareCoins: true };
    const dry = await maker.call('orders.make', { ...order, dryRun: true });
    expect(dry.preview.coinSplit).toBeNull();
    const made = await maker.call('orders.make', order);
    const coins = await maker.until(
      () => maker.call('orders.coins', { ticker: 'DEVA' }),
      (v) => v.coins.some((c) => c.outpoint === coin && c.state === 'locked'),
      'split coin backs the order',
      30_000,
    );
    expect(coins.coins.find((c) => c.outpoint === coin)!.lockedBy).toEqual({ kind: 'order', orderId: made.order!.id });
    expect(await mempool()).toEqual([]);
    expect(await maker.balance('DEVA')).toBe(before);
    await maker.call('orders.cancel', { orderId: made.order!.id });
    await maker.until(
      () => maker.call('orders.coins', { ticker: 'DEVA' }),
      (v) => v.coins.every((c) => c.state === 'free'),
      'every coin free after the cancel',
      30_000,
    );
  });
});
