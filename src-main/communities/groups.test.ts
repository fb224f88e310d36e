import { describe, expect, it } from 'vitest';
import { createMlsContext } from '../../src-shared/communities/mls.ts';
import { community } from '../../src-shared/communities/testkit.ts';
import { silentLogger } from '../kernel/log.ts';
import { openStore } from '../store/index.ts';
import { createSecretBox } from '../vault/secret-box.ts';
import { createGroupStore } from './groups.ts';
import { syncCryptoProvider } from './mls-crypto.ts';
import { m0001Communities } from './migrations/0001_communities.ts';
import { createCommunityRepo } from './repo.ts';
import { boxSealer } from './secrets.ts';

async function setup() {
  const db = openStore(':memory:', { schemas: [{ domain: 'communities', migrations: [m0001Communities] }] });
  const repo = createCommunityRepo(db);
  let locked = false;
  const box = createSecretBox(() => {
    if (locked) throw new Error('locked');
    return new Uint8Array(32).fill(5);
  });
  const mls = await createMlsContext(syncCryptoProvider);
  const groups = createGroupStore({ repo, sealer: boxSealer(() => box), mls, log: silentLogger });
  const { groups: made } = await community(mls, 'owner', []);
  const group = made.get('owner')!;
  return { db, repo, groups, group, lock: () => (locked = true) };
}

describe('group store: writes deferred to the next seal', () => {
  it('commits deferred writes with the state’s seal, in order, and runs their follow-ups after the commit', async () => {
    const { db, repo, groups, group } = await setup();
    const after: string[] = [];
    groups.set('c1', group, { lazy: true });
    groups.defer('c1', () => {
      repo.secret.put('c1', 'm1', 'x');
      return () => after.push(`m1 ${String(db.inTransaction)}`);
    });
    groups.defer('c1', () => void repo.secret.put('c1', 'm2', 'x'));
    expect(repo.secret.get('c1', 'm1')).toBeUndefined();
    expect(repo.secret.get('c1', 'group')).toBeUndefined();
    groups.flush('c1');
    expect(repo.secret.get('c1', 'm1')).toBe('x');
    expect(repo.secret.get('c1', 'm2')).toBe('x');
    expect(repo.secret.get('c1', 'group')).toBeDefined();
    expect(after).toEqual(['m1 false']);
  });

  it('an immediate seal (a commit, an own message) and forget take the waiting writes too', async () => {
    const { repo, groups, group } = await setup();
    groups.defer('c1', () => void repo.secret.put('c1', 'm1', 'x'));
    groups.set('c1', group);
    expect(repo.secret.get('c1', 'm1')).toBe('x');
    groups.defer('c1', () => void repo.secret.put('c1', 'm2', 'x'));
    groups.forget('c1');
    expect(repo.secret.get('c1', 'm2')).toBe('x');
    expect(repo.secret.get('c1', 'group')).toBeUndefined();
  });

  it('a failing seal still commits the writes (the stored state is older, never ahead); a failing write rolls the seal back', async () => {
    const { repo, groups, group, lock } = await setup();
    groups.set('c1', group);
    const before = repo.secret.get('c1', 'group');
    groups.set('c1', group, { lazy: true });
    groups.defer('c1', () => {
      throw new Error('disk full');
    });
    groups.flush('c1');
    // Rolled back together: the state stored is the one from before the write.
    expect(repo.secret.get('c1', 'group')).toBe(before);
    groups.set('c1', group, { lazy: true });
    groups.defer('c1', () => void repo.secret.put('c1', 'm1', 'x'));
    lock();
    groups.flush('c1');
    expect(repo.secret.get('c1', 'm1')).toBe('x');
    expect(repo.secret.get('c1', 'group')).toBe(before);
  });
});
