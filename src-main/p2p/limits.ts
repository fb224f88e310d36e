// Caps and the misbehaviour policy of the p2p host: message sizes, per-peer rates, penalty
// points per offence and when they add up to a ban. The network is hostile by default, so every
// inbound path is bounded here; docs/p2p.md explains the numbers.
import { assertBucketConfig, type TokenBucketConfig } from '../../src-shared/protocol/rate-limit.ts';
import { ApiError } from '../../src-shared/api/errors.ts';

export type Offence = 'oversize' | 'malformed' | 'rateLimited' | 'badResponse';

export interface P2pLimits {
  /** Largest gossip payload we publish or accept. */
  maxGossipBytes: number;
  /** Largest request frame we send or accept. */
  maxRequestBytes: number;
  /** Largest response frame we send or accept (book snapshots are bigger than requests). */
  maxResponseBytes: number;
  /** Default time for a whole request/response exchange, and for a peer to send its request. */
  requestTimeoutMs: number;
  /** Gossip messages per directly connected peer (it relays other people's messages too). */
  gossipPerPeer: TokenBucketConfig;
  /** Gossip messages per signing origin, wherever they arrive from. */
  gossipPerOrigin: TokenBucketConfig;
  /** Inbound request streams per peer, over all request protocols. */
  requestsPerPeer: TokenBucketConfig;
  maxConnections: number;
  /** New inbound connections per second from one IP address (libp2p refuses the rest). */
  inboundConnectionsPerHostPerSec: number;
  /** Discovered peers are dialled while we have fewer connections than this. */
  targetPeers: number;
  /** Concurrent inbound streams per request protocol per connection. */
  maxInboundStreamsPerProtocol: number;
  penalties: Record<Offence, number>;
  /** Penalty points at which a peer is banned. */
  banThreshold: number;
  /** Penalty points forgiven per second. */
  penaltyDecayPerSec: number;
  banMs: number;
}

/**
 * Frame caps of one request protocol, for bulk transfers that would take many requests under the
 * host's caps (identity catch-up, docs/identity.md §5.2). Each such protocol names its caps and
 * why; they stay under MAX_PROTOCOL_FRAME_BYTES.
 */
export interface FrameCaps {
  maxRequestBytes?: number;
  maxResponseBytes?: number;
}

/** No protocol's frames are larger: what one stream may make the other side buffer. */
export const MAX_PROTOCOL_FRAME_BYTES = 8 * 1024 * 1024;

/** Throws ApiError CONFIG_INVALID on caps that are not whole numbers in 1..MAX_PROTOCOL_FRAME_BYTES. */
export function checkFrameCaps(caps: FrameCaps): void {
  for (const key of ['maxRequestBytes', 'maxResponseBytes'] as const) {
    const v = caps[key];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 1 || v > MAX_PROTOCOL_FRAME_BYTES)
      throw new ApiError(
        'CONFIG_INVALID',
        `A protocol's ${key} must be a whole number from 1 to ${MAX_PROTOCOL_FRAME_BYTES}.`,
        {
          key,
          value: v,
        },
      );
  }
}

export type P2pLimitsInput = Partial<Omit<P2pLimits, 'penalties'>> & { penalties?: Partial<Record<Offence, number>> };

export const DEFAULT_LIMITS: P2pLimits = {
  maxGossipBytes: 64 * 1024,
  maxRequestBytes: 64 * 1024,
  maxResponseBytes: 1024 * 1024,
  requestTimeoutMs: 10_000,
  gossipPerPeer: { capacity: 200, refillPerSec: 50 },
  gossipPerOrigin: { capacity: 100, refillPerSec: 20 },
  requestsPerPeer: { capacity: 30, refillPerSec: 10 },
  maxConnections: 100,
  inboundConnectionsPerHostPerSec: 5,
  targetPeers: 25,
  maxInboundStreamsPerProtocol: 8,
  penalties: { oversize: 60, malformed: 25, rateLimited: 5, badResponse: 25 },
  banThreshold: 100,
  penaltyDecayPerSec: 1,
  banMs: 10 * 60_000,
};

