// The swap machine on the durable runner, against a real SQLite swap repository: what is stored for
// a step, the notice kept in the meta, the crash points, and a resume from the log after a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makerStarted, takerAccepted, takerStarted, NOW } from '../../src-shared/swaps/testkit.ts';
import type { Effect } from '../../src-shared/swaps/types.ts';
import { openTestStore } from '../core/test-store.ts';
import { createSwapRunner, metaAfter, swapStore, type Live, type SwapRunnerDeps } from './durable.ts';
import { createSwapRepo, type SwapRepo } from './repo.ts';
import { metaFor, recordingLog, settle } from './testkit.ts';
import type { SwapRecord } from './view.ts';

let dir: string;
let db: Database;
let repo: SwapRepo;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hashlock-swap-durable-'));
  db = openTestStore(join(dir, 'node.sqlite'));
  repo = createSwapRepo(db);
});
afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function runnerWith(over: Partial<SwapRunnerDeps> = {}) {
  const effects: Array<{ id: string; effect: Effect; storedEvents: number }> = [];
  const trail: string[] = [];
  const log = recordingLog();
  const runner = createSwapRunner({
    repo,
    log,
    now: () => 5000,
    effects: {
      run: (live, effect) => effects.push({ id: live.id, effect, storedEvents: repo.events(live.id).length }),
    },
    afterStep: (live, before) => trail.push(`after ${before.phase}->${live.state.phase}`),
    onResumed: (live) => trail.push(`resumed ${live.id} ${live.state.phase}`),
    holds: () => false,
    onRetired: (live) => trail.push(`retired ${live.id}`),
    crashAt: (point) => trail.push(point),
    ...over,
  });
  return { runner, effects, trail, log };
}

const makerMeta = metaFor('maker');

