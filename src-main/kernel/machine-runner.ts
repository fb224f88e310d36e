// A durable runner for pure state machines `(state, event) => { state, effects }`: each event that
// changes something is appended to a store with the new snapshot BEFORE its effects run, effects are
// idempotent, and on start every unfinished instance is replayed from its log and its resume effects
// run again, so a crash between storing and acting heals itself. Each instance has one serial queue.
// Komodo DeFi Framework's storable state machine is the model (store_event / get_unfinished /
// mark_finished); here the transitions stay pure and the runner does the I/O. It knows no domain.
import type { Logger } from './log.ts';
import { createSerialQueue, type SerialQueue } from './serial.ts';
import { sleep } from './time.ts';

export interface Step<S, F> {
  readonly state: S;
  readonly effects: readonly F[];
  /** Set when the machine refused the event: the state is unchanged and nothing runs. */
  readonly refused?: string;
}

export interface DurableMachine<S, E, F, C> {
  /** Pure: the same state and event always give the same step. */
  transition(state: S, event: E): Step<S, F>;
  /** What must be running for a state after a restart; every effect idempotent. */
  resumeEffects(state: S): readonly F[];
  /** A finished instance takes no more events and is retired. */
  finished(state: S): boolean;
  /** The state an instance's log starts from, given the facts it was created with. */
  initial(context: C): S;
  /** Canonical text of a state or an event: equal text, equal value (memo and no-change check). */
  encode(value: S | E): string;
}

/** What the store keeps as an instance's latest view: the machine state and the facts next to it. */
export interface Snapshot<S, C> {
  readonly state: S;
  readonly context: C;
  /** mark_finished, written in the same transaction as the finishing event. */
  readonly finished: boolean;
}

