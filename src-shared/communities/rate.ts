// Flood rules (docs §15): token buckets per (community, DID) for what members send, per community
// for join requests. Pure: the clock and the state are passed in and a new state comes back.
// Commits are never rate-limited here: dropping one on some members only would fork the group.
import { fullBucket, refill, take } from '../protocol/rate-limit.ts';
import type { TokenBucket, TokenBucketConfig } from '../protocol/rate-limit.ts';

export const RATE_RULES = {
  /** Posts and follow-ups (edits, deletes, reactions) and control messages. */
  messages: { capacity: 30, refillPerSec: 1 },
  /** Attachment bytes. */
  attachmentBytes: { capacity: 1024 * 1024, refillPerSec: 32 * 1024 },
  /** Join requests and knocks, per community (their senders are not members yet). */
  joins: { capacity: 10, refillPerSec: 1 / 6 },
  /** Invitations created, per (community, DID). */
  invites: { capacity: 20, refillPerSec: 1 / 60 },
} as const satisfies Record<string, TokenBucketConfig>;
export type RateRule = keyof typeof RATE_RULES;

export type RateState = ReadonlyMap<string, TokenBucket>;
export const NO_RATES: RateState = new Map();

export type RateEvent =
  | { kind: 'message'; community: string; did: string; attachmentBytes?: number }
  | { kind: 'invite'; community: string; did: string }
  | { kind: 'join'; community: string };

/** Every bucket an event draws from, with its cost. */
function draws(e: RateEvent): { rule: RateRule; key: string; cost: number }[] {
  switch (e.kind) {
    case 'message': {
      const out: { rule: RateRule; key: string; cost: number }[] = [
        { rule: 'messages', key: `messages:${e.community}:${e.did}`, cost: 1 },
      ];
      if (e.attachmentBytes)
        out.push({ rule: 'attachmentBytes', key: `bytes:${e.community}:${e.did}`, cost: e.attachmentBytes });
      return out;
    }
    case 'invite':
      return [{ rule: 'invites', key: `invites:${e.community}:${e.did}`, cost: 1 }];
    case 'join':
      return [{ rule: 'joins', key: `joins:${e.community}`, cost: 1 }];
  }
}

/** Allowed only if every bucket it draws from has the tokens; a refused event costs nothing. */
export function rateCheck(
  state: RateState,
  e: RateEvent,
  nowMs: number,
): { allowed: boolean; state: RateState; rule?: RateRule } {
  const next = new Map(state);
  for (const d of draws(e)) {
    const config = RATE_RULES[d.rule];
    const r = take(state.get(d.key) ?? fullBucket(config, nowMs), config, nowMs, d.cost);
    if (!r.allowed) return { allowed: false, state, rule: d.rule };
    next.set(d.key, r.bucket);
  }
  return { allowed: true, state: next };
}

/** Drops buckets that have refilled to capacity (they equal fresh ones), so the state stays small. */
export function pruneRates(state: RateState, nowMs: number): RateState {
  const next = new Map<string, TokenBucket>();
  for (const [k, bucket] of state) {
    const rule = ruleOfKey(k);
    if (refill(bucket, RATE_RULES[rule], nowMs).tokens < RATE_RULES[rule].capacity) next.set(k, bucket);
  }
  return next;
}

function ruleOfKey(k: string): RateRule {
  const prefix = k.slice(0, k.indexOf(':'));
  return prefix === 'bytes' ? 'attachmentBytes' : (prefix as RateRule);
}
