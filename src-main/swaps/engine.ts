// The swap engine: runs the pure maker/taker machines (src-shared/swaps) against real chains,
// wallets and peers on the kernel's durable runner (every event stored BEFORE its effects run;
// effects idempotent; unfinished swaps replayed and resumed on start; one serial queue per swap).
// This file only wires the parts that live next to it; docs/swap.md §8 "The engine" describes them.
import { ApiError } from '../../src-shared/api/errors.ts';
import { createCoinTable } from '../../src-shared/coins/table.ts';
import { newBreach } from '../../src-shared/swaps/rules.ts';
import { isTerminal, type SwapEvent, type SwapState } from '../../src-shared/swaps/types.ts';
import { errorText } from '../kernel/log.ts';
import { createSerialQueue } from '../kernel/serial.ts';
import { createAllowances } from './allowances.ts';
import { createSwapChains } from './chains.ts';
import { backgroundOf, createSwapRunner, type Live } from './durable.ts';
import { createSwapEffects } from './effects.ts';
import type { SwapEngine, SwapEngineDeps } from './engine-types.ts';
import { createEvaluation } from './evaluate.ts';
import { createFunding } from './funding.ts';
import { createIntake } from './intake.ts';
import { createOutbox } from './outbox.ts';
import { createProposer } from './propose.ts';
import { SWAP_PROTOCOL } from './protocol.ts';
import { createSwapQueries } from './queries.ts';
import { deriveSwapSecret } from './secret.ts';
import { createSpends } from './spends.ts';

export type {
  AllowInput,
  StartSwapInput,
  SwapEngine,
  SwapEngineDeps,
  SwapEngineStats,
  SwapLeg,
} from './engine-types.ts';

/** Every this many wall-clock ticks, retry what waits on someone else (a peer back, a daemon restarted). */
const RETRY_EVERY_TICKS = 10;
/** How long stop() waits for each swap's queue to drain. */
const STOP_WAIT_MS = 5000;

export function createSwapEngine(d: SwapEngineDeps): SwapEngine {
  const now = d.now ?? Date.now;
  const { log, repo, settings, vault, wallets, p2p, crashAt } = d;
  const coins = createCoinTable(d.coins);
  const background = backgroundOf(log);
  const creation = createSerialQueue();
  const confirmationsFor = (ticker: string): number =>
    d.confirmations?.(ticker) ?? coins.get(ticker).defaultConfirmations;
  const isRunning = (): boolean => running;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let ticks = 0;

  const chains = createSwapChains({
    coins,
    rpc: (t) => wallets.rpc(t),
    pollMs: d.pollMs ?? 1000,
    log,
    onChange,
    ...(d.chainWatcher ? { createWatcher: d.chainWatcher } : {}),
  });
  const runner = createSwapRunner({
    repo,
    log,
    now,
    ...(crashAt ? { crashAt } : {}),
    // The parts below are made after the runner they report to; effects reach them once running.
    effects: { run: (live, e) => effects.run(live, e) },
    afterStep,
    onResumed(live) {
      chains.watch(live);
      evaluation.evaluateNow(live);
    },
    holds: (live) => outbox.busy(live),
    onRetired: (live) => chains.forget(live),
  });
  const evaluation = createEvaluation({ runner, chains, now, background });
  const report = (live: Live, e: SwapEvent): Promise<void> =>
    runner.run(live, () => {
      runner.apply(live, e);
      evaluation.evaluateNow(live);
    });
  const outbox = createOutbox({
    p2p,
    log,
    background,
    isRunning,
    send: runner.send,
    settle: runner.settle,
    ...(d.banMs !== undefined ? { banMs: d.banMs } : {}),
  });
  const funding = createFunding({
    coins,
    wallets,
    freshHeight: chains.freshHeight,
    report,
    isRunning,
    log,
    ...(crashAt ? { crashAt } : {}),
  });
  const spends = createSpends({
    coins,
    wallets,
    vault,
    watcher: chains.watcher,
    ownSecret: (swapId) => deriveSwapSecret(vault, swapId),
    report: runner.send,
    isRunning,
    log,
    background,
    ...(crashAt ? { crashAt } : {}),
  });
  const effects = createSwapEffects({ outbox, funding, spends, chains, log, background });
  const allowances = createAllowances({ settings, coins, log, now });
  const queries = createSwapQueries({ coins, runner, repo, chains });
  const shared = { coins, runner, repo, settings, vault, wallets, chains, outbox, creation, confirmationsFor, now };
  const intake = createIntake({ ...shared, allowances, evaluateNow: evaluation.evaluateNow, log });
  const proposer = createProposer({ ...shared, p2p });

  function afterStep(live: Live, before: SwapState): void {
    const breach = newBreach(before, live.state);
    if (breach !== undefined) outbox.punishAfterSend(live, `its HTLC was wrong (${breach})`);
    chains.watch(live);
    spends.prune(live);
    try {
      d.onUpdate?.(queries.summary(live));
    } catch (err) {
      log.warn('swap update listener failed', { error: errorText(err) });
    }
  }

  function onChange(ticker: string, tipChanged: boolean): void {
    for (const live of runner.instances()) {
      if (live.context.tickers.makerChain !== ticker && live.context.tickers.takerChain !== ticker) continue;
      background(evaluation.evaluate(live), 'evaluation', live.id);
      if (tipChanged) spends.onTip(live, ticker);
    }
  }

  function wallTick(): void {
    ticks += 1;
    for (const live of runner.instances()) {
      background(evaluation.evaluate(live), 'evaluation', live.id);
      if (ticks % RETRY_EVERY_TICKS !== 0) continue;
      background(outbox.pump(live), 'sending', live.id);
      spends.retry(live);
    }
    allowances.expire();
  }

  return {
    async start() {
      if (running) return;
      running = true;
      await p2p.handleRequest(SWAP_PROTOCOL, (req, ctx) => intake.onMessage(req, ctx));
      chains.start();
      background(runner.resume(), 'resume');
      timer = setInterval(wallTick, d.tickMs ?? 1000);
      timer.unref();
    },

    async stop() {
      running = false;
      clearInterval(timer);
      await chains.stop();
      await runner.idle(STOP_WAIT_MS);
    },

    startSwap: async (p) => queries.summary(await proposer.startSwap(p)),
    allow: (p) => allowances.add(p),

    async abort(swapId, reason = 'stopped by the user') {
      const live = runner.get(swapId);
      if (!live || isTerminal(live.state)) {
        if (repo.get(swapId)) throw new ApiError('CONFLICT', 'This swap has already finished.');
        throw new ApiError('NOT_FOUND', `No swap ${swapId}.`);
      }
      if (!(await runner.send(live, { type: 'Abort', reason })))
        throw new ApiError('CONFLICT', `The swap cannot be stopped now (${live.state.phase}): it must finish.`);
      return queries.summary(live);
    },

    list: () => queries.list(),
    get: (swapId) => queries.get(swapId),
    lockedAmount: (ticker) => queries.lockedAmount(ticker),

    stats() {
      const cpu = process.cpuUsage();
      return { cpuUserMicros: cpu.user, cpuSystemMicros: cpu.system, liveSwaps: runner.size };
    },
  };
}
