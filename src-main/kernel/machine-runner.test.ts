import { describe, expect, it, vi } from 'vitest';
import { silentLogger, type Logger } from './log.ts';
import {
  createMachineRunner,
  type DurableMachine,
  type EffectRunner,
  type MachineStore,
  type RunnerOptions,
  type Snapshot,
  type StoredInstance,
} from './machine-runner.ts';

// A toy machine: a tally that counts up to a goal. Adding announces the new total; reaching the goal
// finishes it with a farewell. Adding 0 changes nothing; a tick never does.
interface Tally {
  readonly n: number;
  readonly done: boolean;
}
type TallyEvent = { type: 'add'; by: number } | { type: 'tick'; at: number };
type TallyEffect = { kind: 'announce'; n: number } | { kind: 'farewell' };
interface Facts {
  readonly goal: number;
  readonly start: number;
  readonly last?: number;
}

function tallyMachine(goal: number): DurableMachine<Tally, TallyEvent, TallyEffect, Facts> {
  return {
    transition(s, e) {
      if (s.done) return { state: s, effects: [], refused: 'finished' };
      if (e.type === 'tick' || e.by === 0) return { state: { ...s }, effects: [] };
      if (e.by < 0) return { state: s, effects: [], refused: 'a tally only counts up' };
      const n = s.n + e.by;
      return n >= goal
        ? { state: { n, done: true }, effects: [{ kind: 'farewell' }] }
        : { state: { n, done: false }, effects: [{ kind: 'announce', n }] };
    },
    resumeEffects: (s) => (s.n > 0 && !s.done ? [{ kind: 'announce', n: s.n }] : []),
    finished: (s) => s.done,
    initial: (c) => ({ n: c.start, done: false }),
    encode: (v) => JSON.stringify(v),
  };
}

interface Row {
  events: TallyEvent[];
  snapshot: Snapshot<Tally, Facts>;
  createdAt: number;
  updatedAt: number;
}

function memoryStore(): MachineStore<Tally, TallyEvent, Facts> & { rows: Map<string, Row> } {
  const rows = new Map<string, Row>();
  return {
    rows,
    append(id, event, snapshot) {
      const row = rows.get(id) ?? { events: [], snapshot, createdAt: 1, updatedAt: 1 };
      row.events.push(event);
      row.snapshot = snapshot;
      rows.set(id, row);
    },
    unfinished: () =>
      [...rows.entries()]
        .filter(([, r]) => !r.snapshot.finished)
        .map(([id, r]): StoredInstance<Tally, Facts> => ({ id, ...r.snapshot, createdAt: r.createdAt, updatedAt: 2 })),
    events: (id) => rows.get(id)?.events ?? [],
  };
}

type Opts = RunnerOptions<Tally, TallyEvent, TallyEffect, Facts>;
type Ran = { id: string; effect: TallyEffect; storedEvents: number };

function setup(over: Partial<Opts> = {}, store = memoryStore()) {
  const ran: Ran[] = [];
  const effects: EffectRunner<Tally, TallyEffect, Facts> = {
    run: (inst, effect) => ran.push({ id: inst.id, effect, storedEvents: store.rows.get(inst.id)?.events.length ?? 0 }),
  };
  const machine = tallyMachine(10);
  const transition = vi.spyOn(machine, 'transition');
  const runner = createMachineRunner<Tally, TallyEvent, TallyEffect, Facts>({
    machine,
    store,
    effects,
    log: silentLogger,
    memoize: (e) => e.type !== 'tick',
    ...over,
  });
  return { runner, store, ran, transition };
}

const facts: Facts = { goal: 10, start: 0 };
const fresh: Tally = { n: 0, done: false };

