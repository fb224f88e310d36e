// A trade record is stored once by trade id: storing it tells the internal bus 'trade.recorded'
// (the record as the API shows it) and this node's listeners (the exact record); a second,
// different record with that id is logged and never stored or told. Records are then checked
// against the chains this node has, a few looks further apart before calling one failed.
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

describe('storing a trade record', () => {
  it("tells 'trade.recorded' with the record as the API shows it, and the listeners, once", () => {
    const s = setup();
    const r = tradeRecord();
    expect(s.store.store(r)).toBe(true);
    expect(s.store.store(r)).toBe(false);
    expect(s.heard).toEqual([r.tradeId]);
    expect(s.told).toEqual([
      expect.objectContaining({
        id: r.tradeId,
        side: 'buy',
        price: '0.25',
        baseAmount: '1',
        mine: true,
        verified: 'pending',
      }),
    ]);
  });

  it("a trade of other parties is not this node's", () => {
    const s = setup(STRANGER.pubkey);
    s.store.store(tradeRecord());
    expect(s.told[0]).toMatchObject({ mine: false });
    expect(s.told[0]!.swapId).toBeUndefined();
  });

  it('a different record with the same trade id is logged, never stored or told', () => {
    const s = setup();
    s.store.store(tradeRecord());
    expect(s.store.store(tradeRecord({ finishedAt: tradeRecord().finishedAt + 1 }))).toBe(false);
    expect(s.warnings).toEqual(['two different trade records with one id; keeping the first']);
    expect(s.told).toHaveLength(1);
    expect(s.repo.get<Record<string, unknown>>(tradeRecord().tradeId)!.record.finishedAt).toBe(
      tradeRecord().finishedAt,
    );
  });

  it("is checked against the chains after it is told: without them, 'no-chain'", async () => {
    const s = setup();
    s.store.store(tradeRecord());
    await new Promise((r) => setImmediate(r));
    expect(s.repo.get(tradeRecord().tradeId)!.verified).toBe('no-chain');
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
