// The content registry module (docs/registry.md): signed records about content, co-signatures,
// added URIs, witnesses and trust, accepted in the specified order, replicated with peers,
// witnessed to settlement; optionally a bucket mirroring content by rule over the overlay.
import { defineModule } from '../kernel/module.ts';
import { TEST_NETWORKS } from '../identity/index.ts';
import { RegistryConfig } from './config.ts';
import { m0001Registry } from './migrations/0001_registry.ts';
import { createRegistryRepo } from './repo.ts';
import { createRegistryNode } from './service.ts';

export const registryModule = defineModule({
  name: 'registry',
  config: { registry: RegistryConfig.default(() => RegistryConfig.parse({})) },
  schema: { domain: 'registry', migrations: [m0001Registry] },
  checkConfig(base, config) {
    const f = config.registry.fetch;
    if (TEST_NETWORKS.has(base.network)) return [];
    return [
      ...(f.allowPrivate ? [{ path: 'registry.fetch.allowPrivate', message: 'only on devnet and regtest' }] : []),
      ...(f.allowHosts.length > 0
        ? [{ path: 'registry.fetch.allowHosts', message: 'only on devnet and regtest' }]
        : []),
    ];
  },
  needs: ['p2p', 'identities'],
  create(c, config) {
    const node = createRegistryNode({
      repo: createRegistryRepo(c.db),
      identities: c.identities,
      p2p: c.p2p,
      config: config.registry,
      dataDir: c.dataDir,
      log: c.log,
      now: c.now,
      emit: {
        updated: (e) => c.events.emit('registry.updated', e),
        bucket: (e) => c.events.emit('registry.bucketChanged', e),
      },
    });
    return { handlers: node.handlers, start: () => node.start(), stop: () => node.stop() };
  },
});