describe('durable machine runner', () => {
  it('stores the event and the snapshot before the effects of that step run', async () => {
    const { runner, store, ran } = setup();
    const t = runner.create('a', fresh, facts);
    expect(await runner.send(t, { type: 'add', by: 3 })).toBe(true);
    expect(ran).toEqual([{ id: 'a', effect: { kind: 'announce', n: 3 }, storedEvents: 1 }]);
    expect(store.rows.get('a')?.snapshot).toEqual({ state: { n: 3, done: false }, context: facts, finished: false });
    expect(t.state).toEqual({ n: 3, done: false });
  });

  it('calls onStored after the append and before the effects, afterStep after them', async () => {
    const order: string[] = [];
    const { runner, store } = setup({
      effects: { run: () => order.push('effect') },
      onStored: (_i, e, before) =>
        order.push(`stored ${store.rows.get('a')?.events.length} ${e.type} from ${before.n}`),
      afterStep: () => order.push('after'),
    });
    await runner.send(runner.create('a', fresh, facts), { type: 'add', by: 2 });
    expect(order).toEqual(['stored 1 add from 0', 'effect', 'after']);
  });

  it('keeps the facts a step derives next to the state in the same append', async () => {
    const { runner, store } = setup({ contextAfter: (c, step) => ({ ...c, last: step.state.n }) });
    const t = runner.create('a', fresh, facts);
    await runner.send(t, { type: 'add', by: 4 });
    expect(t.context.last).toBe(4);
    expect(store.rows.get('a')?.snapshot.context).toEqual({ ...facts, last: 4 });
  });

  it('stores nothing for a refused event or one that changed nothing', async () => {
    const { runner, store, ran } = setup();
    const t = runner.create('a', fresh, facts);
    expect(await runner.send(t, { type: 'add', by: -1 })).toBe(false);
    expect(await runner.send(t, { type: 'add', by: 0 })).toBe(false);
    expect(await runner.send(t, { type: 'tick', at: 1 })).toBe(false);
    expect(store.rows.has('a')).toBe(false);
    expect(ran).toEqual([]);
  });

  it('remembers an event that changed nothing and does not ask the machine again until the state changes', async () => {
    const { runner, transition } = setup();
    const t = runner.create('a', fresh, facts);
    await runner.send(t, { type: 'add', by: 0 });
    await runner.send(t, { type: 'add', by: 0 });
    await runner.send(t, { type: 'add', by: -1 });
    await runner.send(t, { type: 'add', by: -1 });
    expect(transition).toHaveBeenCalledTimes(2);
    await runner.send(t, { type: 'add', by: 1 });
    await runner.send(t, { type: 'add', by: 0 });
    expect(transition).toHaveBeenCalledTimes(4);
  });

  it('never remembers events the options say not to (a tick carries a new time each time)', async () => {
    const { runner, transition } = setup();
    const t = runner.create('a', fresh, facts);
    await runner.send(t, { type: 'tick', at: 5 });
    await runner.send(t, { type: 'tick', at: 5 });
    expect(transition).toHaveBeenCalledTimes(2);
  });

  it('retires a finished instance and takes no more events for it', async () => {
    const retired: string[] = [];
    const { runner, store, ran } = setup({ onRetired: (i) => retired.push(i.id) });
    const t = runner.create('a', fresh, facts);
    await runner.send(t, { type: 'add', by: 12 });
    expect(store.rows.get('a')?.snapshot.finished).toBe(true);
    expect(ran.map((r) => r.effect.kind)).toEqual(['farewell']);
    expect(runner.get('a')).toBeUndefined();
    expect(retired).toEqual(['a']);
    expect(await runner.send(t, { type: 'add', by: 1 })).toBe(false);
    expect(store.rows.get('a')?.events).toHaveLength(1);
  });

  it('keeps a finished instance while something holds it, and retires it when settled after', async () => {
    let holding = true;
    const { runner } = setup({ holds: () => holding });
    const t = runner.create('a', fresh, facts);
    await runner.send(t, { type: 'add', by: 12 });
    expect(runner.get('a')).toBe(t);
    runner.settle(t);
    expect(runner.get('a')).toBe(t);
    holding = false;
    runner.settle(t);
    expect(runner.get('a')).toBeUndefined();
  });

  it('does not retire an unfinished instance when settled', () => {
    const { runner } = setup();
    const t = runner.create('a', fresh, facts);
    runner.settle(t);
    expect(runner.get('a')).toBe(t);
  });

  it('resumes unfinished instances from their log and runs their resume effects, then the resume hook', async () => {
    const store = memoryStore();
    const first = setup({}, store);
    const a = first.runner.create('a', fresh, { goal: 10, start: 1 });
    await first.runner.send(a, { type: 'add', by: 2 });
    await first.runner.send(a, { type: 'add', by: 3 });
    await first.runner.send(first.runner.create('b', fresh, facts), { type: 'add', by: 10 });

    const resumed: string[] = [];
    const second = setup({ onResumed: (i) => resumed.push(`${i.id} at ${i.state.n}`) }, store);
    await second.runner.resume();
    expect(second.runner.instances().map((i) => i.id)).toEqual(['a']);
    expect(second.runner.get('a')?.state).toEqual({ n: 6, done: false });
    expect(second.runner.get('a')?.createdAt).toBe(1);
    expect(second.ran).toEqual([{ id: 'a', effect: { kind: 'announce', n: 6 }, storedEvents: 2 }]);
    expect(resumed).toEqual(['a at 6']);
  });

  it('trusts the log over a snapshot that disagrees, and says so', async () => {
    const store = memoryStore();
    store.rows.set('a', {
      events: [{ type: 'add', by: 2 }],
      snapshot: { state: { n: 7, done: false }, context: facts, finished: false },
      createdAt: 1,
      updatedAt: 1,
    });
    const log: Logger = { ...silentLogger, warn: vi.fn() };
    const { runner } = setup({ log }, store);
    await runner.resume();
    expect(runner.get('a')?.state).toEqual({ n: 2, done: false });
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('log wins'), { id: 'a' });
  });

  it('does not take up twice an instance that is already live', async () => {
    const store = memoryStore();
    const { runner, ran } = setup({}, store);
    const t = runner.create('a', fresh, facts);
    await runner.send(t, { type: 'add', by: 2 });
    await runner.resume();
    expect(runner.get('a')).toBe(t);
    expect(ran).toHaveLength(1);
  });

  it('runs the effect again on resume after a crash between the append and the effect', async () => {
    const store = memoryStore();
    const crashing = setup(
      {
        effects: {
          run: () => {
            throw new Error('process killed');
          },
        },
      },
      store,
    );
    await expect(
      crashing.runner.send(crashing.runner.create('a', fresh, facts), { type: 'add', by: 4 }),
    ).rejects.toThrow('process killed');
    expect(store.rows.get('a')?.events).toEqual([{ type: 'add', by: 4 }]);

    const restarted = setup({}, store);
    await restarted.runner.resume();
    expect(restarted.ran).toEqual([{ id: 'a', effect: { kind: 'announce', n: 4 }, storedEvents: 1 }]);
  });

  it('logs a resume that fails and still takes up the others', async () => {
    const store = memoryStore();
    const first = setup({}, store);
    await first.runner.send(first.runner.create('a', fresh, facts), { type: 'add', by: 1 });
    await first.runner.send(first.runner.create('b', fresh, facts), { type: 'add', by: 2 });
    const log: Logger = { ...silentLogger, error: vi.fn() };
    const second = setup(
      {
        log,
        onResumed: (i) => {
          if (i.id === 'a') throw new Error('chain gone');
        },
      },
      store,
    );
    await second.runner.resume();
    expect(second.ran.map((r) => r.id)).toEqual(['a', 'b']);
    expect(log.error).toHaveBeenCalledWith('resuming failed', expect.objectContaining({ id: 'a' }));
  });

  it('runs the tasks of one instance one at a time, while another instance goes on', async () => {
    const { runner } = setup();
    const a = runner.create('a', fresh, facts);
    const b = runner.create('b', fresh, facts);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = runner.run(a, async () => {
      order.push('a1 start');
      await gate;
      order.push('a1 end');
    });
    const queued = runner.send(a, { type: 'add', by: 1 }).then(() => order.push('a2'));
    await runner.run(b, () => order.push('b1'));
    expect(order).toEqual(['a1 start', 'b1']);
    release();
    await Promise.all([slow, queued]);
    expect(order).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
    expect(a.state).toEqual({ n: 1, done: false });
  });

  it('waits for running tasks when asked to be idle, but not past the timeout', async () => {
    const { runner } = setup();
    const a = runner.create('a', fresh, facts);
    let finished = false;
    void runner.run(a, async () => {
      await new Promise((r) => setTimeout(r, 20));
      finished = true;
    });
    await runner.idle(1000);
    expect(finished).toBe(true);
    void runner.run(a, () => new Promise(() => undefined));
    const t0 = Date.now();
    await runner.idle(30);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
