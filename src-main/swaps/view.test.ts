// The swap detail the API shows, built from a real event log: the agreed confirmations from the
// terms, and every step's give-up deadline from the pure swapDeadlines, with blocks left at the tip.
import { describe, expect, it } from 'vitest';
import { swapDeadlines } from '../../src-shared/swaps/timelock.ts';
import { MAKER_PATH, START, TAKER_PATH, proposal, setup, takerStarted } from '../../src-shared/swaps/testkit.ts';
import type { FeeChildSent, Role, SwapEvent } from '../../src-shared/swaps/types.ts';
import type { StoredSwapEvent } from './repo.ts';
import { transition } from '../../src-shared/swaps/machine.ts';
import { detailOf, initialState, type SwapMeta, type ViewContext } from './view.ts';

const meta = (role: Role): SwapMeta => ({
  role,
  peerId: 'peer',
  keys: { makerChain: 0, takerChain: 1 },
  tickers: { makerChain: 'DEVA', takerChain: 'DEVB' },
  amounts: { makerChain: 1_000_000n, takerChain: 4_000_000n },
  startHeights: START,
});
const log = (events: readonly SwapEvent[]): StoredSwapEvent[] =>
  events.map((payload, i) => ({ swapId: 'swap-1', seq: i + 1, type: payload.type, payload, createdAt: 1_000 + i }));
const tips = (heights: Record<string, number | undefined>): ViewContext => ({
  decimalsOf: () => 8,
  heightOf: (t) => heights[t],
  blockTimeOf: () => 5,
});

function detail(role: Role, events: readonly SwapEvent[], ctx: ViewContext) {
  const stored = log(events);
  const state = events.reduce((s, e) => transition(s, e).state, initialState(role));
  return detailOf('swap-1', { state, meta: meta(role) }, { createdAt: 1, updatedAt: 2 }, stored, ctx);
}

const D = swapDeadlines(setup());

describe('swap detail: deadlines', () => {
  it('gives the maker every deadline from its side, with blocks left at the current tips', () => {
    const d = detail('maker', MAKER_PATH.funded, tips({ DEVA: START.makerChain + 4, DEVB: START.takerChain + 10 }));
    const takerTip = START.takerChain + 10;
    expect(d.deadlines).toEqual([
      {
        step: 'makerFundBy',
        party: 'own',
        action: 'lock',
        ticker: 'DEVB',
        height: D.makerFundBy.height,
        blocksLeft: D.makerFundBy.height - takerTip,
        secondsLeft: (D.makerFundBy.height - takerTip) * 5,
      },
      {
        step: 'takerFundBy',
        party: 'counterparty',
        action: 'lock',
        ticker: 'DEVB',
        height: D.takerFundBy.height,
        blocksLeft: D.takerFundBy.height - takerTip,
        secondsLeft: (D.takerFundBy.height - takerTip) * 5,
      },
      {
        step: 'makerClaimBy',
        party: 'own',
        action: 'claim',
        ticker: 'DEVB',
        height: D.makerClaimBy.height,
        blocksLeft: D.makerClaimBy.height - takerTip,
        secondsLeft: (D.makerClaimBy.height - takerTip) * 5,
      },
      {
        step: 'takerRefundAt',
        party: 'counterparty',
        action: 'refund',
        ticker: 'DEVB',
        height: D.takerRefundAt.height,
        blocksLeft: D.takerRefundAt.height - takerTip,
        secondsLeft: (D.takerRefundAt.height - takerTip) * 5,
      },
      {
        step: 'takerClaimBy',
        party: 'counterparty',
        action: 'claim',
        ticker: 'DEVA',
        height: D.takerClaimBy.height,
        blocksLeft: D.takerClaimBy.height - 204,
        secondsLeft: (D.takerClaimBy.height - 204) * 5,
      },
      {
        step: 'makerRefundAt',
        party: 'own',
        action: 'refund',
        ticker: 'DEVA',
        height: D.makerRefundAt.height,
        blocksLeft: D.makerRefundAt.height - 204,
        secondsLeft: (D.makerRefundAt.height - 204) * 5,
      },
    ]);
  });

  it('gives the taker the same heights with the parties swapped', () => {
    const d = detail('taker', TAKER_PATH.accepted, tips({ DEVA: START.makerChain, DEVB: START.takerChain }));
    expect(d.deadlines.map((x) => [x.step, x.party, x.height])).toEqual([
      ['makerFundBy', 'counterparty', D.makerFundBy.height],
      ['takerFundBy', 'own', D.takerFundBy.height],
      ['makerClaimBy', 'counterparty', D.makerClaimBy.height],
      ['takerRefundAt', 'own', D.takerRefundAt.height],
      ['takerClaimBy', 'own', D.takerClaimBy.height],
      ['makerRefundAt', 'counterparty', D.makerRefundAt.height],
    ]);
  });

  it('counts a passed deadline as 0 blocks left, and an unseen chain as unknown', () => {
    const d = detail('taker', TAKER_PATH.funded, tips({ DEVB: D.takerRefundAt.height + 3 }));
    expect(d.deadlines.find((x) => x.step === 'takerRefundAt')).toMatchObject({ blocksLeft: 0, secondsLeft: 0 });
    expect(d.deadlines.find((x) => x.step === 'makerRefundAt')).toMatchObject({ blocksLeft: null, secondsLeft: null });
  });

  it('has none before the terms are fixed, nor once the swap failed before funding', () => {
    expect(detail('maker', MAKER_PATH.proposed, tips({ DEVA: 200, DEVB: 300 })).deadlines).toEqual([]);
    const failed = detail(
      'maker',
      [...MAKER_PATH.proposed, { type: 'Abort', reason: 'no' }],
      tips({ DEVA: 200, DEVB: 300 }),
    );
    expect(failed.state).toBe('failedBeforeFunding');
    expect(failed.deadlines).toEqual([]);
  });
});

