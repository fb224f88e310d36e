// The identity module: every node is a did:is registry (docs/identity.md). It stores and serves
// verified profiles, metadata and links, replicates them with its peers, keeps the user's own
// identities in the vault, and gives other domains the `identities` component.
import { defineModule } from '../kernel/module.ts';
import './component.ts';
import './order-identity.ts';
import { IdentityConfig, TEST_NETWORKS } from './config.ts';
import { m0001Identity } from './migrations/0001_identity.ts';
import { m0002NoDidIndex } from './migrations/0002_no_did_index.ts';
import { createIdentityRepo } from './repo.ts';
import { createIdentityNode } from './service.ts';

export const identityModule = defineModule({
  name: 'identity',
  config: { identity: IdentityConfig.default(() => IdentityConfig.parse({})) },
  schema: { domain: 'identity', migrations: [m0001Identity, m0002NoDidIndex] },
  checkConfig(base, config) {
    const d = config.identity.domains;
    if (TEST_NETWORKS.has(base.network)) return [];
    return [
      ...(d.allowPrivate ? [{ path: 'identity.domains.allowPrivate', message: 'only on devnet and regtest' }] : []),
      ...(Object.keys(d.testOrigins).length > 0
        ? [{ path: 'identity.domains.testOrigins', message: 'only on devnet and regtest' }]
        : []),
    ];
  },
  needs: ['vault', 'p2p', 'wallets'],
  provides: ['identities', 'makerIdentities'],
  create(c, config) {
    const repo = createIdentityRepo(c.db);
    const node = createIdentityNode({
      repo,
      db: c.db,
      vault: c.vault,
      p2p: c.p2p,
      coins: c.coins.all,
      coin: (ticker) => c.coins.get(ticker),
      rpcOf: (ticker) => (c.wallets.isConfigured(ticker) ? c.wallets.rpc(ticker) : undefined),
      config: config.identity,
      log: c.log,
      now: c.now,
      emit: {
        updated: (e) => c.events.emit('identity.updated', e),
        sync: (e) => c.events.emit('identity.sync', e),
      },
    });
    const offs: Array<() => void> = [];
    return {
      provides: { identities: node.identities, makerIdentities: node.makerIdentities },
      handlers: node.handlers,
      routes: node.routes,
      async start() {
        // Our swaps that end in a refund count against the maker they were with (trading record).
        offs.push(
          c.bus.on('swaps.updated', (s) => {
            if (s.terminal && s.outcome === 'refunded') repo.attestations.addRefund(s.swapId, s.counterparty, c.now());
          }),
        );
        await node.start();
      },
      async stop() {
        for (const off of offs.splice(0)) off();
        await node.stop();
      },
    };
  },
});