describe('the swap machine on the durable runner', () => {
  it('stores the event and the snapshot row (role, phase, not finished, state and meta) before the proposal is sent', async () => {
    const { runner, effects } = runnerWith();
    const live = runner.create('swap-1', { role: 'maker', phase: 'new' }, makerMeta);
    expect(await runner.send(live, makerStarted)).toBe(true);
    expect(effects.map((e) => [e.effect.type, e.storedEvents])).toEqual([['SendMessage', 1]]);
    const row = repo.get('swap-1')!;
    expect(row).toMatchObject({ role: 'maker', state: 'proposed', terminal: false });
    expect((row.data as SwapRecord).state).toEqual(live.state);
    expect((row.data as SwapRecord).meta).toEqual(makerMeta);
    expect(repo.events('swap-1').map((e) => e.payload)).toEqual([makerStarted]);
    expect(live.updatedAt).toBe(5000);
  });

  it('crashes at after-event:<type> for every stored step and at enter:<phase> only when the phase changes', async () => {
    const { runner, trail } = runnerWith();
    const live = runner.create('swap-1', { role: 'maker', phase: 'new' }, makerMeta);
    await runner.send(live, makerStarted);
    await runner.send(live, takerAccepted);
    await runner.send(live, { type: 'TimerTick', heights: { makerChain: 201, takerChain: 301 }, nowMs: NOW });
    expect(trail).toEqual([
      'after-event:MakerStarted',
      'enter:proposed',
      'after new->proposed',
      'after-event:CounterpartyAccepted',
      'enter:funding',
      'after proposed->funding',
      'after-event:TimerTick',
      'after funding->funding',
    ]);
  });

  it('keeps the last notice of a step in the meta, stored with it, and marks the end finished', async () => {
    const { runner, trail } = runnerWith();
    const live = runner.create('swap-1', { role: 'maker', phase: 'new' }, makerMeta);
    await runner.send(live, makerStarted);
    await runner.send(live, { type: 'Abort', reason: 'user pressed stop' });
    expect(live.state.phase).toBe('failedBeforeFunding');
    expect(live.context.notice).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    const row = repo.get('swap-1')!;
    expect(row.terminal).toBe(true);
    expect((row.data as SwapRecord).meta.notice).toEqual(live.context.notice);
    expect(runner.get('swap-1')).toBeUndefined();
    expect(trail).toContain('retired swap-1');
  });

  it('never stores a wall-clock tick that changed nothing', async () => {
    const { runner } = runnerWith();
    const live = runner.create('swap-1', { role: 'maker', phase: 'new' }, makerMeta);
    await runner.send(live, makerStarted);
    await runner.send(live, takerAccepted);
    const heights = live.state.phase === 'funding' ? live.state.heights : undefined;
    expect(await runner.send(live, { type: 'TimerTick', heights: heights!, nowMs: NOW + 1 })).toBe(false);
    expect(repo.events('swap-1')).toHaveLength(2);
  });

  it('after a restart, replays each unfinished swap from its log and runs its resume effects again', async () => {
    const first = runnerWith();
    const live = first.runner.create('swap-1', { role: 'maker', phase: 'new' }, makerMeta);
    await first.runner.send(live, makerStarted);
    await first.runner.send(live, takerAccepted);
    const taker = first.runner.create('swap-2', { role: 'taker', phase: 'new' }, metaFor('taker'));
    if (takerStarted.type !== 'TakerStarted') throw new Error('the testkit starts a taker');
    await first.runner.send(taker, { ...takerStarted, proposal: { ...takerStarted.proposal, swapId: 'swap-2' } });

    const second = runnerWith();
    await second.runner.resume();
    await settle();
    const resumed = second.runner.get('swap-1')!;
    expect(resumed.state).toEqual(live.state);
    expect(resumed.context).toEqual(makerMeta);
    expect(second.effects.filter((e) => e.id === 'swap-1').map((e) => e.effect.type)).toEqual([
      'FundHtlc',
      'WatchHtlc',
      'WatchHtlc',
    ]);
    expect(second.trail).toEqual(['resumed swap-1 funding', 'resumed swap-2 accepted']);
    expect(second.log.lines.filter((l) => l.msg === 'resuming swap').map((l) => l.data?.swapId)).toEqual([
      'swap-1',
      'swap-2',
    ]);
  });

  it('reads a stored swap back through the store port as the runner wrote it', async () => {
    const { runner } = runnerWith();
    const live: Live = runner.create('swap-1', { role: 'maker', phase: 'new' }, makerMeta);
    await runner.send(live, makerStarted);
    const store = swapStore(repo);
    expect(store.unfinished()).toEqual([
      expect.objectContaining({ id: 'swap-1', state: live.state, context: makerMeta }),
    ]);
    expect(store.events('swap-1')).toEqual([makerStarted]);
  });

  it("gives the machine its own events only: a fee child noted in the swap's log stays out of the replay", async () => {
    const { runner } = runnerWith();
    const live: Live = runner.create('swap-1', { role: 'maker', phase: 'new' }, makerMeta);
    await runner.send(live, makerStarted);
    const note = {
      type: 'FeeChildSent',
      spend: 'claim',
      ticker: 'DEVB',
      parent: 'a'.repeat(64),
      txid: 'b'.repeat(64),
      fee: 9n,
    };
    repo.appendEvent('swap-1', note.type, note);
    await runner.send(live, takerAccepted);
    expect(repo.events('swap-1').map((e) => e.type)).toEqual(['MakerStarted', 'FeeChildSent', 'CounterpartyAccepted']);
    expect(swapStore(repo).events('swap-1')).toEqual([makerStarted, takerAccepted]);
  });
});

describe('the notice kept in the meta', () => {
  it('is the last Notify of a step; a step without one keeps the meta as it was', () => {
    const notify = (code: string): Effect => ({ type: 'Notify', level: 'warning', code, message: code });
    const step = { state: { role: 'maker', phase: 'new' } as const, effects: [notify('first'), notify('last')] };
    expect(metaAfter(makerMeta, step).notice).toEqual({ level: 'warning', code: 'last', message: 'last' });
    expect(metaAfter(makerMeta, { ...step, effects: [] })).toBe(makerMeta);
  });
});
