// The service node's answer to a take sent again: the taker's first request may have been held
// while its answer was lost (or came after the taker gave up), and by then the hold has taken the
// order off the book, so the repeat must find the earlier hold before anything checks the listing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signedMessageId } from '../../src-shared/protocol/orders.ts';
import { address as btcAddress, Transaction } from 'bitcoinjs-lib';
import {
  ARRIVAL,
  SERVICE_NODE,
  TAKER_PEER,
  ackWire,
  acceptWire,
  context,
  holdWire,
  signedOrder,
  testKey,
  TXID_B,
} from '../../src-shared/orders/testkit.ts';
import type { Order } from '../../src-shared/orders/types.ts';
import { networkOf } from '../chain/htlc.ts';
import { openTestStore } from '../core/test-store.ts';
import { silentLogger } from '../kernel/log.ts';
import { SeqCounter } from '../orders/index.ts';
import { DEVNET } from '../orders/testkit.ts';
import { createServiceNodeRepo } from './repo.ts';
import { createHolds, earlierHold } from './holds.ts';

const dir = mkdtempSync(join(tmpdir(), 'hashlock-sn-take-'));
const db = openTestStore(join(dir, 'node.sqlite'));
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('earlierHold: a take sent again gets the hold it already got', () => {
  const repo = createServiceNodeRepo(db, { now: () => 1_000 });
  const order = signedOrder();
  const accept = acceptWire(order);
  const acceptId = signedMessageId(accept as { type: 'order.accept' });
  const hold = holdWire(order, { acceptId });
  // acceptWire pays its fee with TXID_B: the hold is stored under that fee, as onTake stores it.
  repo.addHold({ holdId: signedMessageId(hold as { type: 'order.hold' }), orderId: order.id, feeTxid: TXID_B, hold });
  const take = (a: Record<string, unknown>) => ({ type: 'order.take', accept: a, ack: ackWire(a) });

  const cases: Array<[string, unknown, string, 'the hold' | null]> = [
    ['the same take from the same taker gets the hold', take(accept), TAKER_PEER, 'the hold'],
    [
      'the same take sent by another peer gets nothing',
      take(accept),
      '12D3KooWSomeoneElseSomeoneElseSomeoneElseSomeoneEls',
      null,
    ],
    [
      'another accept of the order paying with the same fee gets nothing',
      take(acceptWire(order, { seq: 21 })),
      TAKER_PEER,
      null,
    ],
    [
      'an accept of another order paying with the same fee gets nothing',
      take(acceptWire(signedOrder({ nonce: '2b'.repeat(16) }))),
      TAKER_PEER,
      null,
    ],
    ['something that is not a take gets nothing', { type: 'order.take' }, TAKER_PEER, null],
    [
      'a take whose accept is not an accept gets nothing',
      { type: 'order.take', accept: { type: 'order.ack' }, ack: {} },
      TAKER_PEER,
      null,
    ],
  ];
  it.each(cases)('%s', (_name, req, peerId, expected) => {
    expect(earlierHold(req, peerId, repo)).toEqual(expected === null ? null : hold);
  });
});

// The service node's last check before it spends the taker's fee on an order: the maker's coins
// are still there (holds.ts makerCoinsUnspent). The taker checks them before it signs a fee, so a
// test on real daemons never reaches this one; it matters when the maker spends them between the
// taker's check and the hold (or the taker's daemon is behind). The daemon is a fake here: a
// recording RPC client that answers as litecoind would for that moment.
describe("onTake: the maker's coin is spent by the time of the hold", () => {
  const feeCoin = DEVNET.get('DEVB');
  const feeAddress = testKey(5).address;
  const FEE = 100_000n;
  const FEE_INPUT = 'c3'.repeat(32);

  function takeOf(order: Order) {
    const tx = new Transaction();
    tx.version = 2;
    tx.addInput(Uint8Array.from(Buffer.from(FEE_INPUT, 'hex')).reverse(), 0, 0xffffffff);
    tx.addOutput(btcAddress.toOutputScript(feeAddress, networkOf(feeCoin)), FEE);
    tx.addOutput(Uint8Array.from([0x6a, 0x20, ...Buffer.from(order.id, 'hex')]), 0n);
    const accept = acceptWire(order, { feeTxid: tx.getId() });
    return { tx, req: { type: 'order.take', accept, ack: ackWire(accept), feeTx: tx.toHex() } };
  }

  function holdsWith(order: Order, makerCoinSpent: boolean) {
    const calls: string[] = [];
    const makerTxid = order.makerUtxos[0]!.split(':')[0];
    const answer = (method: string, params: unknown[]): unknown => {
      if (method === 'gettxout')
        return params[0] === makerTxid
          ? makerCoinSpent
            ? null
            : { confirmations: 3, value: '1.00000000', scriptPubKey: {} }
          : { confirmations: 6, value: '0.01000000', scriptPubKey: {} };
      if (method === 'testmempoolaccept') return [{ txid: 'x', allowed: true }];
      if (method === 'sendrawtransaction') return 'x';
      throw new Error(`unexpected ${method}`);
    };
    const rpc = {
      call: async (method: string, params: unknown[] = []) => (calls.push(method), answer(method, params)),
      callAs: async (schema: { parse(v: unknown): unknown }, method: string, params: unknown[] = []) => {
        calls.push(method);
        return schema.parse(answer(method, params));
      },
    };
    const repo = createServiceNodeRepo(openTestStore(join(dir, `holds-${makerCoinSpent}.sqlite`)), {
      now: () => ARRIVAL,
    });
    const published: string[] = [];
    const holds = createHolds({
      wallets: { rpc: () => rpc as never },
      p2p: { publish: async (topic) => (published.push(topic), { recipients: 0 }) },
      book: {
        directContext: () => context(),
        find: (id: string) => (id === order.id ? { order, remainingBase: order.baseAmount } : undefined),
        ingest: () => ({ ok: true }),
      } as never,
      repo,
      log: silentLogger,
      now: () => ARRIVAL,
      seq: new SeqCounter(() => 1),
      coinOf: (t) => DEVNET.get(t),
      served: () => ['DEVA', 'DEVB'],
      signer: () => SERVICE_NODE.signer,
      fee: { coin: feeCoin, amount: FEE, address: () => feeAddress },
      feeWaitMs: 1000,
    });
    return { holds, calls, repo, published };
  }

  it('refuses the take before the fee is broadcast: the taker pays nothing, nothing is held or published', async () => {
    const order = signedOrder();
    const { tx, req } = takeOf(order);
    const { holds, calls, repo, published } = holdsWith(order, true);
    await expect(holds.onTake(req, TAKER_PEER)).rejects.toMatchObject({
      code: 'PEER_REFUSED',
      message: expect.stringMatching(/maker's coin .* is spent/),
    });
    expect(calls).not.toContain('sendrawtransaction');
    expect(repo.feeUsed(tx.getId())).toBe(false);
    expect(published).toEqual([]);
  });

  it('positive control: with the coin unspent the same take is held and its fee broadcast', async () => {
    const order = signedOrder();
    const { tx, req } = takeOf(order);
    const { holds, calls, repo, published } = holdsWith(order, false);
    const hold = (await holds.onTake(req, TAKER_PEER)) as { type: string; orderId: string };
    expect(hold).toMatchObject({ type: 'order.hold', orderId: order.id });
    expect(calls.indexOf('sendrawtransaction')).toBeGreaterThan(calls.lastIndexOf('gettxout'));
    expect(repo.feeUsed(tx.getId())).toBe(true);
    expect(published).toHaveLength(1);
  });
});
