// The communities module: end-to-end encrypted communities and direct messages (MLS) over the
// overlay, and, when config says so, the storage-node role that keeps their ciphertext
// (docs/communities.md). Identities are the vault's own until the identity domain provides them.
import { events } from '../../src-shared/communities/contract.ts';
import { defineModule } from '../kernel/module.ts';
import { CommunitiesConfig } from './config.ts';
import { m0001Communities } from './migrations/0001_communities.ts';
import { createCommunitiesNode } from './service.ts';
import { vaultIdentities } from './vault-identities.ts';

export const communitiesModule = defineModule({
  name: 'communities',
  config: { communities: CommunitiesConfig.default(() => CommunitiesConfig.parse({})) },
  schema: { domain: 'communities', migrations: [m0001Communities] },
  needs: ['vault', 'p2p', 'swaps'],
  async create(c, config) {
    const node = await createCommunitiesNode({
      db: c.db,
      dataDir: c.dataDir,
      p2p: c.p2p,
      vault: c.vault,
      identities: vaultIdentities(c.vault),
      swaps: c.swaps,
      config: config.communities,
      log: c.log,
      now: c.now,
      // Parsed on the way out: the bus carries the contract's output types.
      emit: (event, data) => c.events.emit(event, events[event].parse(data) as never),
    });
    return {
      handlers: node.handlers,
      start: () => node.start(),
      stop: () => node.stop(),
    };
  },
});
