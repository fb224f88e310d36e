import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import {
  DEFAULT_LIMITS,
  MAX_PROTOCOL_FRAME_BYTES,
  PeerPenalties,
  checkFrameCaps,
  memoryBanStore,
  resolveLimits,
} from './limits.ts';

describe('resolveLimits', () => {
  it('overlays partial input on the defaults, including nested buckets and penalties', () => {
    const limits = resolveLimits({
      maxGossipBytes: 1024,
      gossipPerPeer: { capacity: 5 },
      penalties: { oversize: 100 },
    } as never);
    expect(limits.maxGossipBytes).toBe(1024);
    expect(limits.gossipPerPeer).toEqual({ capacity: 5, refillPerSec: DEFAULT_LIMITS.gossipPerPeer.refillPerSec });
    expect(limits.penalties).toEqual({ ...DEFAULT_LIMITS.penalties, oversize: 100 });
  });

  it.each([
    [{ maxGossipBytes: 0 }],
    [{ maxRequestBytes: 1.5 }],
    [{ banMs: -1 }],
    [{ penaltyDecayPerSec: Number.NaN }],
    [{ penalties: { malformed: -3 } }],
    [{ requestsPerPeer: { capacity: 0, refillPerSec: 1 } }],
  ])('refuses %j with CONFIG_INVALID', (input) => {
    let caught: unknown;
    try {
      resolveLimits(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).code).toBe('CONFIG_INVALID');
  });
});

describe('checkFrameCaps', () => {
  it('takes whole numbers up to the protocol frame ceiling, or nothing', () => {
    expect(() => checkFrameCaps({})).not.toThrow();
    expect(() => checkFrameCaps({ maxRequestBytes: 1, maxResponseBytes: MAX_PROTOCOL_FRAME_BYTES })).not.toThrow();
  });

  it.each([
    [{ maxResponseBytes: MAX_PROTOCOL_FRAME_BYTES + 1 }],
    [{ maxRequestBytes: 0 }],
    [{ maxRequestBytes: 2.5 }],
    [{ maxResponseBytes: Number.NaN }],
  ])('refuses %j with CONFIG_INVALID', (caps) => {
    expect(() => checkFrameCaps(caps)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('PeerPenalties', () => {
  it('reports the ban threshold once, then starts again from zero', () => {
    const p = new PeerPenalties(100, 0);
    expect(p.add('x', 60, 0)).toBe(false);
    expect(p.add('x', 40, 0)).toBe(true);
    expect(p.score('x', 0)).toBe(0);
    expect(p.add('x', 60, 0)).toBe(false);
  });

  it('forgives points over time, so rare offences never add up to a ban', () => {
    const p = new PeerPenalties(100, 1);
    for (let i = 0; i < 100; i++) expect(p.add('honest-but-clumsy', 50, i * 60_000)).toBe(false);
    expect(p.score('honest-but-clumsy', 100 * 60_000)).toBe(0);
  });

  it('keeps peers apart', () => {
    const p = new PeerPenalties(10, 0);
    p.add('a', 9, 0);
    expect(p.add('b', 9, 0)).toBe(false);
    expect(p.score('a', 0)).toBe(9);
  });

  it('stays bounded in memory', () => {
    const p = new PeerPenalties(1000, 0, 50);
    for (let i = 0; i < 500; i++) p.add(`peer-${i}`, 1, 0);
    expect(p.score('peer-499', 0)).toBe(1);
    expect(p.score('peer-0', 0)).toBe(0);
  });
});

describe('memoryBanStore', () => {
  it('bans until the given time and never shortens a ban', () => {
    const bans = memoryBanStore();
    bans.ban('x', 'flood', 1000);
    bans.ban('x', 'minor', 500);
    expect(bans.isBanned('x', 999)).toBe(true);
    expect(bans.isBanned('x', 1000)).toBe(false);
    expect(bans.isBanned('y', 0)).toBe(false);
  });
});
