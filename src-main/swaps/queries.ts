// The engine's read side for the API: a swap's summary (live or stored), the list newest first, the
// detail with its timeline from the log, and the coins promised to swaps not yet paid into an HTLC.
import { ApiError } from '../../src-shared/api/errors.ts';
import type { SwapDetail, SwapSummary } from '../../src-shared/api/schemas.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { holdsNoFundsYet, ownChain } from '../../src-shared/swaps/rules.ts';
import type { SwapChains } from './chains.ts';
import type { Live, SwapRunner } from './durable.ts';
import type { SwapRepo } from './repo.ts';
import { detailOf, summaryOf, type SwapRecord, type ViewContext } from './view.ts';

export interface SwapQueriesDeps {
  coins: CoinTable;
  runner: Pick<SwapRunner, 'get' | 'instances'>;
  repo: Pick<SwapRepo, 'get' | 'list' | 'events'>;
  chains: Pick<SwapChains, 'tipHeight'>;
}

export interface SwapQueries {
  summary(live: Live): SwapSummary;
  list(): SwapSummary[];
  get(swapId: string): SwapDetail;
  lockedAmount(ticker: string): bigint;
}

/** swaps.list shows at most this many, newest first. */
export const LIST_LIMIT = 500;

export function createSwapQueries(d: SwapQueriesDeps): SwapQueries {
  const ctx: ViewContext = {
    decimalsOf: (t) => d.coins.get(t).decimals,
    heightOf: (t) => d.chains.tipHeight(t),
    blockTimeOf: (t) => d.coins.get(t).blockTimeSec,
  };
  const recordOf = (live: Live): SwapRecord => ({ state: live.state, meta: live.context });
  const summary = (live: Live): SwapSummary => summaryOf(live.id, recordOf(live), live, ctx);

  return {
    summary,
    list: () =>
      d.repo.list({ limit: LIST_LIMIT }).map((stored) => {
        const live = d.runner.get(stored.swapId);
        return live ? summary(live) : summaryOf(stored.swapId, stored.data as SwapRecord, stored, ctx);
      }),
    get(swapId) {
      const live = d.runner.get(swapId);
      const stored = d.repo.get(swapId);
      if (!stored) throw new ApiError('NOT_FOUND', `No swap ${swapId}.`);
      const record = live ? recordOf(live) : (stored.data as SwapRecord);
      return detailOf(swapId, record, live ?? stored, d.repo.events(swapId), ctx);
    },
    lockedAmount(ticker) {
      let total = 0n;
      for (const live of d.runner.instances()) {
        const own = ownChain(live.context.role);
        if (live.context.tickers[own] === ticker && holdsNoFundsYet(live.state)) total += live.context.amounts[own];
      }
      return total;
    },
  };
}
