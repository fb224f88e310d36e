// The node is this list of domain modules, in the order they are built and started (each may
// use the components of those before it); stop runs in reverse. Adding a domain is one entry
// here (docs/architecture.md "Adding a domain").
import { communitiesModule } from '../communities/module.ts';
import { metricsModule } from '../metrics/module.ts';
import { tokensModule } from '../tokens/module.ts';
import { historyModule } from '../history/module.ts';
import { identityModule } from '../identity/module.ts';
import type { DomainModule } from '../kernel/module.ts';
import { nodeModule } from '../node/module.ts';
import { ordersModule } from '../orders/module.ts';
import { orderRecordsModule } from '../orders/records-module.ts';
import { p2pModule } from '../p2p/module.ts';
import { registryModule } from '../registry/index.ts';
import { paymentsModule } from '../payments/module.ts';
import { servicenodeModule } from '../servicenode/module.ts';
import { servicenodeRoleModule } from '../servicenode/role-module.ts';
import { settingsModule } from '../settings/module.ts';
import type { DomainSchema } from '../store/index.ts';
import { swapsModule } from '../swaps/module.ts';
import { vaultModule } from '../vault/module.ts';
import { walletsModule } from '../wallets/module.ts';

export const MODULES = [
  tokensModule,
  vaultModule,
  settingsModule,
  p2pModule,
  metricsModule,
  nodeModule,
  walletsModule,
  identityModule,
  swapsModule,
  servicenodeModule,
  orderRecordsModule,
  historyModule,
  ordersModule,
  servicenodeRoleModule,
  registryModule,
  communitiesModule,
  paymentsModule,
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of modules of any needs and config
export type AnyModule = DomainModule<any, any, any>;

/** Every module's tables, in module order (migrations run for all, whichever run on this node). */
export function schemasOf(modules: readonly AnyModule[] = MODULES): DomainSchema[] {
  return modules.flatMap((m) => (m.schema ? [m.schema] : []));
}
