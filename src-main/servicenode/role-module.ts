// The service-node role (config role 'servicenode'): registers its collateral, announces, validates
// and signs orders, checks taker fees and signs holds, and marks holds traded when it hears of the
// trade (docs/protocol.md §12). Runs after the order book it validates against.
import { defineModule } from '../kernel/module.ts';
import { ServiceNodeConfig } from './config.ts';
import { createServiceNodeRepo } from './repo.ts';
import { createServiceNodeRole } from './service.ts';

export const servicenodeRoleModule = defineModule({
  name: 'servicenode.role',
  config: { servicenode: ServiceNodeConfig.optional() },
  checkConfig(base, config) {
    return base.role === 'servicenode' && !config.servicenode
      ? [{ path: 'servicenode', message: 'a service node needs its collateral and fee settings' }]
      : [];
  },
  needs: ['vault', 'wallets', 'p2p', 'serviceNodes', 'book', 'metrics'],
  enabled: (base) => base.role === 'servicenode',
  create(c, config) {
    const settings = config.servicenode;
    if (!settings) return {};
    const role = createServiceNodeRole({
      config: settings,
      coins: c.coins,
      vault: c.vault,
      wallets: c.wallets,
      p2p: c.p2p,
      registry: c.serviceNodes,
      book: c.book,
      repo: createServiceNodeRepo(c.db),
      bus: c.bus,
      log: c.log,
      now: c.now,
    });
    c.metrics.gauge('hashlock_servicenode_role_registered', '1 once this service node has registered its key.', () => [
      { labels: {}, value: role.pubkey() === null ? 0 : 1 },
    ]);
    return { start: () => role.start(), stop: () => role.stop() };
  },
});
