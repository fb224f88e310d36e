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
import { createAllowances, type Allowances } from './allowances.ts';
import { createSwapChains, type SwapChains } from './chains.ts';
import { backgroundOf, createSwapRunner, type Background, type Live, type SwapRunner } from './durable.ts';
import { createSwapEffects } from './effects.ts';
import type { SwapEngine, SwapEngineDeps } from './engine-types.ts';
import { createEvaluation, type Evaluation } from './evaluate.ts';
import { createFunding } from './funding.ts';
import { createIntake, type Intake } from './intake.ts';
import { createOutbox, type Outbox } from './outbox.ts';
import { createProposer, type Proposer } from './propose.ts';
import { SWAP_PROTOCOL } from './protocol.ts';
import { createSwapQueries, type SwapQueries } from './queries.ts';
import { deriveSwapSecret } from './secret.ts';
import { createSpends, type Spends } from './spends.ts';

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
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let ticks = 0;
  const p = assemble(d, () => running);

  function wallTick(): void {
    ticks += 1;
    for (const live of p.runner.instances()) {
      p.background(p.evaluation.evaluate(live), 'evaluation', live.id);
      if (ticks % RETRY_EVERY_TICKS !== 0) continue;
      p.background(p.outbox.pump(live), 'sending', live.id);
      p.spends.retry(live);
    }
    p.allowances.expire();
  }

  return {
    async start() {
      if (running) return;
      running = true;
      await d.p2p.handleRequest(SWAP_PROTOCOL, (req, ctx) => p.intake.onMessage(req, ctx), { overRelay: true });
      p.chains.start();
      p.background(p.runner.resume(), 'resume');
      timer = setInterval(wallTick, d.tickMs ?? 1000);
      timer.unref();
    },

    async stop() {
      running = false;
      clearInterval(timer);
      await p.chains.stop();
      await p.runner.idle(STOP_WAIT_MS);
    },

    startSwap: async (s) => p.queries.summary(await p.proposer.startSwap(s)),
    allow: (a) => p.allowances.add(a),

    async abort(swapId, reason = 'stopped by the user') {
      const live = p.runner.get(swapId);
      if (!live || isTerminal(live.state)) {
        if (d.repo.get(swapId)) throw new ApiError('CONFLICT', 'This swap has already finished.');
        throw new ApiError('NOT_FOUND', `No swap ${swapId}.`);
      }
      if (!(await p.runner.send(live, { type: 'Abort', reason })))
        throw new ApiError('CONFLICT', `The swap cannot be stopped now (${live.state.phase}): it must finish.`);
      return p.queries.summary(live);
    },

    list: () => p.queries.list(),
    get: (swapId) => p.queries.get(swapId),
    lockedAmount: (ticker) => p.queries.lockedAmount(ticker),
    feeCap: (ticker) => d.feeCap?.(ticker),

    stats() {
      const cpu = process.cpuUsage();
      return { cpuUserMicros: cpu.user, cpuSystemMicros: cpu.system, liveSwaps: p.runner.size };
    },
  };
}

interface Parts {
  readonly background: Background;
  readonly runner: SwapRunner;
  readonly chains: SwapChains;
  readonly evaluation: Evaluation;
  readonly outbox: Outbox;
  readonly spends: Spends;
  readonly allowances: Allowances;
  readonly queries: SwapQueries;
  readonly intake: Intake;
  readonly proposer: Proposer;
}

/** Tells the API's listeners the swap changed (its page refetches the detail). */
function notifyUpdate(d: SwapEngineDeps, queries: SwapQueries, live: Live): void {
  try {
    d.onUpdate?.(queries.summary(live));
  } catch (err) {
    d.log.warn('swap update listener failed', { error: errorText(err) });
  }
}

/** Makes the parts and connects them; the runner is made first, so its hooks reach the others once running. */
function assemble(d: SwapEngineDeps, isRunning: () => boolean): Parts {
  const now = d.now ?? Date.now;
  const { log, repo, settings, vault, wallets, p2p } = d;
  const coins = createCoinTable(d.coins);
  const background = backgroundOf(log);
  const confirmationsFor = (ticker: string): number =>
    d.confirmations?.(ticker) ?? coins.get(ticker).defaultConfirmations;
  const crash = d.crashAt ? { crashAt: d.crashAt } : {};

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
    ...crash,
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
  const banMs = d.banMs !== undefined ? { banMs: d.banMs } : {};
  const outbox = createOutbox({ p2p, log, background, isRunning, send: runner.send, settle: runner.settle, ...banMs });
  const io = { coins, wallets, isRunning, log, ...crash };
  const funding = createFunding({ ...io, freshHeight: chains.freshHeight, report });
  const ownSecret = (swapId: string): Uint8Array => deriveSwapSecret(vault, swapId);
  const spends = createSpends({
    ...io,
    vault,
    watcher: chains.watcher,
    freshHeight: chains.freshHeight,
    ...(d.feeCap ? { feeCap: d.feeCap } : {}),
    ownSecret,
    report: runner.send,
    noteChild: (live, note) => {
      repo.appendEvent(live.id, note.type, note);
      notifyUpdate(d, queries, live);
    },
    background,
  });
  const effects = createSwapEffects({ outbox, funding, spends, chains, log, background });
  const allowances = createAllowances({ settings, coins, log, now });
  const queries = createSwapQueries({ coins, runner, repo, chains });
  const shared = { coins, runner, repo, settings, vault, wallets, chains, outbox, confirmationsFor, now };
  const creation = createSerialQueue();
  const intake = createIntake({ ...shared, creation, allowances, evaluateNow: evaluation.evaluateNow, log });
  const proposer = createProposer({ ...shared, creation, p2p });

  function afterStep(live: Live, before: SwapState): void {
    const breach = newBreach(before, live.state);
    if (breach !== undefined) outbox.punishAfterSend(live, `its HTLC was wrong (${breach})`);
    chains.watch(live);
    spends.prune(live);
    notifyUpdate(d, queries, live);
  }

  function onChange(ticker: string, tipChanged: boolean): void {
    for (const live of runner.instances()) {
      if (live.context.tickers.makerChain !== ticker && live.context.tickers.takerChain !== ticker) continue;
      background(evaluation.evaluate(live), 'evaluation', live.id);
      if (tipChanged) spends.onTip(live, ticker);
    }
  }

  return { background, runner, chains, evaluation, outbox, spends, allowances, queries, intake, proposer };
}
