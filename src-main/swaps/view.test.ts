// The swap detail the API shows, built from a real event log: the agreed confirmations from the
// terms, and every step's give-up deadline from the pure swapDeadlines, with blocks left at the tip.
import { describe, expect, it } from 'vitest';
import { swapDeadlines } from '../../src-shared/swaps/timelock.ts';
import { MAKER_PATH, START, TAKER_PATH, proposal, setup, takerStarted } from '../../src-shared/swaps/testkit.ts';
import type { Role, SwapEvent } from '../../src-shared/swaps/types.ts';
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
