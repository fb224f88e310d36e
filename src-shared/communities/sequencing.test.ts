import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from './ids.ts';
import { better, canonicalChain, head, offerCommit, orphaned, recordCommit, startChain } from './sequencing.ts';
import type { Chain, CommitRef } from './sequencing.ts';

const h = (s: string) => bytesToHex(sha256(utf8ToBytes(s))).slice(0, 32);
/** In this model processing a commit is deterministic: its resulting tag hashes parent and id. */
const tagAfter = (c: CommitRef) => h(`${c.parent}/${c.id}`);
const ref = (parent: string, epoch: number, id: string, rank: number): CommitRef => ({
  id: h(id),
  epoch,
  parent,
  rank,
});
const ROOT = h('root');

/** A member applying what arrives: held commits are retried after every change, as main does. */
function deliver(order: CommitRef[], chain = startChain(0, ROOT)): Chain {
  let held: CommitRef[] = [];
  const offer = (c: CommitRef): boolean => {
    const o = offerCommit(chain, c);
    if (o.kind === 'hold') {
      held.push(c);
      return false;
    }
    if (o.kind === 'apply' || o.kind === 'switch') {
      chain = recordCommit(chain, c, tagAfter(c));
      return true;
    }
    return false;
  };
  for (const c of order) {
    if (!offer(c)) continue;
    for (let changed = true; changed;) {
      const retry = held;
      held = [];
      changed = retry.map(offer).some(Boolean);
    }
  }
  return chain;
}

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('epoch sequencing', () => {
  it('the higher rank wins, then the lower id', () => {
    const a = ref(ROOT, 0, 'a', 3);
    const b = ref(ROOT, 0, 'b', 2);
    expect(better(a, b)).toBe(true);
    expect(better(b, a)).toBe(false);
    const [x, y] = [ref(ROOT, 0, 'x', 2), ref(ROOT, 0, 'y', 2)].sort((p, q) => (p.id < q.id ? -1 : 1));
    expect(better(x!, y!)).toBe(true);
  });

  it('a commit on the head is applied', () => {
    expect(offerCommit(startChain(0, ROOT), ref(ROOT, 0, 'a', 2))).toEqual({ kind: 'apply' });
  });

  it('a replayed commit is ignored', () => {
    const c = ref(ROOT, 0, 'a', 2);
    const chain = recordCommit(startChain(0, ROOT), c, tagAfter(c));
    expect(offerCommit(chain, c)).toEqual({ kind: 'ignore', reason: 'duplicate' });
  });

  it('a commit for a later epoch is held until its parent arrives', () => {
    const c1 = ref(ROOT, 0, 'c1', 2);
    const c2 = ref(tagAfter(c1), 1, 'c2', 2);
    expect(offerCommit(startChain(0, ROOT), c2)).toEqual({ kind: 'hold' });
    expect(head(deliver([c2, c1])).tag).toBe(tagAfter(c2));
  });

  it('a better commit for an earlier epoch switches the chain; a worse one is ignored', () => {
    const admin = ref(ROOT, 0, 'admin', 2);
    const next = ref(tagAfter(admin), 1, 'next', 2);
    const owner = ref(ROOT, 0, 'owner', 3);
    const chain = deliver([admin, next]);
    expect(offerCommit(chain, owner)).toEqual({ kind: 'switch', epoch: 0, replaces: admin });
    const switched = recordCommit(chain, owner, tagAfter(owner));
    expect(head(switched).tag).toBe(tagAfter(owner));
    expect(orphaned(chain, switched, () => true)).toEqual([admin, next]);
    expect(offerCommit(switched, admin)).toEqual({ kind: 'ignore', reason: 'loses' });
    // The loser's descendants are known losers, not held forever.
    expect(offerCommit(switched, ref(tagAfter(next), 2, 'late', 3))).toEqual({ kind: 'ignore', reason: 'loses' });
  });

  it('a commit older than the retained links is stale', () => {
    let chain = startChain(0, ROOT);
    for (let i = 0; i < 20; i++) {
      const c = ref(head(chain).tag, i, `c${i}`, 2);
      chain = recordCommit(chain, c, tagAfter(c));
    }
    expect(chain.links).toHaveLength(16);
    expect(offerCommit(chain, ref(h('unknown'), 1, 'old', 3))).toEqual({ kind: 'ignore', reason: 'stale' });
  });

  it('every delivery order converges to the same chain', () => {
    const random = seeded(42);
    for (let round = 0; round < 30; round++) {
      // A random tree of commits: each picks a parent among the root and earlier commits' results.
      const commits: CommitRef[] = [];
      const states: { tag: string; epoch: number }[] = [{ tag: ROOT, epoch: 0 }];
      for (let i = 0; i < 12; i++) {
        const parent = states[Math.floor(random() * states.length)]!;
        const c = ref(parent.tag, parent.epoch, `r${round}c${i}`, 2 + Math.floor(random() * 2));
        commits.push(c);
        states.push({ tag: tagAfter(c), epoch: parent.epoch + 1 });
      }
      const expected = canonicalChain(commits, ROOT, tagAfter);
      const expectedHead = expected.length ? tagAfter(expected[expected.length - 1]!) : ROOT;
      for (let k = 0; k < 8; k++) {
        const order = commits
          .map((c) => [random(), c] as const)
          .sort((a, b) => a[0] - b[0])
          .map(([, c]) => c);
        const chain = deliver(order);
        expect(head(chain).tag).toBe(expectedHead);
        expect(chain.links.flatMap((l) => (l.next ? [l.next.id] : []))).toEqual(expected.map((c) => c.id).slice(-15));
      }
    }
  });
});
