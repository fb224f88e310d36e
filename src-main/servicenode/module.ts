// The servicenode module: the network's collateral policy (every node checks service nodes
// against it) and, on a service node, the role's own settings (docs/protocol.md §12).
import { defineModule } from '../kernel/module.ts';
import { ServiceNodeConfig, ServiceNodesConfig } from './config.ts';
import { m0001ServiceNodes } from './migrations/0001_service_nodes.ts';

declare module '../kernel/module.ts' {
  interface Components {
    serviceNodeConfig: { serviceNodes: ServiceNodesConfig; servicenode: ServiceNodeConfig | undefined };
  }
}

export const servicenodeModule = defineModule({
  name: 'servicenode',
  config: { serviceNodes: ServiceNodesConfig, servicenode: ServiceNodeConfig.optional() },
  schema: { domain: 'servicenode', migrations: [m0001ServiceNodes] },
  checkConfig(base, config) {
    return base.role === 'servicenode' && !config.servicenode
      ? [{ path: 'servicenode', message: 'a service node needs its collateral and fee settings' }]
      : [];
  },
  needs: [],
  provides: ['serviceNodeConfig'],
  create(_c, config) {
    return { provides: { serviceNodeConfig: { serviceNodes: config.serviceNodes, servicenode: config.servicenode } } };
  },
});
