// Token-bucket rate limiting for inbound network traffic, keyed by peer. Pure: the caller passes
// the clock in, so the same limiter runs in the p2p host and in deterministic unit tests.
// A bucket holds up to `capacity` tokens and refills continuously at `refillPerSec`.
import { CodedError } from '../errors.ts';

export interface TokenBucketConfig {
  /** Largest burst a peer may send at once. */
  capacity: number;
  /** Sustained rate, tokens per second. */
  refillPerSec: number;
}

export interface TokenBucket {
  tokens: number;
  updatedMs: number;
}

const rateLimitError = (message: string) => new CodedError('RATE_LIMIT_INVALID', message);

export function assertBucketConfig(config: TokenBucketConfig): void {
  if (!Number.isFinite(config.capacity) || config.capacity < 1)
    throw rateLimitError(`capacity must be at least 1, got ${config.capacity}`);
  if (!Number.isFinite(config.refillPerSec) || config.refillPerSec < 0)
    throw rateLimitError(`refillPerSec must be 0 or more, got ${config.refillPerSec}`);
}

/** A full bucket as of `nowMs`. */
export function fullBucket(config: TokenBucketConfig, nowMs: number): TokenBucket {
  return { tokens: config.capacity, updatedMs: nowMs };
}

/** The bucket refilled up to `nowMs`. A clock that goes backwards refills nothing. */
export function refill(bucket: TokenBucket, config: TokenBucketConfig, nowMs: number): TokenBucket {
  const elapsedMs = Math.max(0, nowMs - bucket.updatedMs);
  const tokens = Math.min(config.capacity, bucket.tokens + (elapsedMs * config.refillPerSec) / 1000);
  return { tokens, updatedMs: Math.max(bucket.updatedMs, nowMs) };
}

/** Takes `cost` tokens if there are enough; a refused take costs nothing. */
export function take(
  bucket: TokenBucket,
  config: TokenBucketConfig,
  nowMs: number,
  cost = 1,
): { allowed: boolean; bucket: TokenBucket } {
  const refilled = refill(bucket, config, nowMs);
  if (refilled.tokens + 1e-9 < cost) return { allowed: false, bucket: refilled };
  return { allowed: true, bucket: { tokens: refilled.tokens - cost, updatedMs: refilled.updatedMs } };
}

/**
 * One bucket per key (peer id). Memory stays bounded: when more than `maxKeys` keys are tracked,
 * buckets that have refilled to capacity are dropped (they are indistinguishable from new ones),
 * and if that is not enough the stalest buckets go.
 */
export class KeyedRateLimiter {
  readonly config: TokenBucketConfig;
  readonly maxKeys: number;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(config: TokenBucketConfig, maxKeys = 10_000) {
    assertBucketConfig(config);
    if (!Number.isInteger(maxKeys) || maxKeys < 1)
      throw rateLimitError(`maxKeys must be a positive integer, got ${maxKeys}`);
    this.config = { ...config };
    this.maxKeys = maxKeys;
  }

  /** True when `key` may proceed now (and the tokens are spent). */
  take(key: string, nowMs: number, cost = 1): boolean {
    const current = this.#buckets.get(key) ?? fullBucket(this.config, nowMs);
    const result = take(current, this.config, nowMs, cost);
    // Re-insert so Map order is least-recently-used first.
    this.#buckets.delete(key);
    this.#buckets.set(key, result.bucket);
    if (this.#buckets.size > this.maxKeys) this.#prune(nowMs);
    return result.allowed;
  }

  /** Tokens `key` has left at `nowMs` (capacity for an unknown key). */
  available(key: string, nowMs: number): number {
    const bucket = this.#buckets.get(key);
    return bucket === undefined ? this.config.capacity : refill(bucket, this.config, nowMs).tokens;
  }

  forget(key: string): void {
    this.#buckets.delete(key);
  }

  get size(): number {
    return this.#buckets.size;
  }

  #prune(nowMs: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (refill(bucket, this.config, nowMs).tokens >= this.config.capacity) this.#buckets.delete(key);
    }
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size <= this.maxKeys) break;
      this.#buckets.delete(key);
    }
  }
}
