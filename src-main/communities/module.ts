// The communities module: end-to-end encrypted communities and direct messages (MLS) over the
// overlay, and, when config says so, the storage-node role that keeps their ciphertext
// (docs/communities.md). Members are identities of the identity domain: the user takes part as one
// of their published identities, and a member shows verified when that domain verified its profile.
import { events } from '../../src-shared/communities/contract.ts';
import { defineModule } from '../kernel/module.ts';
import { CommunitiesConfig } from './config.ts';
import { m0001Communities } from './migrations/0001_communities.ts';
import { createCommunitiesNode } from './service.ts';

export const communitiesModule = defineModule({
  name: 'communities',
  config: { communities: CommunitiesConfig.default(() => CommunitiesConfig.parse({})) },
  schema: { domain: 'communities', migrations: [m0001Communities] },
  needs: ['vault', 'p2p', 'swaps', 'identities'],
  async create(c, config) {
    const node = await createCommunitiesNode({
      db: c.db,
      dataDir: c.dataDir,
      p2p: c.p2p,
      vault: c.vault,
      identities: c.identities,
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
