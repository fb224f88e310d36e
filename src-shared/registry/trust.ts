// The trust graph (docs/registry.md §1.5, §2): one edge per (signer, subject) slot, the newest
// statement winning; breadth-first queries "who do I trust for this language within depth N",
// which end on loops because each identity is visited once, and the trusted co-signer count.
import { registryFail } from './errors.ts';
import { anyRangeMatches } from './fields.ts';
import type { TrustLevel } from './statements.ts';

export const MAX_TRUST_DEPTH = 5;

export interface TrustSlotState {
  readonly iat: number;
  readonly level: TrustLevel;
  readonly id: string;
}

/** Whether `incoming` replaces `stored` in a trust slot: newer iat; at a tie `none` wins, then the greater id. */
export function trustReplaces(stored: TrustSlotState | undefined, incoming: TrustSlotState): boolean {
  if (!stored) return true;
  if (incoming.iat !== stored.iat) return incoming.iat > stored.iat;
  const rank = (l: TrustLevel) => (l === 'none' ? 1 : 0);
  if (rank(incoming.level) !== rank(stored.level)) return rank(incoming.level) > rank(stored.level);
  return incoming.id > stored.id;
}

export interface TrustEdge {
  readonly from: string;
  readonly to: string;
  readonly level: 'friend' | 'trust';
  /** null: every language. */
  readonly languages: readonly string[] | null;
}

export interface Reached {
  readonly depth: number;
  /** The identity it was reached through (a root for depth 1). */
  readonly via: string;
}

export interface TrustGraph {
  /** Sets the current edge of a slot; level `none` removes it. */
  set(from: string, to: string, level: TrustLevel, languages: readonly string[] | null): void;
  edge(from: string, to: string): TrustEdge | undefined;
  edgesFrom(did: string): readonly TrustEdge[];
  /** Both sides state `friend`. */
  mutualFriends(a: string, b: string): boolean;
  /**
   * Everyone reachable from `roots` within `depth` hops over edges that hold for `language`
   * (unscoped edges only when no language is given), each at its shortest depth. Roots are not listed.
   */
  trustedFor(roots: readonly string[], language: string | undefined, depth: number): Map<string, Reached>;
  readonly size: number;
}

export function checkDepth(depth: number): void {
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_TRUST_DEPTH) {
    registryFail('DEPTH_INVALID', `trust depth is 1–${MAX_TRUST_DEPTH}, not ${depth}`);
  }
}

function holdsFor(edge: TrustEdge, language: string | undefined): boolean {
  if (edge.languages === null) return true;
  return language !== undefined && anyRangeMatches(edge.languages, language);
}

export function createTrustGraph(): TrustGraph {
  const out = new Map<string, Map<string, TrustEdge>>();
  let size = 0;
  return {
    set(from, to, level, languages) {
      let edges = out.get(from);
      const had = edges?.has(to) ?? false;
      if (level === 'none') {
        if (had) {
          edges!.delete(to);
          size--;
        }
        return;
      }
      if (!edges) out.set(from, (edges = new Map()));
      edges.set(to, { from, to, level, languages });
      if (!had) size++;
    },
    edge: (from, to) => out.get(from)?.get(to),
    edgesFrom: (did) => [...(out.get(did)?.values() ?? [])],
    mutualFriends(a, b) {
      return out.get(a)?.get(b)?.level === 'friend' && out.get(b)?.get(a)?.level === 'friend';
    },
    trustedFor(roots, language, depth) {
      checkDepth(depth);
      const rootSet = new Set(roots);
      const reached = new Map<string, Reached>();
      let frontier = [...rootSet];
      for (let d = 1; d <= depth && frontier.length > 0; d++) {
        const next: string[] = [];
        for (const did of frontier) {
          const edges = out.get(did);
          if (!edges) continue;
          for (const edge of edges.values()) {
            if (rootSet.has(edge.to) || reached.has(edge.to) || !holdsFor(edge, language)) continue;
            reached.set(edge.to, { depth: d, via: did });
            next.push(edge.to);
          }
        }
        frontier = next;
      }
      return reached;
    },
    get size() {
      return size;
    },
  };
}

/** The co-signers among `cosigners` that `trusted` holds (Sybil resistance: only these count). */
export function trustedCosigners(
  cosigners: readonly string[],
  trusted: ReadonlyMap<string, Reached>,
  roots: readonly string[] = [],
): string[] {
  return cosigners.filter((c) => trusted.has(c) || roots.includes(c));
}