describe('swap detail: agreed confirmations', () => {
  it('reports the depth the terms agreed per chain, own chain first', () => {
    const three = {
      ...takerStarted,
      proposal: proposal({ makerLeg: { ...proposal().makerLeg, confirmations: 3 } }),
    } as const;
    expect(detail('taker', [three], tips({})).confirmations).toEqual([
      { side: 'own', ticker: 'DEVB', confirmations: 1 },
      { side: 'counterparty', ticker: 'DEVA', confirmations: 3 },
    ]);
    expect(detail('maker', MAKER_PATH.funding, tips({})).confirmations).toEqual([
      { side: 'own', ticker: 'DEVA', confirmations: 1 },
      { side: 'counterparty', ticker: 'DEVB', confirmations: 1 },
    ]);
  });

  it('keeps them for a swap that failed before funding (from its first logged step)', () => {
    const d = detail('maker', [...MAKER_PATH.proposed, { type: 'Abort', reason: 'no' }], tips({}));
    expect(d.confirmations).toEqual([
      { side: 'own', ticker: 'DEVA', confirmations: 1 },
      { side: 'counterparty', ticker: 'DEVB', confirmations: 1 },
    ]);
  });
});

describe('swap detail: fee children', () => {
  const claim = 'c9'.repeat(32);
  const child = (n: number, parent: string, fee: bigint): FeeChildSent => ({
    type: 'FeeChildSent',
    spend: 'claim',
    ticker: 'DEVB',
    parent,
    txid: `e${n}`.repeat(32),
    fee,
  });

  it('lists each child the wallet sent for a claim with its fee, after the claim, and the timeline shows when', () => {
    const events: Array<SwapEvent | FeeChildSent> = [
      ...MAKER_PATH.claiming,
      { type: 'ClaimBroadcast', txid: claim },
      child(1, claim, 4_835n),
      child(2, 'e1'.repeat(32), 12_000n),
      { type: 'ClaimConfirmed', txid: claim },
    ];
    const stored: StoredSwapEvent[] = events.map((payload, i) => ({
      swapId: 'swap-1',
      seq: i + 1,
      type: payload.type,
      payload,
      createdAt: 1_000 + i,
    }));
    // The machine never sees the notes (durable.ts leaves them out of its replay).
    const state = events
      .filter((e): e is SwapEvent => e.type !== 'FeeChildSent')
      .reduce((s, e) => transition(s, e).state, initialState('maker'));
    expect(state.phase).toBe('completed');
    const d = detailOf('swap-1', { state, meta: meta('maker') }, { createdAt: 1, updatedAt: 2 }, stored, tips({}));
    expect(d.txs.filter((t) => t.kind === 'claim' || t.kind === 'claimFeeChild')).toEqual([
      { kind: 'claim', ticker: 'DEVB', txid: claim },
      { kind: 'claimFeeChild', ticker: 'DEVB', txid: 'e1'.repeat(32), fee: '0.00004835' },
      { kind: 'claimFeeChild', ticker: 'DEVB', txid: 'e2'.repeat(32), fee: '0.00012' },
    ]);
    const shown = d.timeline.filter((s) => s.event === 'FeeChildSent');
    expect(shown).toEqual([
      { at: 1_005, event: 'FeeChildSent', state: 'claiming', txid: 'e1'.repeat(32) },
      { at: 1_006, event: 'FeeChildSent', state: 'claiming', txid: 'e2'.repeat(32) },
    ]);
    // The step after the notes still leads where the machine went.
    expect(d.timeline.at(-1)).toMatchObject({ event: 'ClaimConfirmed', state: 'completed' });
  });
});
