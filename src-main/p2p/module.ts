// The p2p module: the libp2p host every networked domain talks through (docs/p2p.md).
import { defineModule } from '../kernel/module.ts';
import { createBanRepo } from './ban-repo.ts';
import { P2pConfig } from './config.ts';
import { createP2pHost, type P2pHost } from './host.ts';
import { m0001PeersBanned } from './migrations/0001_peers_banned.ts';

declare module '../kernel/module.ts' {
  interface Components {
    p2p: P2pHost;
  }
}

export const p2pModule = defineModule({
  name: 'p2p',
  config: { p2p: P2pConfig },
  schema: { domain: 'p2p', migrations: [m0001PeersBanned] },
  needs: [],
  provides: ['p2p'],
  create(c, config) {
    const p2p = createP2pHost({
      dataDir: c.dataDir,
      listen: config.p2p.listen,
      bootstrap: config.p2p.bootstrap,
      bans: createBanRepo(c.db),
      log: c.log,
    });
    p2p.onPeersChanged(() => c.events.emit('p2p.peers', { count: p2p.peers().length }));
    return {
      provides: { p2p },
      start: () => p2p.start(),
      stop: () => p2p.stop(),
      handlers: {
        'p2p.info': () => ({ peerId: p2p.peerId, listenAddrs: p2p.listenAddrs() }),
        'p2p.peers': () => p2p.peers(),
        'p2p.dial': async (p) => ({ peerId: await p2p.dial(p.addr) }),
      },
    };
  },
});
