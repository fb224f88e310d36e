// Trust slots converge whatever the order; queries follow scope and depth and end on loops.
import { describe, expect, it } from 'vitest';
import { reasonOf } from './errors.ts';
import { createTrustGraph, trustReplaces, trustedCosigners } from './trust.ts';

describe('trust slots', () => {
  it('a newer statement replaces, an older one is stale', () => {
    const stored = { iat: 10, level: 'trust' as const, id: '5'.repeat(64) };
    expect(trustReplaces(stored, { iat: 11, level: 'none', id: '0'.repeat(64) })).toBe(true);
    expect(trustReplaces(stored, { iat: 9, level: 'friend', id: 'f'.repeat(64) })).toBe(false);
  });
  it('at the same iat a revocation wins, then the greater id, in any arrival order', () => {
    const a = { iat: 10, level: 'trust' as const, id: '9'.repeat(64) };
    const b = { iat: 10, level: 'none' as const, id: '1'.repeat(64) };
    const c = { iat: 10, level: 'friend' as const, id: 'a'.repeat(64) };
    expect(trustReplaces(a, b)).toBe(true);
    expect(trustReplaces(b, a)).toBe(false);
    expect(trustReplaces(a, c)).toBe(true);
    expect(trustReplaces(c, a)).toBe(false);
  });
});

describe('trust queries', () => {
  const g = createTrustGraph();
  g.set('me', 'ana', 'trust', ['es']);
  g.set('me', 'bo', 'friend', null);
  g.set('bo', 'me', 'friend', null);
  g.set('ana', 'carla', 'trust', null);
  g.set('carla', 'dan', 'trust', ['es-MX']);
  g.set('dan', 'me', 'trust', null); // a loop back to the root
  g.set('carla', 'ana', 'trust', null); // a loop among others
  g.set('bo', 'eve', 'trust', ['fr']);

  it('finds who I trust for Spanish within depth 3, each at its shortest depth', () => {
    const r = g.trustedFor(['me'], 'es-MX', 3);
    expect(Object.fromEntries([...r].map(([d, x]) => [d, x.depth]))).toEqual({ ana: 1, bo: 1, carla: 2, dan: 3 });
    expect(r.get('carla')!.via).toBe('ana');
  });
  it('a scoped edge does not hold for another language', () => {
    const r = g.trustedFor(['me'], 'fr', 5);
    expect([...r.keys()].sort()).toEqual(['bo', 'eve']);
  });
  it('without a language only unscoped edges count', () => {
    expect([...g.trustedFor(['me'], undefined, 5).keys()]).toEqual(['bo']);
  });
  it('depth 1 is direct trust only, and loops end', () => {
    expect([...g.trustedFor(['me'], 'es', 1).keys()].sort()).toEqual(['ana', 'bo']);
    expect(g.trustedFor(['me'], 'es-MX', 5).size).toBe(4);
  });
  it('mutual friendship needs both sides', () => {
    expect(g.mutualFriends('me', 'bo')).toBe(true);
    expect(g.mutualFriends('me', 'ana')).toBe(false);
  });
  it('a revocation removes the edge and what was reached only through it', () => {
    const h = createTrustGraph();
    h.set('me', 'ana', 'trust', null);
    h.set('ana', 'carla', 'trust', null);
    expect(h.size).toBe(2);
    h.set('me', 'ana', 'none', null);
    expect(h.size).toBe(1);
    expect(h.trustedFor(['me'], 'es', 3).size).toBe(0);
  });
  it('refuses depth 0 and depth 6', () => {
    for (const d of [0, 6, 1.5]) {
      try {
        g.trustedFor(['me'], 'es', d);
        expect.unreachable();
      } catch (err) {
        expect(reasonOf(err)).toBe('DEPTH_INVALID');
      }
    }
  });
  it('counts only trusted co-signers', () => {
    const trusted = g.trustedFor(['me'], 'es', 2);
    expect(trustedCosigners(['ana', 'sybil1', 'sybil2', 'carla', 'me'], trusted, ['me'])).toEqual([
      'ana',
      'carla',
      'me',
    ]);
  });
});
