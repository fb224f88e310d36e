// The swap repository's listing: every swap (finished or not) newest first, as swaps.list shows
// them, read back from a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore } from '../core/test-store.ts';
import { createSwapRepo, type SwapSnapshot } from './repo.ts';

let dir: string;
let db: Database;
let clock: number;
const now = (): number => clock;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hashlock-swap-repo-'));
  db = openTestStore(join(dir, 'node.sqlite'));
  clock = 1_000;
});
afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const snapshot = (swapId: string, over: Partial<SwapSnapshot> = {}): SwapSnapshot => ({
  swapId,
  role: 'maker',
  state: 'proposed',
  terminal: false,
  data: { amount: 1n },
  ...over,
});

describe('swap repository listing', () => {
  it('lists finished and unfinished swaps newest first, ties by id', () => {
    const swaps = createSwapRepo(db, { now });
    swaps.upsert(snapshot('old', { state: 'completed', terminal: true }));
    clock = 2_000;
    swaps.upsert(snapshot('b-mid'));
    swaps.upsert(snapshot('a-mid', { role: 'taker', state: 'failedBeforeFunding', terminal: true }));
    clock = 3_000;
    swaps.upsert(snapshot('new'));
    expect(swaps.list().map((s) => s.swapId)).toEqual(['new', 'a-mid', 'b-mid', 'old']);
    expect(swaps.list()[1]).toEqual({
      swapId: 'a-mid',
      role: 'taker',
      state: 'failedBeforeFunding',
      terminal: true,
      data: { amount: 1n },
      createdAt: 2_000,
      updatedAt: 2_000,
    });
  });

  it('orders by when a swap started, not when it last changed', () => {
    const swaps = createSwapRepo(db, { now });
    swaps.upsert(snapshot('first'));
    clock = 2_000;
    swaps.upsert(snapshot('second'));
    clock = 3_000;
    swaps.appendEventAndUpdate(
      'first',
      { type: 'RefundConfirmed', payload: {} },
      snapshot('first', { state: 'refunded', terminal: true }),
    );
    expect(swaps.list().map((s) => [s.swapId, s.updatedAt])).toEqual([
      ['second', 2_000],
      ['first', 3_000],
    ]);
  });

  it('returns at most `limit` swaps, the newest', () => {
    const swaps = createSwapRepo(db, { now });
    for (let i = 0; i < 5; i++) {
      clock = 1_000 + i;
      swaps.upsert(snapshot(`s${i}`));
    }
    expect(swaps.list({ limit: 2 }).map((s) => s.swapId)).toEqual(['s4', 's3']);
    expect(swaps.list({ limit: 0 })).toEqual([]);
    expect(() => swaps.list({ limit: -1 })).toThrow(RangeError);
  });

  it('is empty for a node that never swapped', () => {
    expect(createSwapRepo(db).list()).toEqual([]);
  });
});
