// Every fill driven to an end after a restart, and a held taker fill whose swap never comes ends
// too (docs/orders.md §9): recovery's I/O with fakes for the taker, the maker and the swap engine.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../kernel/log.ts';
import type { FillRecord, OrderRecord } from './records.ts';
import { createRecovery } from './recovery.ts';
import { SWAP_START_GRACE_MS } from './recovery-plan.ts';
import { fill, makerRecord, memoryRecords, T0, takerRecord } from './testkit.ts';

const SWAP_START_MS = 600_000;
const stored = (ack?: unknown) => ({
  accept: { type: 'order.accept' },
  ...(ack === undefined ? {} : { ack }),
  feeTicker: 'DEVB',
  feeTx: '00',
  feeInputs: [],
});

interface Fakes {
  swaps?: string[];
  retake?: 'held' | 'pending' | 'ended';
  start?: Array<'started' | 'pending' | 'ended'>;
}

function setup(recs: OrderRecord[], o: Fakes = {}) {
  let clock = T0 + 1000;
  const records = memoryRecords(() => clock);
  for (const r of recs) records.put(r);
  const calls: string[] = [];
  const endFill = (recId: string, acceptId: string, reason: string) =>
    records.update(recId, (r) => {
      const f = r.fills.find((x) => x.acceptId === acceptId)!;
      f.state = 'canceled';
      f.reason = reason;
    });
  const recovery = createRecovery({
    records,
    swaps: {
      get: (id) => {
        if (!(o.swaps ?? []).includes(id)) throw new Error('no such swap');
        return {} as never;
      },
    },
    taker: {
      async retake(recId, acceptId) {
        calls.push(`retake ${acceptId}`);
        if (o.retake === 'held')
          records.update(recId, (r) => {
            const f = r.fills.find((x) => x.acceptId === acceptId)!;
            f.state = 'hold';
            f.holdId = 'swap-9';
          });
        if (o.retake === 'ended') endFill(recId, acceptId, 'refused; no fee was paid');
        return o.retake ?? 'pending';
      },
      async release(recId, acceptId, reason) {
        calls.push(`release ${acceptId}`);
        endFill(recId, acceptId, reason);
      },
      async giveUp(recId, acceptId, why) {
        calls.push(`give-up ${acceptId}`);
        endFill(recId, acceptId, why);
      },
    },
    maker: {
      async startHeld(_recId, holdId, wait) {
        calls.push(`start ${holdId}${wait ? '' : ' or end'}`);
        return o.start?.shift() ?? 'started';
      },
    },
    catchUp: (id) => calls.push(`catch-up ${id}`),
    log: silentLogger,
    now: () => clock,
    swapStartMs: SWAP_START_MS,
    checkMs: 3_600_000,
  });
  return { recovery, calls, records, at: (t: number) => void (clock = t) };
}

const takerWith = (f: Partial<FillRecord>) =>
  takerRecord({ fills: [fill({ holdId: null, state: 'accepting', ...f })] });

describe('order-layer recovery after a restart', () => {
  it('taker killed after storing accepting: the fee coins are released, the fill and the take end, no fee paid', async () => {
    const s = setup([takerWith({ take: stored() })]);
    await s.recovery.start();
    s.recovery.stop();
    expect(s.calls).toEqual(['release accept-1']);
    const rec = s.records.get('take-1')!;
    expect(rec.fills[0]).toMatchObject({ state: 'canceled', reason: expect.stringMatching(/no fee was paid/) });
    expect(rec.state).toBe('canceled');
  });

  it('taker killed after paying the fee (hold not stored): the take is sent again, the fill is held and follows its swap', async () => {
    const s = setup([takerWith({ take: stored({ type: 'order.ack' }) })], { retake: 'held' });
    await s.recovery.start();
    s.recovery.stop();
    expect(s.calls).toEqual(['retake accept-1', 'catch-up swap-9']);
    expect(s.records.get('take-1')).toMatchObject({ state: 'hold', quoteAmount: fill().quoteAmount });
  });

  it('a take whose service node is unreachable is asked again at each check, then given up', async () => {
    const s = setup([takerWith({ take: stored({ type: 'order.ack' }) })]);
    await s.recovery.start();
    await s.recovery.check();
    expect(s.calls).toEqual(['retake accept-1', 'retake accept-1']);
    s.at(T0 + SWAP_START_MS);
    await s.recovery.check();
    s.recovery.stop();
    expect(s.calls.at(-1)).toBe('give-up accept-1');
    expect(s.records.get('take-1')!.state).toBe('canceled');
  });

  it('a take running in this process is not touched: only fills found accepting at start are recovered', async () => {
    const s = setup([]);
    await s.recovery.start();
    s.records.put(takerWith({ take: stored({ type: 'order.ack' }) }));
    await s.recovery.check();
    s.recovery.stop();
    expect(s.calls).toEqual([]);
  });

  it('taker killed after the hold: it follows its swap; a maker that never starts one ends the fill, fee said', async () => {
    const known = setup([takerWith({ state: 'hold', holdId: 'swap-1' })], { swaps: ['swap-1'] });
    await known.recovery.start();
    known.recovery.stop();
    expect(known.calls).toEqual(['catch-up swap-1']);

    const s = setup([takerWith({ state: 'hold', holdId: 'swap-1' })]);
    await s.recovery.start();
    expect(s.records.get('take-1')!.fills[0]!.state).toBe('hold');
    s.at(T0 + SWAP_START_MS + SWAP_START_GRACE_MS);
    await s.recovery.check();
    s.recovery.stop();
    const rec = s.records.get('take-1')!;
    expect(rec.fills[0]).toMatchObject({
      state: 'canceled',
      reason: expect.stringMatching(/^fee paid, no swap: the maker did not start the swap within 10 min/),
    });
    expect(rec.state).toBe('canceled');
  });

  it('maker killed after storing the hold: its swap is started once, at start only', async () => {
    const s = setup([makerRecord({ state: 'hold', remainingBase: 0n, fills: [fill({ state: 'hold' })] })]);
    await s.recovery.start();
    await s.recovery.check();
    s.recovery.stop();
    expect(s.calls).toEqual(['start swap-1']);
  });

  it('maker restarted before the taker is reachable: asked again while the taker agrees, then started or ended', async () => {
    const rec = makerRecord({ state: 'hold', remainingBase: 0n, fills: [fill({ state: 'hold' })] });
    const s = setup([rec], { start: ['pending', 'pending'] });
    await s.recovery.start();
    await s.recovery.check();
    s.at(T0 + SWAP_START_MS);
    await s.recovery.check();
    await s.recovery.check();
    s.recovery.stop();
    expect(s.calls).toEqual(['start swap-1', 'start swap-1', 'start swap-1 or end']);
  });

  it('a hold that arrives while running is started by its own handler, never by recovery', async () => {
    const s = setup([]);
    await s.recovery.start();
    s.records.put(makerRecord({ state: 'hold', remainingBase: 0n, fills: [fill({ state: 'hold' })] }));
    await s.recovery.check();
    s.recovery.stop();
    expect(s.calls).toEqual([]);
  });
});
