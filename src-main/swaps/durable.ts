// The swap machines on the kernel's durable runner: the pure maker/taker machine as a
// DurableMachine, the swap repository as its store (event + snapshot in one SQLite transaction),
// the last notice kept in the swap's meta, and the named steps tests crash at.
import { resumeEffects, transition } from '../../src-shared/swaps/machine.ts';
import { isTerminal, type Effect, type SwapEvent, type SwapState } from '../../src-shared/swaps/types.ts';
import type { Logger } from '../kernel/log.ts';
import {
  createMachineRunner,
  type DurableMachine,
  type EffectRunner,
  type Instance,
  type MachineRunner,
  type MachineStore,
  type Step,
} from '../kernel/machine-runner.ts';
import { toJson } from '../store/index.ts';
import type { SwapRepo } from './repo.ts';
import { feeChildOf, initialState, type Notice, type SwapMeta, type SwapRecord } from './view.ts';

/** One swap as the engine holds it: the latest machine state and the engine's facts (meta). */
export type Live = Instance<SwapState, SwapMeta>;
export type SwapRunner = MachineRunner<SwapState, SwapEvent, SwapMeta>;

export const swapMachine: DurableMachine<SwapState, SwapEvent, Effect, SwapMeta> = {
  transition,
  resumeEffects,
  finished: isTerminal,
  initial: (meta) => initialState(meta.role),
  encode: toJson,
};

export function swapStore(repo: SwapRepo): MachineStore<SwapState, SwapEvent, SwapMeta> {
  return {
    append(id, event, snap) {
      const data: SwapRecord = { state: snap.state, meta: snap.context };
      repo.appendEventAndUpdate(
        id,
        { type: event.type, payload: event },
        { swapId: id, role: snap.context.role, state: snap.state.phase, terminal: snap.finished, data },
      );
    },
    unfinished: () =>
      repo.unfinished().map((s) => {
        const record = s.data as SwapRecord;
        return {
          id: s.swapId,
          state: record.state,
          context: record.meta,
          createdAt: s.createdAt,
          updatedAt: s.updatedAt,
        };
      }),
    // The fee-child notes in the log are not the machine's events (view.ts lists them).
    events: (id) =>
      repo
        .events(id)
        .filter((e) => feeChildOf(e) === undefined)
        .map((e) => e.payload as SwapEvent),
  };
}

/** The last notice a step gave is kept in the meta, so a list shows it without reading the log. */
export function metaAfter(meta: SwapMeta, step: Step<SwapState, Effect>): SwapMeta {
  const notice = [...step.effects].reverse().find((e): e is Extract<Effect, { type: 'Notify' }> => e.type === 'Notify');
  if (!notice) return meta;
  return { ...meta, notice: { level: notice.level, code: notice.code, message: notice.message } satisfies Notice };
}

/** Runs a task in the background: a failure is logged, never an unhandled rejection (which ends the process). */
export type Background = (task: Promise<unknown>, what: string, swapId?: string) => void;

export function backgroundOf(log: Logger): Background {
  return (task, what, swapId) => {
    task.catch((err: unknown) =>
      log.error(`swap engine: ${what} failed`, {
        ...(swapId ? { swapId } : {}),
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      }),
    );
  };
}

export interface SwapRunnerDeps {
  repo: SwapRepo;
  log: Logger;
  now?: () => number;
  effects: EffectRunner<SwapState, Effect, SwapMeta>;
  /** After a step's effects started: interests, breach, listeners. */
  afterStep(live: Live, before: SwapState): void;
  /** After a resumed swap's effects started. */
  onResumed(live: Live): void;
  /** A finished swap stays while a last message (the abort) waits to go out. */
  holds(live: Live): boolean;
  onRetired(live: Live): void;
  /** Test hook: after-event:<type> and enter:<phase>, once the event is stored, before its effects. */
  crashAt?: (point: string) => void;
}

export function createSwapRunner(d: SwapRunnerDeps): SwapRunner {
  return createMachineRunner<SwapState, SwapEvent, Effect, SwapMeta>({
    machine: swapMachine,
    store: swapStore(d.repo),
    effects: d.effects,
    log: d.log,
    ...(d.now ? { now: d.now } : {}),
    // A tick carries a new wall-clock time each time: remembering it would only grow the memo.
    memoize: (e) => e.type !== 'TimerTick',
    contextAfter: (meta, step) => metaAfter(meta, step),
    onStored(live, event, before) {
      d.crashAt?.(`after-event:${event.type}`);
      if (live.state.phase === before.phase) return;
      d.log.info('swap step', {
        swapId: live.id,
        role: live.context.role,
        event: event.type,
        from: before.phase,
        to: live.state.phase,
      });
      d.crashAt?.(`enter:${live.state.phase}`);
    },
    afterStep: (live, before) => d.afterStep(live, before),
    onResumed(live) {
      d.log.info('resuming swap', { swapId: live.id, role: live.context.role, state: live.state.phase });
      d.onResumed(live);
    },
    holds: (live) => d.holds(live),
    onRetired: (live) => d.onRetired(live),
  });
}
