// A taker's finished swap becomes a trade record: the maker's lock and claim are the swap's
// 'their' transactions, ours its own; a swap missing one makes no record; a record is asked for
// once per fill (marked after the maker signed), and a restart asks again for the rest.
import { describe, expect, it } from 'vitest';
import type { TradeRecordFields } from '../../src-shared/history/record.ts';
import { silentLogger } from '../kernel/log.ts';
import type { FillRecord } from './records.ts';
import { createTakerRecords, takerTradeFields } from './taker-record.ts';
import { T0, fill, memoryRecords, swapDetail, takerRecord } from './testkit.ts';

const OUR_KEY = '02' + 'cc'.repeat(32);
const TXS = { theirFunding: 'a1', ownFunding: 'b2', theirClaim: 'c3', claim: 'd4' } as const;

describe("the trade record's fields from the taker's side", () => {
  it("the maker's lock and claim are the swap's theirFunding and theirClaim, ours ownFunding and claim", () => {
    const f = fill({ state: 'finished' });
    const made = takerTradeFields(takerRecord(), f, swapDetail({}, TXS), OUR_KEY, T0 + 5);
    expect(made).toEqual({
      ok: true,
      fields: {
        tradeId: 'swap-1',
        orderId: f.orderId,
        market: { base: 'DEVA', quote: 'DEVB' },
        makerSide: 'sell',
        baseAmount: f.baseAmount,
        quoteAmount: f.quoteAmount,
        price: f.price,
        maker: f.makerPubkey,
        taker: OUR_KEY,
        serviceNode: f.serviceNode,
        txids: { makerLock: 'a1', takerLock: 'b2', makerClaim: 'c3', takerClaim: 'd4' },
        feeTxid: f.feeTxid,
        finishedAt: T0 + 5,
      },
    });
  });

  it('a swap missing a transaction makes no record, and says which were seen', () => {
    const { claim: _c, ...withoutOurClaim } = TXS;
    expect(takerTradeFields(takerRecord(), fill(), swapDetail({}, withoutOurClaim), OUR_KEY, T0)).toEqual({
      ok: false,
      txids: { makerLock: 'a1', takerLock: 'b2', makerClaim: 'c3', takerClaim: undefined },
    });
  });
});

describe("recording a taker's finished fills", () => {
  function setup(fills: FillRecord[], opts: { locked?: boolean; makerSigns?: boolean } = {}) {
    const records = memoryRecords();
    records.put(takerRecord({ fills }));
    const asked: Array<{ tradeId: string; maker: string }> = [];
    const trades = createTakerRecords({
      records,
      swaps: { get: (id) => swapDetail({ swapId: id }, TXS) },
      history: {
        recordAsTaker: async (fields: TradeRecordFields, maker: string) => {
          asked.push({ tradeId: fields.tradeId, maker });
          if (opts.makerSigns === false) throw new Error('the maker did not sign');
          return {} as never;
        },
      },
      myKey: () => (opts.locked ? null : OUR_KEY),
      log: silentLogger,
      now: () => T0,
    });
    return { trades, asked, recorded: () => records.get('take-1')!.fills.map((f) => f.recorded ?? false) };
  }

  it('asks the maker and marks the fill recorded', async () => {
    const s = setup([fill({ state: 'finished' })]);
    await s.trades.record('take-1', 'swap-1');
    expect(s.asked).toEqual([{ tradeId: 'swap-1', maker: fill().counterparty }]);
    expect(s.recorded()).toEqual([true]);
    await s.trades.record('take-1', 'swap-1');
    expect(s.asked).toHaveLength(1);
  });

  it('a maker that does not sign leaves the fill unrecorded, for the next start to try again', async () => {
    const s = setup([fill({ state: 'finished' })], { makerSigns: false });
    await s.trades.record('take-1', 'swap-1');
    expect(s.recorded()).toEqual([false]);
  });

  it('nothing is signed while the vault is locked', async () => {
    const s = setup([fill({ state: 'finished' })], { locked: true });
    await s.trades.record('take-1', 'swap-1');
    expect(s.asked).toEqual([]);
  });

  it('resume asks for every finished fill not yet recorded, and only those', async () => {
    const s = setup([
      fill({ state: 'finished' }),
      fill({ state: 'finished', acceptId: 'a2', holdId: 'swap-2', recorded: true }),
      fill({ state: 'committed', acceptId: 'a3', holdId: 'swap-3' }),
      fill({ state: 'finished', acceptId: 'a4', holdId: 'swap-4' }),
    ]);
    s.trades.resume();
    await new Promise((r) => setImmediate(r));
    expect(s.asked.map((a) => a.tradeId)).toEqual(['swap-1', 'swap-4']);
  });
});
