import { describe, expect, it } from 'vitest';
import { MAKER_PATH, TAKER_PATH } from '../../src-shared/swaps/testkit.ts';
import type { Live } from './durable.ts';
import { createSwapQueries, LIST_LIMIT } from './queries.ts';
import type { StoredSwap } from './repo.ts';
import { COINS, makerLive, takerLive, type TestLive } from './testkit.ts';

function stored(live: TestLive, over: Partial<StoredSwap> = {}): StoredSwap {
  return {
    swapId: live.id,
    role: live.context.role,
    state: live.state.phase,
    terminal: false,
    data: { state: live.state, meta: live.context },
    createdAt: live.createdAt,
    updatedAt: live.updatedAt,
    ...over,
  };
}

function setup(lives: TestLive[], rows: StoredSwap[]) {
  const limits: Array<number | undefined> = [];
  const queries = createSwapQueries({
    coins: COINS,
    runner: { get: (id) => lives.find((l) => l.id === id), instances: () => lives as Live[] },
    repo: {
      get: (id) => rows.find((r) => r.swapId === id),
      list: (o) => (limits.push(o?.limit), rows),
      events: () => [],
    },
    chains: { tipHeight: (t) => (t === 'DEVA' ? 210 : undefined) },
  });
  return { queries, limits };
}

describe('swap views for the API', () => {
  it('lists what the repository lists, newest first, showing a live swap as it is now', () => {
    const live = makerLive(MAKER_PATH.funding, 'live-1');
    const older = stored(makerLive(MAKER_PATH.proposed, 'live-1'));
    const done = takerLive(TAKER_PATH.accepted, 'done-1');
    done.state = { role: 'taker', phase: 'failedBeforeFunding', swapId: 'done-1', reason: { code: 'x', message: 'y' } };
    const { queries, limits } = setup([live], [older, stored(done, { terminal: true })]);
    const list = queries.list();
    expect(list.map((s) => [s.swapId, s.state])).toEqual([
      ['live-1', 'funding'],
      ['done-1', 'failedBeforeFunding'],
    ]);
    expect(limits).toEqual([LIST_LIMIT]);
    expect(list[0]).toMatchObject({ role: 'maker', sell: { ticker: 'DEVA', amount: '0.01' }, buy: { ticker: 'DEVB' } });
  });

  it('shows the detail of a stored swap, with the tips it knows, and refuses an unknown one', () => {
    const live = makerLive(MAKER_PATH.funded);
    const { queries } = setup([live], [stored(live)]);
    const detail = queries.get('swap-1');
    expect(detail.state).toBe('funded');
    expect(detail.locks.find((l) => l.side === 'own')).toMatchObject({ ticker: 'DEVA', height: 210 });
    expect(detail.locks.find((l) => l.side === 'counterparty')).toMatchObject({ ticker: 'DEVB', height: null });
    expect(() => queries.get('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('counts as locked the coins of our own leg in swaps that have not paid into their HTLC yet', () => {
    const lives = [
      makerLive(MAKER_PATH.proposed, 'a'),
      makerLive(MAKER_PATH.funding, 'b'),
      makerLive(MAKER_PATH.funded, 'c'),
      takerLive(TAKER_PATH.accepted, 'd'),
      takerLive(TAKER_PATH.funded, 'e'),
    ];
    const { queries } = setup(lives, []);
    // Makers lock 0.01 DEVA each (two before funding); the taker 0.04 DEVB (one before funding).
    expect(queries.lockedAmount('DEVA')).toBe(2_000_000n);
    expect(queries.lockedAmount('DEVB')).toBe(4_000_000n);
    expect(queries.lockedAmount('LTC')).toBe(0n);
  });
});
