// Coin preparation against a scripted wallet (docs/orders.md §10): what locks each coin, the
// split's consent to a fee, the service node's view of unconfirmed backing, the taker's mark.
import { Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { findCoin } from '../../src-shared/coins/registry.ts';
import { silentLogger } from '../kernel/log.ts';
import type { RpcClient } from '../chain/rpc.ts';
import { backingOf, createBackingWatch } from './backing.ts';
import { checkOwnershipProof, orderIdScript } from './chain.ts';
import { createCoinPrep, heldByOrders } from './coin-prep.ts';
import { DEVNET, fill, makerRecord, T0 } from './testkit.ts';

type Answer = (params: unknown[]) => unknown;
/** An RpcClient that answers each method from `answers` and records every call. */
function fakeRpc(answers: Record<string, Answer>) {
  const calls: Array<[string, unknown[]]> = [];
  const call = async (method: string, params: unknown[] = []) => {
    calls.push([method, params]);
    const a = answers[method];
    if (!a) throw new Error(`unexpected ${method}`);
    return a(params);
  };
  const rpc = {
    call,
    callAs: async (schema: ZodType, method: string, params: unknown[] = []) => schema.parse(await call(method, params)),
  } as unknown as RpcClient;
  return { rpc, calls };
}

const txid = (n: number) => n.toString(16).padStart(64, '0');
const unspent = (n: number, amount: string, confirmations = 6) => ({
  txid: txid(n),
  vout: 0,
  amount,
  confirmations,
  scriptPubKey: '0014' + 'ab'.repeat(20),
});

describe('item 5: what locks each coin', () => {
  it('an open order locks its backing; a held fill gives its coins to the swap; ended orders lock nothing', () => {
    const held = heldByOrders([
      makerRecord({ id: 'o1', order: { makerUtxos: [`${txid(1)}:0`] } }),
      makerRecord({ id: 'o2', state: 'accepting', order: { makerUtxos: [`${txid(2)}:0`] }, fills: [fill()] }),
      makerRecord({ id: 'o3', state: 'canceled', order: { makerUtxos: [`${txid(3)}:0`] } }),
    ]);
    expect(held.get(`${txid(1)}:0`)).toEqual({ kind: 'order', orderId: 'o1' });
    expect(held.get(`${txid(2)}:0`)).toEqual({ kind: 'swap', swapId: 'swap-1', orderId: 'o2' });
    expect(held.has(`${txid(3)}:0`)).toBe(false);
  });

  it('a wallet lock no order holds is "outside"; order-held coins are named by order', async () => {
    const { rpc } = fakeRpc({
      listunspent: () => [unspent(1, '5'), unspent(4, '1')],
      listlockunspent: () => [
        { txid: txid(2), vout: 0 },
        { txid: txid(3), vout: 0 },
      ],
      gettxout: (p) => ({ value: p[0] === txid(2) ? '2' : '3', confirmations: 1 }),
    });
    const prep = createCoinPrep({
      coins: DEVNET,
      wallets: {
        rpc: () => rpc,
        newAddress: async () => ({ address: 'x' }),
        feeEstimate: async () => ({ satPerVb: '10', source: 'floor' }),
      },
      records: { all: () => [makerRecord({ id: 'o1', order: { makerUtxos: [`${txid(2)}:0`] } })] },
      log: silentLogger,
    });
    const rows = await prep.rows('DEVA');
    expect(rows.map((r) => [r.outpoint.slice(62), r.lock])).toEqual([
      ['01:0', null],
      ['04:0', null],
      ['03:0', { kind: 'outside' }],
      ['02:0', { kind: 'order', orderId: 'o1' }],
    ]);
  });
});

describe('item 5: a split sends only for the fee the user accepted', () => {
  function setup(feeRate: string, feeCap?: bigint) {
    const script = fakeRpc({
      listunspent: () => [unspent(1, '10')],
      lockunspent: () => true,
      createrawtransaction: () => 'raw',
      signrawtransactionwithwallet: () => ({ hex: signedHex(), complete: true }),
      sendrawtransaction: () => txid(99),
    });
    let n = 0;
    const prep = createCoinPrep({
      coins: DEVNET,
      wallets: {
        rpc: () => script.rpc,
        newAddress: async () => ({ address: `addr${n++}` }),
        feeEstimate: async () => ({ satPerVb: feeRate, source: 'estimate' }),
      },
      records: { all: () => [] },
      log: silentLogger,
      ...(feeCap === undefined ? {} : { feeCap: () => feeCap }),
    });
    return { prep, calls: script.calls };
  }
  /** A signed-size stand-in: one P2WPKH-sized input, four outputs (the split's shape). */
  function signedHex(): string {
    const tx = new Transaction();
    tx.addInput(Buffer.alloc(32, 1), 0, 0xfffffffe);
    tx.setWitness(0, [Buffer.alloc(72), Buffer.alloc(33)]);
    for (let i = 0; i < 4; i++) tx.addOutput(Buffer.concat([Buffer.from([0, 20]), Buffer.alloc(20)]), 1000n);
    return tx.toHex();
  }

  it('the dry run signs, locks and sends nothing', async () => {
    const { prep, calls } = setup('10');
    const r = await prep.split({ ticker: 'DEVA', amount: 200_000_000n, count: 3, dryRun: true });
    expect(r.txid).toBeNull();
    expect(r.plan.fee).toBe(10n * 203n);
    expect(calls.map((c) => c[0])).toEqual(['listunspent']);
  });

  it("the user's fee cap (swaps.maxFeeSatPerVb) bounds the split's rate when the estimate is above it", async () => {
    const capped = await setup('50', 10n).prep.split({ ticker: 'DEVA', amount: 200_000_000n, count: 3, dryRun: true });
    expect(capped.plan.fee).toBe(10n * 203n);
    const under = await setup('8', 10n).prep.split({ ticker: 'DEVA', amount: 200_000_000n, count: 3, dryRun: true });
    expect(under.plan.fee).toBe(8n * 203n);
  });

  it('fee cap: a fee above the accepted one is refused, nothing sent', async () => {
    const { prep, calls } = setup('20');
    await expect(
      prep.split({ ticker: 'DEVA', amount: 200_000_000n, count: 3, dryRun: false, maxFee: 2030n }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(calls.some((c) => c[0] === 'sendrawtransaction')).toBe(false);
  });

  it('sends within the accepted fee: outputs first (vouts 0..n-1), change last, non-replaceable, inputs released', async () => {
    const { prep, calls } = setup('10');
    const r = await prep.split({ ticker: 'DEVA', amount: 200_000_000n, count: 3, dryRun: false, maxFee: 2030n });
    expect(r.txid).toBe(txid(99));
    expect(r.outpoints).toEqual([0, 1, 2].map((i) => `${txid(99)}:${i}`));
    const create = calls.find((c) => c[0] === 'createrawtransaction')![1];
    expect(create[1]).toEqual([{ addr0: '2' }, { addr1: '2' }, { addr2: '2' }, { addr3: '3.9999797' }]);
    expect(create[3]).toBe(false);
    const locks = calls.filter((c) => c[0] === 'lockunspent').map((c) => c[1][0]);
    expect(locks).toEqual([false, true]);
  });

  it('dust: an output below the swap minimum is refused before the wallet is asked to sign', async () => {
    const { prep, calls } = setup('10');
    await expect(prep.split({ ticker: 'DEVA', amount: 4000n, count: 2, dryRun: true })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      details: { reason: 'dust' },
    });
    expect(calls.some((c) => c[0] === 'signrawtransactionwithwallet')).toBe(false);
  });
});

describe('item 5: hostile peer claiming unconfirmed backing', () => {
  const DEVA = findCoin('DEVA')!;
  const orderId = 'ab'.repeat(32);
  const outpoint = `${txid(7)}:0`;
  function proof(): string {
    const tx = new Transaction();
    tx.addInput(Buffer.from(txid(7), 'hex').reverse(), 0);
    tx.addOutput(orderIdScript(orderId), 0n);
    return tx.toHex();
  }
  function node(confirmations: number, replaceable: boolean | 'gone' | 'mined') {
    return fakeRpc({
      testmempoolaccept: () => [{ allowed: true }],
      gettxout: () => ({ value: '1', confirmations }),
      getmempoolentry: () => {
        if (replaceable === 'gone' || replaceable === 'mined') throw new Error('Transaction not in mempool');
        return { 'bip125-replaceable': replaceable };
      },
      getrawtransaction: () => {
        if (replaceable === 'mined') return { confirmations: 1 };
        throw new Error('No such mempool or blockchain transaction');
      },
    }).rpc;
  }
  it.each([
    ['confirmed backing', 3, true, true],
    ['unconfirmed backing that does not signal replacement', 0, false, true],
    ['unconfirmed backing whose transaction signals replacement (split double-spent later)', 0, true, false],
    ['unconfirmed backing no longer in the mempool', 0, 'gone', false],
    ['backing mined between the two looks', 0, 'mined', true],
  ] as const)('service node: %s', async (_n, confs, repl, ok) => {
    const r = await checkOwnershipProof(node(confs, repl), DEVA, proof(), orderId, [outpoint], 100_000_000n);
    expect(r.ok).toBe(ok);
  });

  it('the mark comes from our daemon, never from the order: confirmed, unconfirmed, missing', async () => {
    expect(backingOf([3, 1])).toBe('confirmed');
    expect(backingOf([3, 0])).toBe('unconfirmed');
    expect(backingOf([0, null])).toBe('missing');
    let confs: number | null = 0;
    const rpc = fakeRpc({
      gettxout: () => (confs === null ? null : { value: '1', confirmations: confs, scriptPubKey: {} }),
    }).rpc;
    const changed: string[] = [];
    let now = T0;
    const watch = createBackingWatch({
      coins: DEVNET,
      wallets: { rpc: () => rpc, isConfigured: () => true },
      now: () => now,
      log: silentLogger,
      changed: (m) => changed.push(m.base),
    });
    const order = {
      id: orderId,
      market: { base: 'DEVA', quote: 'DEVB' },
      side: 'sell' as const,
      makerUtxos: [outpoint],
    };
    expect(watch.cached(order)).toBe('unknown');
    await new Promise((r) => setTimeout(r, 0));
    expect(watch.cached(order)).toBe('unconfirmed');
    expect(changed).toEqual(['DEVA']);
    confs = 1;
    expect(await watch.check(order)).toBe('confirmed');
    confs = null;
    now += 60_000;
    expect(await watch.check(order)).toBe('missing');
  });
});
