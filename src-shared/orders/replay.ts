// Replay protection for signed order-network messages: a timestamp window (messages older than
// maxAge or further ahead than maxSkew are refused) plus a strictly increasing sequence number per
// sender, and tombstones so a canceled or filled order cannot be announced again. Pure: the
// caller passes `now` and commits what a validator accepted.

export interface ReplayLimits {
  /** Oldest a transient message (keepalive, cancel, accept, hold…) may be when it arrives. */
  readonly maxAgeMs: number;
  /** How far a sender's clock may run ahead of ours. */
  readonly maxSkewMs: number;
}

export const DEFAULT_REPLAY_LIMITS: ReplayLimits = { maxAgeMs: 120_000, maxSkewMs: 30_000 };

/** What validators read; ReplayGuard implements it, and tests may pass a literal. */
export interface SeenView {
  /** Highest sequence number accepted from this sender (a public key), if any is remembered. */
  lastSeq(sender: string): number | undefined;
  /** 'live' while listed, 'dead' once canceled, filled or expired (until its expiry passes). */
  orderStatus(orderId: string): 'live' | 'dead' | undefined;
}

export interface ReplayRecord {
  readonly sender: string;
  readonly seq: number;
  readonly ts: number;
}

export type FreshnessProblem = { reason: 'stale' | 'future' | 'replayed'; message: string };

/** Whether a message (sender, seq, ts) may be accepted now; null when it may. */
export function checkFreshness(
  seen: SeenView,
  r: ReplayRecord,
  now: number,
  limits: ReplayLimits = DEFAULT_REPLAY_LIMITS,
): FreshnessProblem | null {
  if (r.ts > now + limits.maxSkewMs)
    return { reason: 'future', message: `message is dated ${r.ts - now} ms ahead of this node's clock` };
  if (r.ts < now - limits.maxAgeMs) return { reason: 'stale', message: `message is ${now - r.ts} ms old` };
  const last = seen.lastSeq(r.sender);
  if (last !== undefined && r.seq <= last)
    return { reason: 'replayed', message: `sequence ${r.seq} is not above ${last}` };
  return null;
}

/**
 * The memory behind SeenView. Sequence numbers are forgotten once a sender's last message is
 * older than maxAge: every earlier message of that sender is then refused as stale anyway,
 * provided senders keep timestamps rising with sequence numbers (they use seq = max(last + 1, now)).
 */
export class ReplayGuard implements SeenView {
  readonly #senders = new Map<string, { seq: number; ts: number }>();
  readonly #orders = new Map<string, { status: 'live' | 'dead'; until: number }>();

  lastSeq(sender: string): number | undefined {
    return this.#senders.get(sender)?.seq;
  }

  orderStatus(orderId: string): 'live' | 'dead' | undefined {
    return this.#orders.get(orderId)?.status;
  }

  /** Remembers an accepted message; a lower sequence never lowers what is remembered. */
  commit(records: readonly ReplayRecord[]): void {
    for (const r of records) {
      const prev = this.#senders.get(r.sender);
      if (!prev || r.seq > prev.seq) this.#senders.set(r.sender, { seq: r.seq, ts: Math.max(r.ts, prev?.ts ?? r.ts) });
    }
  }

  markLive(orderId: string, expiresAt: number): void {
    if (this.#orders.get(orderId)?.status === 'dead') return;
    this.#orders.set(orderId, { status: 'live', until: expiresAt });
  }

  /** Tombstones an order until its expiry, after which its announce is refused as expired anyway. */
  markDead(orderId: string, expiresAt: number): void {
    this.#orders.set(orderId, { status: 'dead', until: expiresAt });
  }

  prune(now: number, limits: ReplayLimits = DEFAULT_REPLAY_LIMITS): void {
    for (const [sender, last] of this.#senders)
      if (last.ts < now - limits.maxAgeMs - limits.maxSkewMs) this.#senders.delete(sender);
    for (const [id, o] of this.#orders) if (o.until <= now) this.#orders.delete(id);
  }

  get size(): { senders: number; orders: number } {
    return { senders: this.#senders.size, orders: this.#orders.size };
  }
}
