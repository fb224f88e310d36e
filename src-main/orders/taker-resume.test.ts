// A taker's interrupted take after a restart (docs/orders.md §9): the stored take is sent again
// and the service node's earlier hold resumes the fill; an unreachable service node is asked
// again later; a refusal ends the fill saying whether the fee went out; a take that never left
// gives its fee's coins back.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { signedMessageId } from '../../src-shared/protocol/orders.ts';
import { ackWire, acceptWire, holdWire, SERVICE_NODE, signedOrder, SN_PEER } from '../../src-shared/orders/testkit.ts';
import { DEVNET, fill, memoryRecords, takerRecord } from './testkit.ts';
import { SeqCounter } from './net.ts';
import { createTaker } from './taker.ts';
import { silentLogger } from '../kernel/log.ts';

const order = signedOrder({ nonce: '72'.repeat(16) });
const accept = acceptWire(order);
const acceptId = signedMessageId(accept as { type: 'order.accept' });
const INPUTS = [{ txid: 'cd'.repeat(32), vout: 2 }];

function setup(o: { ack?: boolean; sn?: 'holds' | 'refuses' | 'away'; feeKnown?: boolean } = {}) {
  const records = memoryRecords();
  const take = {
    accept,
    feeTicker: 'DEVB',
    feeTx: '00',
    feeInputs: INPUTS,
    ...(o.ack ? { ack: ackWire(accept) } : {}),
  };
  records.put(
    takerRecord({
      fills: [
        fill({ orderId: order.id, acceptId, holdId: null, state: 'accepting', serviceNode: SERVICE_NODE.pubkey, take }),
      ],
    }),
  );
  const rpc: string[] = [];
  const taker = createTaker({
    coins: DEVNET,
    vault: { status: () => 'locked' } as never,
    wallets: {
      rpc: () =>
        ({
          async call(method: string, params: unknown[]) {
            rpc.push(`${method} ${JSON.stringify(params)}`);
            if (method === 'getrawtransaction' && !o.feeKnown) throw new Error('No such mempool transaction');
            return null;
          },
        }) as never,
      newAddress: async () => ({ address: '' }) as never,
      balanceUnits: async () => ({}) as never,
    },
    p2p: {
      peerId: 'me',
      async request() {
        if (o.sn === 'refuses') throw new ApiError('PEER_REFUSED', 'refused: the ack is too old');
        return holdWire(order, { acceptId });
      },
    },
    book: { directContext: () => ({}) as never, ingest: () => ({ ok: true }) as never },
    registry: { get: () => (o.sn === 'away' ? undefined : ({ registration: { peerId: SN_PEER } } as never)) },
    records,
    seq: new SeqCounter(() => 0),
    log: silentLogger,
    now: () => 0,
    maxTakerFee: () => null,
  });
  return { taker, rpc, fill: () => records.get('take-1')!.fills[0]! };
}

describe("a taker's interrupted take after a restart", () => {
  it('taker killed after the fee was paid: the same take gets the earlier hold; the fill is held', async () => {
    const s = setup({ ack: true, sn: 'holds' });
    expect(await s.taker.retake('take-1', acceptId)).toBe('held');
    expect(s.fill()).toMatchObject({ state: 'hold', holdId: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(s.fill().take).toBeUndefined();
  });

  it('the service node not reachable yet: asked again later, the fill untouched', async () => {
    const s = setup({ ack: true, sn: 'away' });
    expect(await s.taker.retake('take-1', acceptId)).toBe('pending');
    expect(s.fill().state).toBe('accepting');
    expect(s.rpc).toEqual([]);
  });

  it('refused and the fee never went out: the fee coins are unlocked, no fee was paid', async () => {
    const s = setup({ ack: true, sn: 'refuses' });
    expect(await s.taker.retake('take-1', acceptId)).toBe('ended');
    expect(s.fill()).toMatchObject({ state: 'canceled', reason: expect.stringMatching(/too old; no fee was paid$/) });
    expect(s.rpc.at(-1)).toBe(`lockunspent [true,${JSON.stringify(INPUTS)}]`);
  });

  it('given up while the fee is known to the daemon: the fill ends saying the fee was paid, no coin unlocked', async () => {
    const s = setup({ ack: true, feeKnown: true });
    await s.taker.giveUp('take-1', acceptId, 'the service node did not answer the take in time');
    expect(s.fill().reason).toMatch(/in time; fee paid, no swap: the fee transaction .* was sent$/);
    expect(s.rpc.some((c) => c.startsWith('lockunspent'))).toBe(false);
  });

  it('taker killed before the take left: its fee coins are unlocked and the fill ends', async () => {
    const s = setup();
    await s.taker.release('take-1', acceptId, 'the node stopped before the take was sent; no fee was paid');
    expect(s.fill()).toMatchObject({ state: 'canceled', reason: expect.stringMatching(/no fee was paid/) });
    expect(s.rpc).toEqual([`lockunspent [true,${JSON.stringify(INPUTS)}]`]);
  });
});