export interface StoredInstance<S, C> {
  readonly id: string;
  readonly state: S;
  readonly context: C;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface MachineStore<S, E, C> {
  /** store_event: appends the event and replaces the snapshot atomically. */
  append(id: string, event: E, snapshot: Snapshot<S, C>): void;
  /** get_unfinished: instances whose snapshot is not finished, oldest first. */
  unfinished(): readonly StoredInstance<S, C>[];
  /** The instance's events in the order they were appended. */
  events(id: string): readonly E[];
}

export interface Instance<S, C> {
  readonly id: string;
  /** Always the latest state: the runner updates the instance in place. */
  readonly state: S;
  readonly context: C;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface EffectRunner<S, F, C> {
  /**
   * Starts one effect of a stored step. Effects must be idempotent (a restart runs them again);
   * long work goes on in the background and comes back as an event through the instance's queue.
   */
  run(instance: Instance<S, C>, effect: F): void;
}

export interface RunnerOptions<S, E, F, C> {
  machine: DurableMachine<S, E, F, C>;
  store: MachineStore<S, E, C>;
  effects: EffectRunner<S, F, C>;
  log: Logger;
  now?: () => number;
  /** False for events never worth remembering as "changed nothing" (a clock tick differs each time). */
  memoize?(event: E): boolean;
  /** The facts kept next to the state after a step (e.g. the last notice to show). */
  contextAfter?(context: C, step: Step<S, F>, event: E): C;
  /** After a step is stored, before its effects run. */
  onStored?(instance: Instance<S, C>, event: E, before: S): void;
  /** After a step's effects have started. */
  afterStep?(instance: Instance<S, C>, before: S): void;
  /** Inside the instance's queue, after its resume effects started. */
  onResumed?(instance: Instance<S, C>): void;
  /** A finished instance stays live while this holds (a last message still to deliver). */
  holds?(instance: Instance<S, C>): boolean;
  onRetired?(instance: Instance<S, C>): void;
}

export interface MachineRunner<S, E, C> {
  /** Takes a new instance up; nothing is stored until its first event changes something. */
  create(id: string, state: S, context: C, times?: { createdAt: number; updatedAt: number }): Instance<S, C>;
  get(id: string): Instance<S, C> | undefined;
  /** The live instances (unfinished, or finished and still held). */
  instances(): Instance<S, C>[];
  readonly size: number;
  /** Feeds one event; call inside the instance's queue. True when it changed something. */
  apply(instance: Instance<S, C>, event: E): boolean;
  /** Runs a task in the instance's serial queue: nothing else of that instance runs meanwhile. */
  run<T>(instance: Instance<S, C>, task: () => T | Promise<T>): Promise<T>;
  /** `apply` inside the instance's queue. */
  send(instance: Instance<S, C>, event: E): Promise<boolean>;
  /** Replays every unfinished instance from its log and runs its resume effects; resolves when all did. */
  resume(): Promise<void>;
  /** Retires the instance if it is finished and nothing holds it. */
  settle(instance: Instance<S, C>): void;
  /** Resolves once every queue is idle, or after `timeoutMs`. */
  idle(timeoutMs: number): Promise<void>;
}

interface Live<S, C> {
  readonly id: string;
  state: S;
  context: C;
  readonly createdAt: number;
  updatedAt: number;
  readonly queue: SerialQueue;
  /** Events that changed nothing since the state last changed: the machine is pure, so they never will. */
  readonly memo: Set<string>;
}

export function createMachineRunner<S, E, F, C>(o: RunnerOptions<S, E, F, C>): MachineRunner<S, E, C> {
  const { machine, store } = o;
  const now = o.now ?? Date.now;
  const lives = new Map<string, Live<S, C>>();
  // Every instance handed out is a Live; a retired one keeps its queue and refuses events (finished).
  const own = (instance: Instance<S, C>): Live<S, C> => instance as Live<S, C>;

  function create(id: string, state: S, context: C, times?: { createdAt: number; updatedAt: number }): Live<S, C> {
    const t = now();
    const live: Live<S, C> = {
      id,
      state,
      context,
      createdAt: times?.createdAt ?? t,
      updatedAt: times?.updatedAt ?? t,
      queue: createSerialQueue(),
      memo: new Set(),
    };
    lives.set(id, live);
    return live;
  }

  function apply(instance: Instance<S, C>, event: E): boolean {
    const live = own(instance);
    const step = decide(o, live, event);
    if (!step) return false;
    const before = live.state;
    const context = o.contextAfter ? o.contextAfter(live.context, step, event) : live.context;
    store.append(live.id, event, { state: step.state, context, finished: machine.finished(step.state) });
    live.state = step.state;
    live.context = context;
    live.memo.clear();
    live.updatedAt = now();
    o.onStored?.(live, event, before);
    for (const effect of step.effects) o.effects.run(live, effect);
    o.afterStep?.(live, before);
    settle(live);
    return true;
  }

  function settle(instance: Instance<S, C>): void {
    const live = lives.get(instance.id);
    if (live !== instance || !machine.finished(live.state) || o.holds?.(live)) return;
    lives.delete(live.id);
    o.onRetired?.(live);
  }

  return {
    create,
    get: (id) => lives.get(id),
    instances: () => [...lives.values()],
    get size() {
      return lives.size;
    },
    apply,
    run: (instance, task) => own(instance).queue.run(task),
    send: (instance, event) => own(instance).queue.run(() => apply(instance, event)),
    async resume() {
      const taken: Live<S, C>[] = [];
      for (const stored of store.unfinished()) {
        if (lives.has(stored.id)) continue;
        taken.push(create(stored.id, replay(o, stored), stored.context, stored));
      }
      await Promise.all(taken.map((live) => resumeOne(o, live)));
    },
    settle,
    async idle(timeoutMs) {
      await Promise.race([Promise.all([...lives.values()].map((l) => l.queue.idle())), sleep(timeoutMs)]);
    },
  };
}

/**
 * The machine's step for an event, or undefined when there is nothing to store: the instance has
 * finished, the machine refused the event, or it changed nothing (remembered, so it is not asked again).
 */
function decide<S, E, F, C>(o: RunnerOptions<S, E, F, C>, live: Live<S, C>, event: E): Step<S, F> | undefined {
  const { machine } = o;
  if (machine.finished(live.state)) return undefined;
  const memoKey = (o.memoize?.(event) ?? true) ? machine.encode(event) : undefined;
  if (memoKey !== undefined && live.memo.has(memoKey)) return undefined;
  const step = machine.transition(live.state, event);
  const unchanged = step.effects.length === 0 && machine.encode(step.state) === machine.encode(live.state);
  if (step.refused === undefined && !unchanged) return step;
  if (memoKey !== undefined) live.memo.add(memoKey);
  return undefined;
}

/** The state an instance's log leads to; the log is the truth, a snapshot only a shortcut. */
function replay<S, E, F, C>(o: RunnerOptions<S, E, F, C>, stored: StoredInstance<S, C>): S {
  let state = o.machine.initial(stored.context);
  for (const e of o.store.events(stored.id)) state = o.machine.transition(state, e).state;
  if (o.machine.encode(state) !== o.machine.encode(stored.state))
    o.log.warn('a snapshot disagrees with its log; the log wins', { id: stored.id });
  return state;
}

async function resumeOne<S, E, F, C>(o: RunnerOptions<S, E, F, C>, live: Live<S, C>): Promise<void> {
  try {
    await live.queue.run(() => {
      for (const effect of o.machine.resumeEffects(live.state)) o.effects.run(live, effect);
      o.onResumed?.(live);
    });
  } catch (err) {
    o.log.error('resuming failed', {
      id: live.id,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
  }
}