/** Defaults overlaid with `input`, checked. Throws ApiError CONFIG_INVALID on nonsense values. */
export function resolveLimits(input: P2pLimitsInput = {}): P2pLimits {
  const limits: P2pLimits = {
    ...DEFAULT_LIMITS,
    ...input,
    gossipPerPeer: { ...DEFAULT_LIMITS.gossipPerPeer, ...input.gossipPerPeer },
    gossipPerOrigin: { ...DEFAULT_LIMITS.gossipPerOrigin, ...input.gossipPerOrigin },
    requestsPerPeer: { ...DEFAULT_LIMITS.requestsPerPeer, ...input.requestsPerPeer },
    penalties: { ...DEFAULT_LIMITS.penalties, ...input.penalties },
  };
  const positiveInts: (keyof P2pLimits)[] = [
    'maxGossipBytes',
    'maxRequestBytes',
    'maxResponseBytes',
    'requestTimeoutMs',
    'maxConnections',
    'inboundConnectionsPerHostPerSec',
    'targetPeers',
    'maxInboundStreamsPerProtocol',
    'banThreshold',
    'banMs',
  ];
  for (const key of positiveInts) {
    const v = limits[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      throw new ApiError('CONFIG_INVALID', `The p2p limit ${key} must be a whole number above 0.`, { key, value: v });
  }
  if (!Number.isFinite(limits.penaltyDecayPerSec) || limits.penaltyDecayPerSec < 0)
    throw new ApiError('CONFIG_INVALID', 'The p2p limit penaltyDecayPerSec must be 0 or more.');
  for (const [name, points] of Object.entries(limits.penalties)) {
    if (!Number.isFinite(points) || points < 0)
      throw new ApiError('CONFIG_INVALID', `The p2p penalty for ${name} must be 0 or more.`);
  }
  for (const key of ['gossipPerPeer', 'gossipPerOrigin', 'requestsPerPeer'] as const) {
    try {
      assertBucketConfig(limits[key]);
    } catch (err) {
      throw new ApiError('CONFIG_INVALID', `The p2p rate limit ${key} is not valid: ${(err as Error).message}.`);
    }
  }
  return limits;
}

/**
 * Penalty points per peer that decay linearly with time. Pure: the caller passes the clock.
 * `add` reports when a peer crosses the ban threshold, once; the score then starts again from 0.
 */
export class PeerPenalties {
  readonly #threshold: number;
  readonly #decayPerSec: number;
  readonly #maxPeers: number;
  readonly #scores = new Map<string, { points: number; atMs: number }>();

  constructor(threshold: number, decayPerSec: number, maxPeers = 10_000) {
    this.#threshold = threshold;
    this.#decayPerSec = decayPerSec;
    this.#maxPeers = maxPeers;
  }

  score(peerId: string, nowMs: number): number {
    const s = this.#scores.get(peerId);
    if (s === undefined) return 0;
    return Math.max(0, s.points - (Math.max(0, nowMs - s.atMs) * this.#decayPerSec) / 1000);
  }

  /** Adds points; true when this pushed the peer to the ban threshold. */
  add(peerId: string, points: number, nowMs: number): boolean {
    const next = this.score(peerId, nowMs) + points;
    this.#scores.delete(peerId);
    if (next >= this.#threshold) return true;
    this.#scores.set(peerId, { points: next, atMs: nowMs });
    if (this.#scores.size > this.#maxPeers) this.#prune(nowMs);
    return false;
  }

  forget(peerId: string): void {
    this.#scores.delete(peerId);
  }

  #prune(nowMs: number): void {
    for (const id of this.#scores.keys()) {
      if (this.score(id, nowMs) === 0) this.#scores.delete(id);
    }
    for (const id of this.#scores.keys()) {
      if (this.#scores.size <= this.#maxPeers) break;
      this.#scores.delete(id);
    }
  }
}

/** Where bans live; the core passes a persistent one, tests and defaults use memory. */
export interface BanStore {
  isBanned(peerId: string, nowMs: number): boolean;
  ban(peerId: string, reason: string, untilMs: number): void;
}

export function memoryBanStore(): BanStore {
  const bans = new Map<string, number>();
  return {
    isBanned(peerId, nowMs) {
      const until = bans.get(peerId);
      if (until === undefined) return false;
      if (until > nowMs) return true;
      bans.delete(peerId);
      return false;
    },
    ban(peerId, _reason, untilMs) {
      bans.set(peerId, Math.max(untilMs, bans.get(peerId) ?? 0));
    },
  };
}
