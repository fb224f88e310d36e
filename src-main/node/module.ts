// The node module: what the node says about itself (version, network, role, uptime).
import { defineModule } from '../kernel/module.ts';

export const nodeModule = defineModule({
  name: 'node',
  needs: ['p2p'],
  create(c) {
    return {
      handlers: {
        'node.info': () => ({
          version: c.version,
          network: c.network,
          role: c.role,
          peerId: c.p2p.peerId,
          uptimeSec: Math.floor((c.now() - c.startedAt) / 1000),
        }),
      },
    };
  },
});
