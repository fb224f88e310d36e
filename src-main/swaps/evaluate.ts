// Brings a swap up to date with the clock and the chains: the watchers' observations become events
// (observe.ts), a tick is fed when a tip moved, and a taker waiting for the maker's HTLC judges no
// deadline before its watcher searched the maker chain since this process took the swap up.
import { otherChain, searchesBeforeJudging, tickDue } from '../../src-shared/swaps/rules.ts';
import { isTerminal } from '../../src-shared/swaps/types.ts';
import type { SwapChains } from './chains.ts';
import type { Background, Live, SwapRunner } from './durable.ts';
import { chainEvents } from './observe.ts';

export interface EvaluationDeps {
  runner: Pick<SwapRunner, 'apply' | 'run'>;
  chains: Pick<SwapChains, 'heights' | 'views' | 'watch' | 'watcher'>;
  now: () => number;
  background: Background;
}

export interface Evaluation {
  /** Call inside the swap's queue. */
  evaluateNow(live: Live): void;
  /** evaluateNow in the swap's queue. */
  evaluate(live: Live): Promise<void>;
}

/** How many rounds of observations one evaluation feeds before it lets others run. */
const MAX_ROUNDS = 8;

export function createEvaluation(d: EvaluationDeps): Evaluation {
  const { runner, chains } = d;
  /** Swaps whose counterparty chain was searched since this process took them up. */
  const searched = new WeakSet<Live>();
  const searching = new WeakSet<Live>();

  function evaluateNow(live: Live): void {
    if (isTerminal(live.state)) return;
    const heights = chains.heights(live.context);
    if (searchesBeforeJudging(live.state)) {
      // The chain first, judged at today's tips, then the clock. Were the tick first, a maker HTLC
      // that confirmed while this node was away would be missed and the swap failed with "the
      // maker did not lock in time".
      if (!heights) return;
      if (!searched.has(live)) {
        searchCounterpartyChain(live);
        return;
      }
      for (const e of chainEvents(live.state, chains.views(live.context)))
        runner.apply(live, e.type === 'CounterpartyFundingSeen' ? { ...e, heights } : e);
    }
    if (heights && tickDue(live.state, heights)) runner.apply(live, { type: 'TimerTick', heights, nowMs: d.now() });
    // An event can make others meaningful (a funding seen makes its spends ours to read): repeat until still.
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let progressed = false;
      for (const e of chainEvents(live.state, chains.views(live.context))) if (runner.apply(live, e)) progressed = true;
      if (!progressed) break;
    }
  }

  /**
   * One full poll of the counterparty's chain after its interest was registered: the watcher then
   * has searched the blocks since the swap started and the mempool for the HTLC and the notice.
   */
  function searchCounterpartyChain(live: Live): void {
    if (searching.has(live)) return;
    searching.add(live);
    const w = chains.watcher(live.context.tickers[otherChain(live.context.role)]);
    d.background(
      (async () => {
        try {
          chains.watch(live);
          await w.poke();
          // A poll that could not reach the daemon searched nothing: the next evaluation tries again.
          if (w.tip()) searched.add(live);
        } finally {
          searching.delete(live);
        }
        if (searched.has(live)) await evaluate(live);
      })(),
      'chain search',
      live.id,
    );
  }

  const evaluate = (live: Live): Promise<void> => runner.run(live, () => evaluateNow(live));

  return { evaluateNow, evaluate };
}
