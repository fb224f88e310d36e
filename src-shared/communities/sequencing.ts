// Epoch sequencing (docs §7): MLS takes one commit per epoch, but two admins may commit at once.
// Among valid commits on the same parent state the higher committer rank wins, ties by the lower
// commit id; members keep the canonical chain and switch when a better commit for an earlier
// epoch of their chain appears. Pure: the MLS wrapper processes, this decides what to process.

/** A commit as sequencing sees it. */
export interface CommitRef {
  /** SHA-256 of the commit's MLS message bytes, hex. */
  readonly id: string;
  /** The epoch of the state it was made on (it leads to epoch + 1). */
  readonly epoch: number;
  /** The tag of the state it was made on. */
  readonly parent: string;
  /** The committer's rank in that state (owner 3, admin 2). */
  readonly rank: number;
}

/** Whether `a` beats `b` for the same parent: higher rank, then lower id. A total order. */
export function better(a: CommitRef, b: CommitRef): boolean {
  if (a.rank !== b.rank) return a.rank > b.rank;
  return a.id < b.id;
}

export interface ChainLink {
  readonly epoch: number;
  /** The tag of our state at this epoch. */
  readonly tag: string;
  /** The commit we applied on this state; absent on the head. */
  readonly next?: CommitRef;
}

/** The member's chain: retained links, oldest first, the last being the head; tags it left. */
export interface Chain {
  readonly links: readonly ChainLink[];
  /** Tags of states on branches that lost, so their descendants are ignored, not held. */
  readonly lost: readonly string[];
}

export const MAX_LINKS = 16;
const MAX_LOST = 256;

export function startChain(epoch: number, tag: string): Chain {
  return { links: [{ epoch, tag }], lost: [] };
}

export function head(chain: Chain): ChainLink {
  return chain.links[chain.links.length - 1]!;
}

export type Offer =
  | { kind: 'apply' }
  | { kind: 'switch'; epoch: number; replaces: CommitRef }
  | { kind: 'hold' }
  | { kind: 'ignore'; reason: 'duplicate' | 'loses' | 'stale' };

/** What to do with a commit that passed no checks yet; the caller processes it only on apply/switch. */
export function offerCommit(chain: Chain, c: CommitRef): Offer {
  const link = chain.links.find((l) => l.tag === c.parent);
  if (link === undefined) {
    if (chain.lost.includes(c.parent)) return { kind: 'ignore', reason: 'loses' };
    if (c.epoch < chain.links[0]!.epoch) return { kind: 'ignore', reason: 'stale' };
    return { kind: 'hold' };
  }
  if (link.epoch !== c.epoch) return { kind: 'ignore', reason: 'stale' };
  if (link.next === undefined) return { kind: 'apply' };
  if (link.next.id === c.id) return { kind: 'ignore', reason: 'duplicate' };
  if (better(c, link.next)) return { kind: 'switch', epoch: link.epoch, replaces: link.next };
  return { kind: 'ignore', reason: 'loses' };
}

/**
 * The chain after `c` was processed on its parent (an apply or a switch) and led to `tag`. Links
 * after the parent belonged to the replaced branch: their tags become lost.
 */
export function recordCommit(chain: Chain, c: CommitRef, tag: string, maxLinks = MAX_LINKS): Chain {
  const at = chain.links.findIndex((l) => l.tag === c.parent);
  if (at < 0) throw new Error('the commit’s parent is not on the chain');
  const dropped = chain.links.slice(at + 1).map((l) => l.tag);
  const links = [...chain.links.slice(0, at), { ...chain.links[at]!, next: c }, { epoch: c.epoch + 1, tag }];
  return {
    links: links.slice(Math.max(0, links.length - maxLinks)),
    lost: [...chain.lost, ...dropped].slice(-MAX_LOST),
  };
}

/** Commits of ours that are no longer on the chain after a switch: their intent is proposed again. */
export function orphaned(before: Chain, after: Chain, mine: (c: CommitRef) => boolean): CommitRef[] {
  const kept = new Set(after.links.flatMap((l) => (l.next ? [l.next.id] : [])));
  return before.links.flatMap((l) => (l.next && !kept.has(l.next.id) && mine(l.next) ? [l.next] : []));
}

/**
 * The canonical chain of a set of commits from `rootTag`, given how each leads to a tag: the
 * reference the incremental rule must agree with (tests, and catch-up planning).
 */
export function canonicalChain(
  commits: readonly CommitRef[],
  rootTag: string,
  tagAfter: (c: CommitRef) => string,
): CommitRef[] {
  const byParent = new Map<string, CommitRef[]>();
  for (const c of commits) byParent.set(c.parent, [...(byParent.get(c.parent) ?? []), c]);
  const chain: CommitRef[] = [];
  let tag = rootTag;
  for (;;) {
    const candidates = byParent.get(tag);
    if (!candidates || candidates.length === 0) return chain;
    const best = candidates.reduce((a, b) => (better(b, a) ? b : a));
    chain.push(best);
    tag = tagAfter(best);
  }
}
