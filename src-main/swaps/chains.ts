// The swaps' view of the chains: one watcher per coin, made when a swap first needs it, the tips
// the machines are judged at, and each swap's interests (what its state needs watched, searched
// from the heights it started at, so a restart catches up on what happened meanwhile).
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { isTerminal, type Heights } from '../../src-shared/swaps/types.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { RpcClient } from '../chain/rpc.ts';
import { createChainWatcher, type ChainWatcher, type ChainWatcherOptions } from '../chain/watcher.ts';
import type { Live } from './durable.ts';
import { watchTargets, type ChainViews } from './observe.ts';
import type { SwapMeta } from './view.ts';

const BlockCount = z.number().int().nonnegative();

export interface SwapChainsDeps {
  coins: CoinTable;
  rpc(ticker: string): RpcClient;
  pollMs: number;
  log: Logger;
  /** A chain's watcher saw something new (`tipChanged`: a new block). */
  onChange(ticker: string, tipChanged: boolean): void;
  /** Test seam; the real watcher polls the daemon. */
  createWatcher?: (o: ChainWatcherOptions) => ChainWatcher;
}

export interface SwapChains {
  /** The coin's watcher, made (and started, once running) the first time it is asked for. */
  watcher(ticker: string): ChainWatcher;
  /** The tip as a watcher knows it, without making one (views). */
  tipHeight(ticker: string): number | undefined;
  /** The tip now, asked of the daemon; an unreachable daemon is an error. */
  freshHeight(ticker: string): Promise<number>;
  /** Both tips of a swap, or undefined while either chain is unknown. */
  heights(meta: SwapMeta): Heights | undefined;
  views(meta: SwapMeta): ChainViews;
  /** Tells the watchers what this swap's state needs looked for (idempotent). */
  watch(live: Live): void;
  /** The swap no longer needs anything watched. */
  forget(live: Live): void;
  start(): void;
  stop(): Promise<void>;
}

export function createSwapChains(d: SwapChainsDeps): SwapChains {
  const watchers = new Map<string, ChainWatcher>();
  const make = d.createWatcher ?? createChainWatcher;
  let running = false;

  function watcher(ticker: string): ChainWatcher {
    let w = watchers.get(ticker);
    if (w) return w;
    const coin = d.coins.get(ticker);
    w = make({ ticker, rpc: () => d.rpc(ticker), decimals: coin.decimals, pollMs: d.pollMs, log: d.log });
    w.onChange((c) => d.onChange(ticker, c.tipChanged));
    watchers.set(ticker, w);
    if (running) w.start();
    return w;
  }

  return {
    watcher,
    tipHeight: (ticker) => watchers.get(ticker)?.tip()?.height,
    async freshHeight(ticker) {
      // From the daemon, not the watcher: a watcher's tip is as old as its last poll, and a poll
      // that searches hundreds of blocks after a restart (a catch-up) can take a minute on a busy
      // machine. A deadline judged on it would be judged late, and funding waited on it.
      try {
        return await d.rpc(ticker).callAs(BlockCount, 'getblockcount', [], { wallet: false, retry: false });
      } catch (err) {
        throw new ApiError(
          'WALLET_UNREACHABLE',
          `The ${ticker} daemon does not answer (${errorText(err)}), so the swap cannot go on now.`,
          { ticker },
        );
      }
    },
    heights(meta) {
      const m = watcher(meta.tickers.makerChain).tip();
      const t = watcher(meta.tickers.takerChain).tip();
      return m && t ? { makerChain: m.height, takerChain: t.height } : undefined;
    },
    views: (meta) => ({ makerChain: watcher(meta.tickers.makerChain), takerChain: watcher(meta.tickers.takerChain) }),
    watch(live) {
      if (isTerminal(live.state)) return;
      const targets = watchTargets(live.state);
      for (const chain of ['makerChain', 'takerChain'] as const) {
        const t = targets[chain];
        if (t)
          watcher(live.context.tickers[chain]).setInterest(live.id, {
            ...t,
            fromHeight: live.context.startHeights[chain],
          });
      }
    },
    forget(live) {
      for (const t of new Set(Object.values(live.context.tickers))) watchers.get(t)?.clearInterest(live.id);
    },
    start() {
      running = true;
      for (const w of watchers.values()) w.start();
    },
    async stop() {
      running = false;
      await Promise.all([...watchers.values()].map((w) => w.stop()));
    },
  };
}
