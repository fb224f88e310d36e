import { describe, expect, it } from 'vitest';
import { KeyedRateLimiter, fullBucket, take } from './rate-limit.ts';

describe('token bucket', () => {
  const config = { capacity: 3, refillPerSec: 2 };

  it('allows a burst up to capacity, then refuses', () => {
    let bucket = fullBucket(config, 0);
    const results: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const r = take(bucket, config, 0);
      results.push(r.allowed);
      bucket = r.bucket;
    }
    expect(results).toEqual([true, true, true, false, false]);
  });

  it('refills at the configured rate and never above capacity', () => {
    let bucket = { tokens: 0, updatedMs: 0 };
    expect(take(bucket, config, 499).allowed).toBe(false);
    const r = take(bucket, config, 500);
    expect(r.allowed).toBe(true);
    bucket = r.bucket;
    expect(bucket.tokens).toBeCloseTo(0);
    expect(take(bucket, config, 60_000).bucket.tokens).toBeCloseTo(config.capacity - 1);
  });

  it('refills nothing when the clock goes backwards', () => {
    const bucket = { tokens: 0, updatedMs: 10_000 };
    const r = take(bucket, config, 5_000);
    expect(r.allowed).toBe(false);
    expect(r.bucket.updatedMs).toBe(10_000);
  });

  it('does not charge a refused take', () => {
    const r = take({ tokens: 1, updatedMs: 0 }, config, 0, 2);
    expect(r.allowed).toBe(false);
    expect(r.bucket.tokens).toBe(1);
  });

  it.each([
    [{ capacity: 0, refillPerSec: 1 }],
    [{ capacity: Number.NaN, refillPerSec: 1 }],
    [{ capacity: 1, refillPerSec: -1 }],
    [{ capacity: 1, refillPerSec: Number.POSITIVE_INFINITY }],
  ])('rejects the invalid config %j', (bad) => {
    expect(() => new KeyedRateLimiter(bad)).toThrow(expect.objectContaining({ code: 'RATE_LIMIT_INVALID' }));
  });
});

describe('keyed rate limiter', () => {
  it('keeps a separate bucket per peer, so a flooder does not starve an honest peer', () => {
    const limiter = new KeyedRateLimiter({ capacity: 2, refillPerSec: 1 });
    expect([limiter.take('flooder', 0), limiter.take('flooder', 0), limiter.take('flooder', 0)]).toEqual([
      true,
      true,
      false,
    ]);
    expect(limiter.take('honest', 0)).toBe(true);
    expect(limiter.available('honest', 0)).toBe(1);
    expect(limiter.available('stranger', 0)).toBe(2);
  });

  it('stays bounded in memory when many peers appear', () => {
    const limiter = new KeyedRateLimiter({ capacity: 5, refillPerSec: 0 }, 100);
    for (let i = 0; i < 1000; i++) limiter.take(`peer-${i}`, i);
    expect(limiter.size).toBeLessThanOrEqual(100);
    // The most recent offender is still remembered.
    expect(limiter.available('peer-999', 1000)).toBe(4);
  });

  it('prunes refilled buckets before recently active ones', () => {
    const limiter = new KeyedRateLimiter({ capacity: 1, refillPerSec: 1 }, 2);
    limiter.take('a', 0);
    limiter.take('b', 5_000);
    limiter.take('b', 5_000); // b is empty and recent
    limiter.take('c', 5_000); // over maxKeys: a has refilled and goes first
    expect(limiter.size).toBe(2);
    expect(limiter.available('b', 5_000)).toBe(0);
  });

  it('forgets a key on request', () => {
    const limiter = new KeyedRateLimiter({ capacity: 1, refillPerSec: 0 });
    limiter.take('x', 0);
    expect(limiter.take('x', 0)).toBe(false);
    limiter.forget('x');
    expect(limiter.take('x', 0)).toBe(true);
  });
});
