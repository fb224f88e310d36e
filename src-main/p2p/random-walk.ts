// libp2p's random walk: the circuit relay transport's search for relays (a `/p2p-circuit` listen
// address) asks the DHT for the peers closest to a random key, and as soon as one search ends it
// starts the next, for as long as the transport still wants a relay. A node that wants more
// reservations than the network offers (the devnet, a small network, relays all full) walked
// without a pause: about half a core of every idle trader node, and as much again in its peers
// answering (docs/p2p.md "The random walk, paced"). Here each search after the first waits:
// `firstGapMs` after the one before, the gap doubling up to `maxGapMs` while the walk goes on.
// A walk that was idle for two of the longest gaps starts again without waiting.
import { setTimeout as delay } from 'node:timers/promises';
import type { Libp2p } from 'libp2p';

export interface WalkPace {
  readonly firstGapMs: number;
  readonly maxGapMs: number;
}

/** 10 s, then 20, 40 … up to 5 minutes between searches while a walk goes on. */
export const WALK_PACE: WalkPace = { firstGapMs: 10_000, maxGapMs: 300_000 };

/** What libp2p's random walk uses of its peer routing. */
export interface ClosestPeersRouting {
  getClosestPeers(key: Uint8Array, options?: { signal?: AbortSignal }): AsyncIterable<unknown>;
}

/**
 * `routing` with getClosestPeers paced (everything else as it is). The wait ends early, with an
 * AbortError, when the search's signal aborts (the walk stopped or the node is stopping).
 */
export function pacedClosestPeers<R extends ClosestPeersRouting>(
  routing: R,
  pace: WalkPace = WALK_PACE,
  now: () => number = Date.now,
): R {
  let lastStart: number | undefined;
  let gap = pace.firstGapMs;
  const paced = Object.create(routing) as R;
  paced.getClosestPeers = async function* (key, options) {
    const t = now();
    let wait = 0;
    if (lastStart === undefined || t - lastStart >= 2 * pace.maxGapMs) {
      gap = pace.firstGapMs;
    } else {
      wait = Math.max(0, lastStart + gap - t);
      gap = Math.min(2 * gap, pace.maxGapMs);
    }
    lastStart = t + wait;
    if (wait > 0) {
      await delay(wait, undefined, { ref: false, ...(options?.signal ? { signal: options.signal } : {}) });
      // A timer that fired late moves the next search as much: the gap counts from the real start.
      lastStart = Math.max(lastStart, now());
    }
    yield* routing.getClosestPeers(key, options);
  } as R['getClosestPeers'];
  return paced;
}

/**
 * Paces `node`'s random walk. False when this libp2p has no random walk where libp2p 3.x keeps it
 * (`components.randomWalk.peerRouting`): random-walk.test.ts fails then, so an upgrade that moves
 * it is seen.
 */
export function paceRandomWalk(node: Libp2p, pace: WalkPace = WALK_PACE): boolean {
  const walk = (node as unknown as { components?: { randomWalk?: { peerRouting?: ClosestPeersRouting } } }).components
    ?.randomWalk;
  if (typeof walk?.peerRouting?.getClosestPeers !== 'function') return false;
  walk.peerRouting = pacedClosestPeers(walk.peerRouting, pace);
  return true;
}
