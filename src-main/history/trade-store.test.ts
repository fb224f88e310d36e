// A trade record is checked, then stored once by trade id; only one that passed every check this
// node can make tells the internal bus 'trade.recorded' and the listeners (stops, prices). An
// unverified record gives way to one that passes; once one passed, a different one is logged.
// Records are checked against the chains a few looks further apart before calling one failed.
import { describe, expect, it } from 'vitest';
import { MAKER, STRANGER } from '../../src-shared/orders/testkit.ts';
import type { RpcClient } from '../chain/rpc.ts';
import { createInternalBus } from '../kernel/bus.ts';
import { silentLogger } from '../kernel/log.ts';
import { openTestStore } from '../core/test-store.ts';
import { DEVNET } from '../orders/testkit.ts';
import './facts.ts';
import { createTradeRepo } from './repo.ts';
import { tradeRecord } from './testkit.ts';
import { bindingProblem } from './service.ts';
import { checkOnChain, createTradeStore } from './trade-store.ts';
import type { TradeView } from './views.ts';

function setup(ourKey = MAKER.pubkey) {
  const repo = createTradeRepo(openTestStore());
  const bus = createInternalBus();
  const told: TradeView[] = [];
  bus.on('trade.recorded', (t) => told.push(t));
  const warnings: string[] = [];
  const store = createTradeStore({
    repo,
    coins: DEVNET,
    bus,
    chains: () => null,
    signer: () => ({ publicKey: ourKey, signDigest: () => new Uint8Array() }),
    log: { info() {}, warn: (m) => warnings.push(m), error() {} },
  });
  const heard: string[] = [];
  store.onTrade((r) => heard.push(r.tradeId));
  return { repo, store, told, heard, warnings };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('storing a trade record', () => {
  it("a bound record is checked, then stored and told once ('trade.recorded' and the listeners)", async () => {
    const s = setup();
    const r = tradeRecord();
    expect(s.store.store(r, true)).toBe(true);
    await settle();
    expect(s.store.store(r, true)).toBe(false);
    await settle();
    expect(s.heard).toEqual([r.tradeId]);
    expect(s.told).toEqual([
      expect.objectContaining({
        id: r.tradeId,
        side: 'buy',
        price: '0.25',
        baseAmount: '1',
        mine: true,
        verified: 'no-chain',
      }),
    ]);
  });

  it("a trade of other parties is not this node's", async () => {
    const s = setup(STRANGER.pubkey);
    s.store.store(tradeRecord(), true);
    await settle();
    expect(s.told[0]).toMatchObject({ mine: false });
    expect(s.told[0]!.swapId).toBeUndefined();
  });
});

describe('item 6: a record nobody could check moves no price', () => {
  it('an unbound record without chains is stored unverified and told to nobody', async () => {
    const s = setup(STRANGER.pubkey);
    s.store.store(tradeRecord(), false);
    await settle();
    expect(s.repo.get(tradeRecord().tradeId)!.verified).toBe('pending');
    expect(s.heard).toEqual([]);
    expect(s.told).toEqual([]);
  });

  it('a conflicting record never blocks the real one: an unverified record gives way to a bound one', async () => {
    const s = setup(STRANGER.pubkey);
    const forged = tradeRecord({ finishedAt: tradeRecord().finishedAt + 1 });
    s.store.store(forged, false);
    await settle();
    expect(s.store.store(tradeRecord(), true)).toBe(true);
    await settle();
    expect(s.repo.get<Record<string, unknown>>(tradeRecord().tradeId)!.record.finishedAt).toBe(
      tradeRecord().finishedAt,
    );
    expect(s.heard).toEqual([tradeRecord().tradeId]);
  });

  it('once a record passed, a different one with its id is logged and never stored or told', async () => {
    const s = setup();
    s.store.store(tradeRecord(), true);
    await settle();
    expect(s.store.store(tradeRecord({ finishedAt: tradeRecord().finishedAt + 1 }), true)).toBe(false);
    expect(s.warnings).toEqual(['two different trade records with one id; keeping the one that checked']);
    expect(s.told).toHaveLength(1);
  });
});

describe('checking a record on chain', () => {
  const record = tradeRecord();
  const pauses = (): { pause: (ms: number) => Promise<void>; waited: number[] } => {
    const waited: number[] = [];
    return { waited, pause: async (ms) => void waited.push(ms) };
  };

  it('without both chains: one look, no wait', async () => {
    const p = pauses();
    expect(await checkOnChain(record, () => null, silentLogger, p.pause)).toBe('no-chain');
    expect(p.waited).toEqual([]);
  });

  it('transactions not found: four looks, further apart, then failed', async () => {
    const p = pauses();
    const empty = { call: async () => Promise.reject(new Error('No such mempool or blockchain transaction')) };
    expect(await checkOnChain(record, () => empty as unknown as RpcClient, silentLogger, p.pause)).toBe('failed');
    expect(p.waited).toEqual([1000, 2000, 3000, 4000]);
  });

  it('a chain that cannot be asked leaves the record pending', async () => {
    const p = pauses();
    const broken = () => {
      throw new Error('the wallet is gone');
    };
    expect(await checkOnChain(record, broken, silentLogger, p.pause)).toBe('pending');
  });
});

describe('item 6: a record is bound to the maker and taker its hold names', () => {
  const r = tradeRecord();
  const hold = {
    orderId: r.orderId,
    maker: r.maker,
    taker: r.taker,
    serviceNode: r.serviceNode,
    baseAmount: r.baseAmount,
    quoteAmount: r.quoteAmount,
  };
  it('the record of the hold passes', () => expect(bindingProblem(r, hold)).toBeNull());
  it.each([
    ['signed by a throwaway maker key', { maker: STRANGER.pubkey }, 'forged-maker-sig'],
    ['signed by a throwaway taker key', { taker: STRANGER.pubkey }, 'forged-taker-sig'],
    ['for other amounts', { baseAmount: r.baseAmount + 1n }, 'malformed'],
  ])('a record %s is refused', (_n, over, reason) => {
    expect(bindingProblem(r, { ...hold, ...over })).toMatchObject({ ok: false, reason });
  });
});
