import { describe, expect, it } from 'vitest';
import { DEFAULT_REPLAY_LIMITS, ReplayGuard, checkFreshness } from './replay.ts';

const NOW = 1_700_000_000_000;
const A = 'sender-a';

describe('checkFreshness', () => {
  const guard = new ReplayGuard();
  guard.commit([{ sender: A, seq: 5, ts: NOW - 1000 }]);
  const cases: Array<[string, number, number, string | null]> = [
    ['the next sequence, now', 6, NOW, null],
    ['a jump in sequence', 1_000_000, NOW, null],
    ['the same sequence again', 5, NOW, 'replayed'],
    ['a lower sequence', 4, NOW, 'replayed'],
    ['exactly maxAge old', 6, NOW - DEFAULT_REPLAY_LIMITS.maxAgeMs, null],
    ['older than maxAge', 6, NOW - DEFAULT_REPLAY_LIMITS.maxAgeMs - 1, 'stale'],
    ['exactly maxSkew ahead', 6, NOW + DEFAULT_REPLAY_LIMITS.maxSkewMs, null],
    ['further ahead than maxSkew', 6, NOW + DEFAULT_REPLAY_LIMITS.maxSkewMs + 1, 'future'],
  ];
  it.each(cases)('%s → %s', (_n, seq, ts, reason) =>
    expect(checkFreshness(guard, { sender: A, seq, ts }, NOW)?.reason ?? null).toBe(reason),
  );
  it('a sender never seen may start at any sequence', () =>
    expect(checkFreshness(guard, { sender: 'b', seq: 1, ts: NOW }, NOW)).toBeNull());
});

describe('ReplayGuard', () => {
  it('never lowers a remembered sequence', () => {
    const g = new ReplayGuard();
    g.commit([
      { sender: A, seq: 9, ts: NOW },
      { sender: A, seq: 3, ts: NOW + 1 },
    ]);
    expect(g.lastSeq(A)).toBe(9);
  });
  it('a dead order stays dead even if it is marked live again', () => {
    const g = new ReplayGuard();
    g.markLive('o1', NOW + 10);
    expect(g.orderStatus('o1')).toBe('live');
    g.markDead('o1', NOW + 10);
    g.markLive('o1', NOW + 10);
    expect(g.orderStatus('o1')).toBe('dead');
  });
  it('forgets senders past the window and orders past their expiry, and a forgotten replay is still stale', () => {
    const g = new ReplayGuard();
    g.commit([
      { sender: A, seq: 5, ts: NOW },
      { sender: 'b', seq: 1, ts: NOW + 100_000 },
    ]);
    g.markDead('o1', NOW + 1000);
    g.markDead('o2', NOW + 1_000_000);
    const later = NOW + DEFAULT_REPLAY_LIMITS.maxAgeMs + DEFAULT_REPLAY_LIMITS.maxSkewMs + 1;
    g.prune(later);
    expect(g.size).toEqual({ senders: 1, orders: 1 });
    expect(g.lastSeq(A)).toBeUndefined();
    expect(checkFreshness(g, { sender: A, seq: 5, ts: NOW }, later)?.reason).toBe('stale');
    expect(g.orderStatus('o2')).toBe('dead');
  });
});
