// The p2p module: the libp2p host every networked domain talks through (docs/p2p.md).
import { createDisposableStore } from '../kernel/disposable.ts';
import { defineModule } from '../kernel/module.ts';
import { createBanRepo } from './ban-repo.ts';
import { P2pConfig, resolveNat } from './config.ts';
import { createP2pHost, type P2pHost } from './host.ts';
import { m0001PeersBanned } from './migrations/0001_peers_banned.ts';

declare module '../kernel/module.ts' {
  interface Components {
    p2p: P2pHost;
  }
}

/** How often the reachability state is looked at for changes peers do not announce (own addresses, time). */
const REACHABILITY_CHECK_MS = 2_000;

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
      nat: resolveNat(c.role, config.p2p),
    });
    const store = createDisposableStore((err) => c.log.warn('p2p module cleanup failed', { error: String(err) }));
    let lastState = p2p.reachability().state;
    const checkReachability = (): void => {
      const { state } = p2p.reachability();
      if (state === lastState) return;
      lastState = state;
      c.log.info('reachability changed', { state });
      c.events.emit('p2p.reachability', { state });
    };
    store.add(
      p2p.onPeersChanged(() => {
        c.events.emit('p2p.peers', { count: p2p.peers().length });
        checkReachability();
      }),
    );
    return {
      provides: { p2p },
      async start() {
        await p2p.start();
        store.interval(checkReachability, REACHABILITY_CHECK_MS);
      },
      async stop() {
        await store.dispose();
        await p2p.stop();
      },
      handlers: {
        'p2p.info': () => ({ peerId: p2p.peerId, listenAddrs: p2p.listenAddrs() }),
        'p2p.peers': () => p2p.peers(),
        'p2p.reachability': () => p2p.reachability(),
        'p2p.dial': async (p) => ({ peerId: await p2p.dial(p.addr) }),
      },
    };
  },
});
