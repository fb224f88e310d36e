import { describe, expect, it } from 'vitest';
import { transition } from '../../src-shared/swaps/machine.ts';
import { swapDeadlines } from '../../src-shared/swaps/timelock.ts';
import {
  MAKER_PATH,
  NOW,
  POLICY,
  START,
  TAKER_PATH,
  setup as swapSetup,
  terms,
} from '../../src-shared/swaps/testkit.ts';
import type { Heights, SwapEvent } from '../../src-shared/swaps/types.ts';
import { expectedScripts } from '../../src-shared/swaps/verify.ts';
import type { SeenOutput } from '../chain/watcher.ts';
import { toJson } from '../store/index.ts';
import type { Live } from './durable.ts';
import { createEvaluation } from './evaluate.ts';
import type { ChainView } from './observe.ts';
import { fakeWatcher, makerLive, settle, takerLive, type TestLive } from './testkit.ts';

const D = swapDeadlines(swapSetup());

/** A view of a chain at `height` showing these outputs (the maker's HTLC, for a taker). */
function view(height: number, outputs: SeenOutput[] = []): ChainView {
  return {
    tip: () => ({ height, hash: `h${height}` }),
    outputsTo: (script) => outputs.filter((o) => o.outputScript === script),
    transaction: () => undefined,
    spendsOf: () => [],
  };
}

const makerHtlc = (confirmations = 1): SeenOutput => ({
  txid: 'a1'.repeat(32),
  vout: 0,
  value: terms().makerLeg.amount,
  outputScript: expectedScripts(terms(), 'makerChain').outputScript,
  confirmations,
});

function setup(o: { heights?: Heights; makerOutputs?: SeenOutput[]; now?: number } = {}) {
  const applied: SwapEvent[] = [];
  let heights: Heights | undefined = o.heights ?? START;
  const makerWatcher = fakeWatcher('DEVA');
  const evaluation = createEvaluation({
    // Applies like the durable runner: a refused event or one that changed nothing is not a step.
    runner: {
      apply(instance, e) {
        const live = instance as TestLive;
        const r = transition(live.state, e);
        if (r.refused !== undefined || (r.effects.length === 0 && toJson(r.state) === toJson(live.state))) return false;
        applied.push(e);
        live.state = r.state;
        return true;
      },
      run: async (_live, task) => task(),
    },
    chains: {
      heights: () => heights,
      views: () => ({
        makerChain: view(heights?.makerChain ?? 0, o.makerOutputs),
        takerChain: view(heights?.takerChain ?? 0),
      }),
      watch: () => undefined,
      watcher: () => makerWatcher,
    },
    now: () => o.now ?? NOW,
    background: (task) => void task.catch(() => undefined),
  });
  return { evaluation, applied, makerWatcher, setHeights: (h: Heights | undefined) => (heights = h) };
}

describe("a taker waiting for the maker's HTLC: the chain first, then the clock", () => {
  it('judges no deadline before its watcher searched the maker chain, even with the tips far past it', () => {
    const late = { makerChain: START.makerChain + 50, takerChain: D.takerFundBy.height + 5 };
    const { evaluation, applied, makerWatcher } = setup({ heights: late, makerOutputs: [makerHtlc()] });
    const live = takerLive(TAKER_PATH.accepted);
    evaluation.evaluateNow(live);
    expect(applied).toEqual([]);
    expect(live.state.phase).toBe('accepted');
    expect(makerWatcher.pokes).toBe(1);
  });

  it("after the search, judges a maker HTLC that confirmed while it was away at today's tips: the maker locked, too late for us", async () => {
    const late = { makerChain: START.makerChain + 50, takerChain: D.takerFundBy.height + 5 };
    const { evaluation, applied, makerWatcher } = setup({ heights: late, makerOutputs: [makerHtlc()] });
    makerWatcher.tipOnPoke = late.makerChain;
    const live = takerLive(TAKER_PATH.accepted);
    evaluation.evaluateNow(live);
    await settle();
    expect(applied[0]).toMatchObject({ type: 'CounterpartyFundingSeen', heights: late });
    expect(live.state.phase).toBe('failedBeforeFunding');
    expect(live.state.phase === 'failedBeforeFunding' && live.state.reason.message).toMatch(
      /^the maker locked its coins/,
    );
  });

  it('searches again when the poll could not reach the daemon, and only one search runs at a time', async () => {
    const { evaluation, applied, makerWatcher } = setup();
    const live = takerLive(TAKER_PATH.accepted);
    evaluation.evaluateNow(live);
    evaluation.evaluateNow(live);
    await settle();
    expect(makerWatcher.pokes).toBe(1);
    evaluation.evaluateNow(live);
    await settle();
    expect(makerWatcher.pokes).toBe(2);
    expect(applied).toEqual([]);
  });

  it('then goes on to fund once the maker HTLC is seen confirmed in time', async () => {
    const { evaluation, makerWatcher } = setup({ makerOutputs: [makerHtlc()] });
    makerWatcher.tipOnPoke = START.makerChain;
    const live = takerLive(TAKER_PATH.accepted);
    evaluation.evaluateNow(live);
    await settle();
    expect(live.state.phase).toBe('funding');
  });

  it('judges nothing while either chain has no tip', () => {
    const { evaluation, applied, makerWatcher, setHeights } = setup();
    setHeights(undefined);
    evaluation.evaluateNow(takerLive(TAKER_PATH.accepted));
    expect(applied).toEqual([]);
    expect(makerWatcher.pokes).toBe(0);
  });
});

describe('feeding the clock', () => {
  it('feeds a tick only when a tip moved', () => {
    const { evaluation, applied, setHeights } = setup();
    const live = makerLive(MAKER_PATH.funded);
    evaluation.evaluateNow(live);
    expect(applied).toEqual([]);
    setHeights({ ...START, takerChain: START.takerChain + 1 });
    evaluation.evaluateNow(live);
    expect(applied).toEqual([
      { type: 'TimerTick', heights: { ...START, takerChain: START.takerChain + 1 }, nowMs: NOW },
    ]);
  });

  it('feeds the waiting maker the wall clock, so the accept timeout ends a proposal nobody answers', () => {
    const { evaluation } = setup({ now: NOW + POLICY.acceptTimeoutMs + 1 });
    const live = makerLive(MAKER_PATH.proposed);
    evaluation.evaluateNow(live);
    expect(live.state.phase === 'failedBeforeFunding' && live.state.reason.code).toBe('accept-timeout');
  });

  it('does nothing for a swap that has ended', () => {
    const { evaluation, applied, setHeights } = setup();
    const live = makerLive(MAKER_PATH.proposed);
    live.state = { role: 'maker', phase: 'failedBeforeFunding', swapId: 's', reason: { code: 'x', message: 'y' } };
    setHeights({ makerChain: 999, takerChain: 999 });
    evaluation.evaluateNow(live);
    expect(applied).toEqual([]);
  });

  it('evaluates in the swap queue when asked from outside it', async () => {
    const { evaluation, applied, setHeights } = setup();
    const live: Live = makerLive(MAKER_PATH.funded);
    setHeights({ ...START, makerChain: START.makerChain + 2 });
    await evaluation.evaluate(live);
    expect(applied.map((e) => e.type)).toEqual(['TimerTick']);
  });
});
