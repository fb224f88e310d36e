import { describe, expect, it } from 'vitest';
import { openStore } from '../store/index.ts';
import { m0001Communities } from './migrations/0001_communities.ts';
import { emptyData } from './record.ts';
import { createCommunityRepo, type CommunityRow } from './repo.ts';

function repo() {
  const db = openStore(':memory:', { schemas: [{ domain: 'communities', migrations: [m0001Communities] }] });
  return createCommunityRepo(db);
}

const row = (patch: Partial<CommunityRow> = {}): CommunityRow => ({
  id: 'c1',
  topic: 't1',
  kind: 'community',
  me: 'did:is:me',
  state: 'joined',
  removedReason: null,
  swapId: null,
  peer: null,
  data: emptyData(),
  createdAt: 1,
  updatedAt: 1,
  lastMessageAt: null,
  ...patch,
});

describe('community repo', () => {
  it('a received post moves lastMessageAt forward only, and a stale copy saved later keeps the newer time', () => {
    const r = repo();
    r.save(row());
    r.touch('c1', 100);
    expect(r.get('c1')!.lastMessageAt).toBe(100);
    r.touch('c1', 50);
    expect(r.get('c1')!.lastMessageAt).toBe(100);
    // A copy read before the post, saved after it (another field changed).
    r.save(row({ state: 'removed', lastMessageAt: null }));
    expect(r.get('c1')).toMatchObject({ state: 'removed', lastMessageAt: 100 });
    r.save(row({ lastMessageAt: 40 }));
    expect(r.get('c1')!.lastMessageAt).toBe(100);
    r.save(row({ lastMessageAt: 200 }));
    expect(r.get('c1')!.lastMessageAt).toBe(200);
  });

  it('a row’s data is parsed once per text, shared frozen, and read again once the row changes', () => {
    const r = repo();
    r.save(row());
    const a = r.get('c1')!;
    const b = r.byTopic('t1')!;
    expect(b.data).toBe(a.data);
    expect(() => {
      (a.data as { seq: number }).seq = 5;
    }).toThrow(TypeError);
    expect(() => (a.data.chain.links as unknown[]).push({})).toThrow(TypeError);
    r.save({ ...a, data: { ...a.data, seq: 7, cursors: { node: 3 } } });
    const c = r.get('c1')!;
    expect(c.data).not.toBe(a.data);
    expect([c.data.seq, c.data.cursors]).toEqual([7, { node: 3 }]);
    expect(a.data.seq).toBe(0);
  });
});
