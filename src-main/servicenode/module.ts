// The servicenode module: the list of service nodes every node keeps (registrations checked
// against the network's collateral policy, heartbeats, silence) and what the API shows of it. The
// service-node ROLE, on service nodes, is its own module (role-module.ts) after the order book.
import { parseAmount } from '../../src-shared/money/index.ts';
import { defineModule } from '../kernel/module.ts';
import { lookupOutput, parseOutpoint } from '../orders/index.ts';
import { createPeerScorer } from '../orders/index.ts';
import { collateralPolicyOf, ServiceNodesConfig } from './config.ts';
import { m0001ServiceNodes } from './migrations/0001_service_nodes.ts';
import { createServiceNodeRegistry, type ServiceNodeRegistry } from './registry.ts';
import { createServiceNodeRepo } from './repo.ts';
import { networkTokens, serviceNodeView } from './views.ts';

declare module '../kernel/module.ts' {
  interface Components {
    serviceNodes: ServiceNodeRegistry;
  }
}

export const servicenodeModule = defineModule({
  name: 'servicenode',
  config: { serviceNodes: ServiceNodesConfig },
  schema: { domain: 'servicenode', migrations: [m0001ServiceNodes] },
  needs: ['p2p', 'wallets', 'metrics'],
  provides: ['serviceNodes'],
  create(c, config) {
    const policy = collateralPolicyOf(c.network, config.serviceNodes);
    const registry = createServiceNodeRegistry({
      p2p: c.p2p,
      log: c.log,
      now: c.now,
      policy: {
        ticker: policy.ticker,
        amount: parseAmount(policy.amount, c.coins.find(policy.ticker)?.decimals ?? 8),
        minConfirmations: policy.minConfirmations,
      },
      scorer: createPeerScorer({ p2p: c.p2p }),
      silentAfterMs: config.serviceNodes.silentMs,
      repo: createServiceNodeRepo(c.db),
      // Collateral is checked where this node has that coin's daemon; elsewhere it is "no-chain".
      collateral: async (ticker, outpoint) => {
        const coin = c.coins.find(ticker);
        if (!coin || !c.wallets.isConfigured(ticker)) return 'no-chain';
        return lookupOutput(c.wallets.rpc(ticker), coin, parseOutpoint(outpoint));
      },
    });
    c.metrics.gauge('hashlock_servicenode_listed', 'Service nodes this node knows, by collateral check.', () => {
      const by = new Map<string, number>();
      for (const e of registry.all()) by.set(e.verified, (by.get(e.verified) ?? 0) + 1);
      return [...by].map(([verified, value]) => ({ labels: { verified }, value }));
    });
    return {
      provides: { serviceNodes: registry },
      start: () => registry.start(),
      stop: () => registry.stop(),
      handlers: {
        'servicenode.list': () => registry.all().map((e) => serviceNodeView(e, c.coins)),
        'servicenode.tokens': () => networkTokens(registry.known(), c.coins),
      },
    };
  },
});
