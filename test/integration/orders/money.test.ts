// The order layer's money paths (docs/orders.md, issue 9), against a real service node and traders
// (separate processes, two regtest chains): every case ends with the wallets reconciled to the
// satoshi, fees included, and with no coin left locked that nothing holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transaction } from 'bitcoinjs-lib';
import { z } from 'zod';
import { CoinJsonAmount } from '../../../src-main/chain/rpc.ts';
import { signBody, wireForm } from '../../../src-shared/protocol/canonical.ts';
import { ORDER_PROTOCOLS } from '../../../src-shared/protocol/orders.ts';
import { ORDER_SIG_TYPE, computeOrderId, orderTermsBody } from '../../../src-shared/orders/order.ts';
import { amountFromCoinJson, formatAmount, priceOf } from '../../../src-shared/money/index.ts';
import { testKey } from '../../../src-shared/orders/testkit.ts';
import type { OrderTerms } from '../../../src-shared/orders/types.ts';
import type { DevNode } from '../../support/dev-node.ts';
import { COIN, DEVA_DEVB, listedAt, useOrderNet } from '../../support/order-node.ts';
import { P2pProcs, type P2pProc } from '../../support/p2p-proc.ts';

// Daemon replies, read by schema (RpcClient.call returns unknown); amounts arrive as exact strings.
const Outpoints = z.array(z.object({ txid: z.string(), vout: z.number() }).loose());
const Coins = z.array(z.object({ txid: z.string(), vout: z.number(), amount: CoinJsonAmount }).loose());
const Signed = z.object({ hex: z.string() }).loose();
const TxOut = z.object({ value: CoinJsonAmount }).loose();

const net = useOrderNet({
  maker: { funds: { DEVA: 10n * COIN, DEVB: 1n * COIN }, splitInto: 4 },
  taker: { funds: { DEVB: 10n * COIN, DEVA: 1n * COIN }, splitInto: 4 },
});
let sn: DevNode;
let maker: DevNode;
let taker: DevNode;
const procs = new P2pProcs();
let hostile: P2pProc;

type Balances = { DEVA: bigint; DEVB: bigint };
const balances = async (n: DevNode): Promise<Balances> => ({
  DEVA: await n.balance('DEVA'),
  DEVB: await n.balance('DEVB'),
});
const locked = async (n: DevNode, t: 'DEVA' | 'DEVB') =>
  (await n.wallet(t).callAs(Outpoints, 'listlockunspent')).map((o) => `${o.txid}:${o.vout}`);

/** An order signed by `key` without the order rules' checks (as a hostile maker would make it). */
function rawOrder(key: ReturnType<typeof testKey>, peerId: string, t: Partial<OrderTerms>) {
  const now = Date.now();
  const terms: OrderTerms = {
    market: { base: 'DEVA', quote: 'DEVB' },
    side: 'sell',
    baseAmount: 100_000_000n,
    quoteAmount: 50_000_000n,
    partial: { allowed: false, minBase: 100_000_000n },
    maker: { peerId, pubkey: key.pubkey, addresses: { payout: key.address, refund: testKey(40).address } },
    makerUtxos: [`${'ab'.repeat(32)}:0`],
    createdAt: now,
    expiresAt: now + 3_600_000,
    nonce: now.toString(16).padStart(32, '0').slice(-32),
    ...t,
  };
  return {
    ...terms,
    id: computeOrderId(terms),
    price: priceOf(terms.baseAmount, terms.quoteAmount),
    makerSig: signBody(ORDER_SIG_TYPE, orderTermsBody(terms), key.signer),
  };
}

beforeAll(async () => {
  ({
    sn,
    traders: { maker, taker },
  } = net);
  // A loaded machine is slow to load libp2p: more than the default 30 s to be ready.
  hostile = await procs.start('hostile', { limits: { inboundConnectionsPerHostPerSec: 1000 } }, 180_000);
  await hostile.call('dial', { addr: sn.addr });
});

afterAll(async () => {
  await procs.cleanup();
});

