// Fills follow their swaps (the internal fact 'swaps.updated'): each update moves the fill of its
// hold id one lifecycle step at a time, the order follows its fills, a maker's fill that failed
// before coins were locked is given back, a taker's finished fill is recorded, and an update the
// order machine refuses changes nothing and is logged.
import { describe, expect, it } from 'vitest';
import type { SwapSummary } from '../../src-shared/api/schemas.ts';
import { createFillTracking, settle } from './fill-tracking.ts';
import type { OrderRecord } from './records.ts';
import { fill, makerRecord, memoryRecords, swapDetail, swapSummary, takerRecord } from './testkit.ts';

function setup(rec: OrderRecord, swaps: Record<string, SwapSummary> = {}) {
  const records = memoryRecords();
  records.put(rec);
  const released: string[] = [];
  const finished: string[] = [];
  const warnings: string[] = [];
  const tracking = createFillTracking({
    records,
    swaps: {
      get: (id) => {
        const s = swaps[id];
        if (!s) throw new Error(`no swap ${id}`);
        return swapDetail(s);
      },
    },
    log: { info() {}, warn: (m) => warnings.push(m), error() {} },
    released: (recId, swapId) => released.push(`${recId}/${swapId}`),
    finished: (recId, swapId) => finished.push(`${recId}/${swapId}`),
  });
  return { records, tracking, released, finished, warnings, get: () => records.get(rec.id)! };
}

describe("a taker's fill follows its swap", () => {
  it('moves through the steps it missed, and the order with it', () => {
    const t = setup(takerRecord({ fills: [fill({ state: 'hold' })] }));
    t.tracking.onSwap(swapSummary({ state: 'funded' }));
    expect(t.get().fills[0]!.state).toBe('committed');
    expect(t.get().state).toBe('committed');
  });

  it('a finished swap finishes the fill once, and asks for its trade record once', () => {
    const t = setup(takerRecord({ fills: [fill({ state: 'committed' })] }));
    t.tracking.onSwap(swapSummary({ state: 'completed', terminal: true, outcome: 'completed' }));
    t.tracking.onSwap(swapSummary({ state: 'completed', terminal: true, outcome: 'completed' }));
    expect(t.get().state).toBe('finished');
    expect(t.finished).toEqual(['take-1/swap-1']);
  });

  it("a swap that failed before funding cancels the fill with the swap's reason, saying the taker fee was paid", () => {
    const t = setup(takerRecord({ fills: [fill({ state: 'hold' })] }));
    t.tracking.onSwap(
      swapSummary({ state: 'failedBeforeFunding', terminal: true, reason: { code: 'TIMEOUT', message: 'no answer' } }),
    );
    expect(t.get().fills[0]).toMatchObject({
      state: 'canceled',
      reason: expect.stringMatching(/^fee paid, no swap: no answer \(the fee transaction (fe)+ is spent\)$/),
    });
    expect(t.get().state).toBe('canceled');
    expect(t.released).toEqual([]);
  });

  it('an update the order machine refuses (cancel after coins were locked) changes nothing and says why', () => {
    const t = setup(takerRecord({ state: 'committed', fills: [fill({ state: 'committed' })] }));
    t.tracking.onSwap(swapSummary({ state: 'failedBeforeFunding', terminal: true }));
    expect(t.get().fills[0]!.state).toBe('committed');
    expect(t.warnings).toEqual(['an order fill cannot follow its swap']);
  });

  it('updates of swaps no fill of ours holds, and phases with no order state (refunding), are passed by', () => {
    const t = setup(takerRecord({ fills: [fill({ state: 'created' })] }));
    const before = JSON.stringify(t.get(), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    t.tracking.onSwap(swapSummary({ swapId: 'someone-elses', state: 'completed' }));
    t.tracking.onSwap(swapSummary({ state: 'refunding' }));
    expect(JSON.stringify(t.get(), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).toBe(before);
  });
});

describe("a maker's fill follows its swap", () => {
  it('a fill canceled before coins were locked is given back to be offered again', () => {
    const t = setup(makerRecord({ state: 'hold', remainingBase: 0n, fills: [fill({ state: 'initialized' })] }));
    t.tracking.onSwap(swapSummary({ role: 'maker', state: 'failedBeforeFunding', terminal: true }));
    expect(t.get().state).toBe('canceled');
    expect(t.released).toEqual(['order-1/swap-1']);
  });

  it('a partly held order stays open while the fill moves', () => {
    const t = setup(makerRecord({ state: 'open', remainingBase: 1n, fills: [fill({ state: 'hold' })] }));
    t.tracking.onSwap(swapSummary({ role: 'maker', state: 'funded' }));
    expect(t.get().fills[0]!.state).toBe('created');
    expect(t.get().state).toBe('open');
  });
});

describe('catching up with swaps that moved unheard', () => {
  it("catchUpAll reads every live fill's swap; a swap the engine does not know yet is left for its updates", () => {
    const t = setup(
      takerRecord({
        fills: [fill({ state: 'hold' }), fill({ state: 'hold', acceptId: 'a2', holdId: 'swap-2' })],
      }),
      { 'swap-1': swapSummary({ state: 'funding' }) },
    );
    t.tracking.catchUpAll();
    expect(t.get().fills.map((f) => f.state)).toEqual(['created', 'hold']);
  });
});

describe('settle: an order from its listing and its fills', () => {
  const cases: Array<[string, OrderRecord, string]> = [
    [
      "a taker's order is its least advanced live fill",
      takerRecord({ fills: [fill({ state: 'finished' }), fill({ state: 'created' })] }),
      'created',
    ],
    ["a taker's order with no fills keeps its state", takerRecord({ state: 'accepting' }), 'accepting'],
    [
      "a maker's order still listed keeps its listing state",
      makerRecord({ state: 'open', remainingBase: 1n, fills: [fill({ state: 'finished' })] }),
      'open',
    ],
    [
      "a maker's order held in full follows its fills",
      makerRecord({ state: 'hold', remainingBase: 0n, fills: [fill({ state: 'finished' })] }),
      'finished',
    ],
    [
      "a maker's canceled order stays canceled",
      makerRecord({ state: 'canceled', remainingBase: 0n, fills: [fill({ state: 'finished' })] }),
      'canceled',
    ],
    [
      'a stop order is left to the order it became',
      makerRecord({ kind: 'stop', state: 'new', fills: [fill({ state: 'finished' })] }),
      'new',
    ],
  ];
  it.each(cases)('%s', (_name, rec, expected) => {
    settle(rec);
    expect(rec.state).toBe(expected);
  });
});
