// Composition root: a node is the list of domain modules (./modules.ts) built from its data
// directory and config. Each module receives the components it names, provides its own to the
// modules after it, and contributes its handlers to the one dispatcher; the lifecycle starts
// them in order and stops them in reverse. Desktop, headless node, devnet and tests all start a
// node through here, so they run the same code.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { coinsForNetwork } from '../../src-shared/coins/networks.ts';
import { createCoinTable } from '../../src-shared/coins/table.ts';
import { createDispatcher, type Dispatcher } from '../api/dispatcher.ts';
import { createEventBus, type EventBus } from '../api/events.ts';
import { startApiServer, type ApiServer } from '../api/server.ts';
import { createInternalBus } from '../kernel/bus.ts';
import { createLifecycle } from '../kernel/lifecycle.ts';
import type { Logger } from '../kernel/log.ts';
import type { Components, Handlers, HostOptions, HttpRoute, NodeBase } from '../kernel/module.ts';
import { openStore } from '../store/index.ts';
import { loadConfig, parseConfig, sliceFor, type NodeConfig } from './config.ts';
import { MODULES, schemasOf, type AnyModule } from './modules.ts';
import { ensureApiToken } from './token.ts';
import { fileTokenAuthority } from '../tokens/index.ts';

export interface StartNodeOptions extends HostOptions {
  dataDir: string;
  log: Logger;
  /** Defaults to <dataDir>/config.json. */
  config?: NodeConfig;
  /** Serve HTTP/WebSocket API (headless); the desktop uses IPC instead. */
  serveApi?: boolean;
  apiPort?: number;
  /** Built renderer to serve next to the API. */
  staticDir?: string;
  /** Overrides the config's role (`hashlock servicenode`). */
  role?: 'trader' | 'servicenode';
  /** The modules to run; default every module (tests may run fewer). */
  modules?: readonly AnyModule[];
}

export interface NodeHandle {
  dataDir: string;
  config: NodeConfig;
  dispatcher: Dispatcher;
  events: EventBus;
  peerId: string;
  api?: ApiServer;
  token: string;
  stop(): Promise<void>;
}

export function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export async function startNode(opts: StartNodeOptions): Promise<NodeHandle> {
  const { dataDir, log } = opts;
  const modules = opts.modules ?? MODULES;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const loaded = opts.config ?? loadConfig(dataDir);
  const config = opts.role ? parseConfig({ ...loaded, role: opts.role }, path.join(dataDir, 'config.json')) : loaded;
  const events = createEventBus((err) => log.warn('event listener failed', { error: String(err) }));
  const bus = createInternalBus((err, event) =>
    log.warn('internal event listener failed', { event, error: String(err) }),
  );
  const token = ensureApiToken(dataDir);
  const schemas = schemasOf(modules);
  const db = openStore(path.join(dataDir, 'node.sqlite'), { schemas });
  const life = createLifecycle(log);
  life.onStop('store', () => void db.close());

  const base: NodeBase = {
    dataDir,
    network: config.network,
    role: config.role,
    version: readVersion(),
    startedAt: Date.now(),
    log,
    bus,
    events,
    db,
    schemas,
    coins: createCoinTable(coinsForNetwork(config.network), config.network),
    now: Date.now,
    host: { password: opts.password, createVault: opts.createVault, crashAt: opts.crashAt },
  };
  try {
    const { handlers, components, routes } = await startModules(modules, base, config as Record<string, unknown>, life);
    const dispatcher = createDispatcher(handlers, log);
    const authority = components.apiTokens ?? fileTokenAuthority(token);
    let api: ApiServer | undefined;
    if (opts.serveApi) {
      api = await startApiServer({
        dispatcher,
        events,
        authority,
        port: opts.apiPort ?? config.api.port,
        staticDir: opts.staticDir,
        routes,
        log,
      });
      const server = api;
      life.onStop('api', () => server.close());
    }
    const peerId = components.p2p?.peerId ?? '';
    log.info('node started', { network: config.network, role: config.role, peerId, api: api?.url });
    return {
      dataDir,
      config,
      dispatcher,
      events,
      peerId,
      api,
      token,
      async stop() {
        await life.stop();
        log.info('node stopped');
      },
    };
  } catch (err) {
    await life.stop();
    throw err;
  }
}

/** Builds and starts each module in order; a module gets the base and exactly the components it names. */
async function startModules(
  modules: readonly AnyModule[],
  base: NodeBase,
  config: Record<string, unknown>,
  life: ReturnType<typeof createLifecycle>,
): Promise<{ handlers: Partial<Handlers>; components: Partial<Components>; routes: HttpRoute[] }> {
  const components: Record<string, unknown> = {};
  const routes: HttpRoute[] = [];
  const handlers: Record<string, unknown> = {};
  for (const m of modules) {
    const slice = sliceFor(m, config);
    if (m.enabled && !m.enabled(base, slice)) continue;
    const given: Record<string, unknown> = { ...base };
    for (const need of m.needs as readonly string[]) {
      if (!Object.hasOwn(components, need)) {
        throw new Error(`module ${m.name} needs ${need}, which no module before it provides`);
      }
      given[need] = components[need];
    }
    const instance = await m.create(given as unknown as NodeBase & Components, slice);
    for (const name of (m.provides ?? []) as readonly string[]) {
      const provided = (instance.provides as Record<string, unknown> | undefined)?.[name];
      if (provided === undefined) throw new Error(`module ${m.name} promised ${name} but did not provide it`);
      components[name] = provided;
    }
    for (const [method, handler] of Object.entries(instance.handlers ?? {})) {
      if (Object.hasOwn(handlers, method)) throw new Error(`method ${method} is handled by two modules`);
      handlers[method] = handler;
    }
    for (const route of instance.routes ?? []) {
      if (routes.some((r) => r.method === route.method && r.path === route.path)) {
        throw new Error(`route ${route.method} ${route.path} is served by two modules`);
      }
      routes.push(route);
    }
    await life.start(m.name, instance);
  }
  return { handlers: handlers as Partial<Handlers>, components: components as Partial<Components>, routes };
}
