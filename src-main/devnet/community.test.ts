import { describe, expect, it } from 'vitest';
import type { NodeRpc } from '../cli/rpc-client.ts';
import { silentLogger } from '../kernel/log.ts';
import { LOUNGE, startCommunitySeeder } from './community.ts';

type Call = { method: string; params: Record<string, unknown> };

/** A node's API as the seeder sees it: answers by method, every call recorded. */
function fakeRpc(answer: (method: string, params: Record<string, unknown>) => unknown): NodeRpc & { calls: Call[] } {
  const calls: Call[] = [];
  const call = async (method: string, params: unknown) => {
    calls.push({ method, params: params as Record<string, unknown> });
    return answer(method, params as Record<string, unknown>);
  };
  return { calls, call: call as NodeRpc['call'], raw: call };
}

function maker() {
  let lounge: { id: string; name: string } | undefined;
  return fakeRpc((method) => {
    switch (method) {
      case 'communities.list':
        return lounge ? [lounge] : [];
      case 'communities.storageNodes':
        return [{ peerId: 'service', key: 'k', quotaBytes: 1, maxRetentionDays: 30 }];
      case 'communities.create':
        return (lounge = { id: 'lounge', name: LOUNGE });
      case 'communities.invite':
        return { link: 'hashlock://community/join#x' };
      default:
        return {};
    }
  });
}

/** A trader with a vault, and with the identities given (none by default). */
function trader(identities: Array<{ did: string; name: string | null }> = []) {
  let joined = false;
  return fakeRpc((method, params) => {
    switch (method) {
      case 'vault.status':
        return { state: 'unlocked' };
      case 'communities.identities':
        return identities.map((i) => ({ ...i, label: null }));
      case 'identity.create': {
        const did = `did:is:P${identities.length}`;
        identities.push({ did, name: (params.profile as { name: string }).name });
        return { did };
      }
      case 'communities.join':
        joined = true;
        return { id: 'lounge', state: 'requested' };
      case 'communities.list':
        return joined ? [{ id: 'lounge', state: 'joined' }] : [];
      default:
        return {};
    }
  });
}

describe('the devnet lounge', () => {
  it('gives a trader without an identity one named after it, joins with it and greets it by that name', async () => {
    const m = maker();
    const alice = trader();
    const bob = trader([{ did: 'did:is:PBob', name: 'Bob Builder' }]);
    const seeder = startCommunitySeeder({
      maker: m,
      traders: [
        { name: 'alice', rpc: alice },
        { name: 'bob', rpc: bob },
      ],
      storagePeerId: 'service',
      log: silentLogger,
      intervalMs: 60_000,
    });
    try {
      await seeder.tick();
      await new Promise((r) => setTimeout(r, 0));
      await seeder.tick();
      expect(alice.calls.find((c) => c.method === 'identity.create')?.params).toMatchObject({
        profile: { name: 'Alice' },
      });
      expect(alice.calls.find((c) => c.method === 'communities.join')?.params).toMatchObject({ identity: 'did:is:P0' });
      // Bob has one already: it is used, and none is made.
      expect(bob.calls.some((c) => c.method === 'identity.create')).toBe(false);
      expect(bob.calls.find((c) => c.method === 'communities.join')?.params).toMatchObject({ identity: 'did:is:PBob' });
      const said = m.calls.filter((c) => c.method === 'communities.send').map((c) => c.params.text as string);
      expect(said.some((t) => t.includes('Welcome to the devnet lounge, Alice.'))).toBe(true);
      expect(said.some((t) => t.includes('Welcome to the devnet lounge, Bob Builder.'))).toBe(true);
    } finally {
      seeder.stop();
    }
  });
});