describe('order-layer money paths', () => {
  it('item 3: an order below the swap minimum is refused at make and by the service node; nothing is paid or locked', async () => {
    const before = await balances(maker);
    // 0.00004 DEVA = 4000 sat: above the P2WSH dust (3300), below what a swap locks (4490).
    for (const dryRun of [true, false])
      await expect(
        maker.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '0.00004', price: '1', dryRun }),
      ).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringMatching(/too small to swap/) });
    // A partial order whose smallest fill is below the minimum, though the whole is not.
    await expect(
      maker.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '1', minAmount: '0.00004', price: '1' }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    expect(await maker.call('orders.list', {})).toEqual([]);
    // The service node refuses such an order from a maker that skips its own checks.
    const key = testKey(45);
    const small = rawOrder(key, hostile.peerId, {
      baseAmount: 4000n,
      quoteAmount: 4000n,
      partial: { allowed: false, minBase: 4000n },
    });
    await expect(
      hostile.call('request', {
        peerId: sn.peerId,
        protocol: ORDER_PROTOCOLS.sign,
        body: wireForm({ type: 'order.sign.request', order: small, ownership: { tx: '00'.repeat(60) } }),
        timeoutMs: 20_000,
      }),
    ).rejects.toThrow(/dust/);
    // A buy whose whole fill gives the taker 0.0005 DEVB, less than the service node's 0.001 DEVB fee.
    await expect(
      maker.call('orders.make', { ...DEVA_DEVB, side: 'buy', amount: '0.01', price: '0.05' }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringMatching(/taker fee/) });
    expect(await balances(maker)).toEqual(before);
    expect(await locked(maker, 'DEVA')).toEqual([]);
    expect(await locked(maker, 'DEVB')).toEqual([]);
  });

  it('item 4: one coin offered for two orders is refused by the service node; backing coins are locked until the order ends', async () => {
    const before = await balances(maker);
    const made = await maker.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '1', price: '0.5' });
    const id = made.order!.id;
    const rec = await maker.call('orders.get', { orderId: id });
    expect(rec.state).toBe('open');
    // The order's coins are locked in the wallet: a send by the user or another swap cannot take them.
    await maker.until(
      () => locked(maker, 'DEVA'),
      (l) => l.length > 0,
      'backing coins locked',
      30_000,
    );
    const lockedCoins = await locked(maker, 'DEVA');
    const utxos = await maker.wallet('DEVA').callAs(Outpoints, 'listunspent', [0]);
    for (const c of lockedCoins) expect(utxos.some((u) => `${u.txid}:${u.vout}` === c)).toBe(false);

    // A second order on one coin, signed by its real owner (the chain's own wallet plays the maker).
    const chain = net.dev.DEVA.rpc;
    const coin = (await chain.callAs(Coins, 'listunspent', [1]))[0]!;
    const refund = await chain.callAs(z.string(), 'getnewaddress', ['', 'bech32']);
    const key = testKey(46);
    const ask = async (nonce: string) => {
      const order = rawOrder(key, hostile.peerId, { makerUtxos: [`${coin.txid}:${coin.vout}`], nonce });
      const raw = await chain.callAs(z.string(), 'createrawtransaction', [
        [{ txid: coin.txid, vout: coin.vout }],
        [{ data: order.id }, { [refund]: formatAmount(amountFromCoinJson(coin.amount, 8) - 100_000n, 8) }],
      ]);
      const tx = (await chain.callAs(Signed, 'signrawtransactionwithwallet', [raw])).hex;
      return hostile.call<{ orderId: string }>('request', {
        peerId: sn.peerId,
        protocol: ORDER_PROTOCOLS.sign,
        body: wireForm({ type: 'order.sign.request', order, ownership: { tx } }),
        timeoutMs: 30_000,
      });
    };
    expect(await ask('61'.repeat(16))).toMatchObject({ serviceNode: { pubkey: expect.any(String) } });
    await expect(ask('62'.repeat(16))).rejects.toThrow(/coin-in-use/);

    // Canceled: the coins are free again, and nothing was spent.
    await maker.call('orders.cancel', { orderId: id });
    await maker.until(
      () => locked(maker, 'DEVA'),
      (l) => l.length === 0,
      'backing coins unlocked',
      30_000,
    );
    expect(await balances(maker)).toEqual(before);
  });

  // The taker's own look-up of the backing refuses it before any fee is signed; were its daemon
  // behind, the service node's check right before the hold would (servicenode/holds.ts).
  it('item 7: a take of an order whose maker spent its coins costs the taker nothing', async () => {
    const made = await maker.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '1', price: '0.5' });
    const id = made.order!.id;
    await listedAt(taker, id, 30_000);
    await maker.until(
      () => locked(maker, 'DEVA'),
      (l) => l.length > 0,
      'backing coins locked',
      30_000,
    );
    // The maker spends its backing coins behind the order's back (unlocked first, as a user could).
    const w = maker.wallet('DEVA');
    const coins = await locked(maker, 'DEVA');
    const inputs = coins.map((c) => ({ txid: c.split(':')[0]!, vout: Number(c.split(':')[1]) }));
    await w.call('lockunspent', [true, inputs]);
    const values = await Promise.all(
      inputs.map((i) => w.callAs(TxOut, 'gettxout', [i.txid, i.vout], { wallet: false })),
    );
    const total = values.reduce((a, v) => a + amountFromCoinJson(v.value, 8), 0n);
    const to = await w.callAs(z.string(), 'getnewaddress', ['', 'bech32']);
    const raw = await w.callAs(z.string(), 'createrawtransaction', [
      inputs,
      [{ [to]: formatAmount(total - 10_000n, 8) }],
    ]);
    await w.call('sendrawtransaction', [(await w.callAs(Signed, 'signrawtransactionwithwallet', [raw])).hex]);
    const before = await balances(taker);
    await expect(taker.call('orders.take', { orderId: id })).rejects.toMatchObject({
      code: 'PEER_REFUSED',
      message: expect.stringMatching(/spent[\s\S]*no fee was paid/),
    });
    // Not a satoshi moved: no fee, no lock left on the fee's coins.
    expect(await balances(taker)).toEqual(before);
    expect(await locked(taker, 'DEVB')).toEqual([]);
  });

  it("item 7: once the hold is given the taker cannot take its fee back: a spend of the fee's coins elsewhere is refused", async () => {
    const made = await maker.call('orders.make', { ...DEVA_DEVB, side: 'sell', amount: '1', price: '0.5' });
    await listedAt(taker, made.order!.id, 30_000);
    const took = await taker.call('orders.take', { orderId: made.order!.id });
    expect(took.swapIds).toHaveLength(1);
    // The fee the service node broadcast: the taker's payment whose OP_RETURN names the order.
    const w = taker.wallet('DEVB');
    const fee = await feeTxOf(w, made.order!.id);
    const inputs = fee.ins.map((i) => ({ txid: Buffer.from(i.hash).reverse().toString('hex'), vout: i.index }));
    let total = 0n;
    for (const i of inputs) {
      const prev = Transaction.fromHex((await w.callAs(Signed, 'gettransaction', [i.txid])).hex);
      total += BigInt(prev.outs[i.vout]!.value);
    }
    const to = await w.callAs(z.string(), 'getnewaddress', ['', 'bech32']);
    const raw = await w.callAs(z.string(), 'createrawtransaction', [
      inputs,
      [{ [to]: formatAmount(total - 100_000n, 8) }],
    ]);
    const signed = await w.callAs(Signed, 'signrawtransactionwithwallet', [raw]);
    // Whether the fee still waits in the mempool or is already in a block, the spend is refused.
    await expect(w.call('sendrawtransaction', [signed.hex])).rejects.toThrow(
      /txn-mempool-conflict|bad-txns-inputs-missingorspent|missing-inputs/,
    );
    await taker.until(
      () => w.callAs(z.object({ confirmations: z.number() }).loose(), 'gettransaction', [fee.getId()]),
      (t) => t.confirmations >= 1,
      'the fee confirmed',
      30_000,
    );
    // The swap the fee paid for goes on and completes.
    const swapId = took.swapIds[0]!;
    expect((await taker.waitSwap(swapId, (x) => x.terminal, 'the swap ended')).outcome).toBe('completed');
  });
});

/** The taker's fee transaction for `orderId`: a payment of its wallet whose OP_RETURN holds the order id. */
async function feeTxOf(w: ReturnType<DevNode['wallet']>, orderId: string): Promise<Transaction> {
  const sent = await w.callAs(
    z.array(z.object({ txid: z.string(), category: z.string() }).loose()),
    'listtransactions',
    ['*', 100],
  );
  const opReturn = `6a20${orderId}`;
  for (const t of sent.filter((x) => x.category === 'send').reverse()) {
    const tx = Transaction.fromHex((await w.callAs(Signed, 'gettransaction', [t.txid])).hex);
    if (tx.outs.some((o) => Buffer.from(o.script).toString('hex') === opReturn)) return tx;
  }
  throw new Error(`no fee transaction for order ${orderId} in the taker's wallet`);
}
