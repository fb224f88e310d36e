// Composition root: builds every service of a node from its data directory and config, wires
// events, and owns the start/stop lifecycle. Desktop, headless node, devnet and tests all start
// a node through here, so they run the same code.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createDispatcher, type Dispatcher } from '../api/dispatcher.ts';
import type { Logger } from '../kernel/log.ts';
import { createEventBus, type EventBus } from '../api/events.ts';
import type { EventPayload } from '../../src-shared/api/contract.ts';
import { createHandlers } from '../api/handlers.ts';
import { startApiServer, type ApiServer } from '../api/server.ts';
import { coinsForNetwork, loadConfig, parseConfig, type NodeConfig } from './config.ts';
import { ensureApiToken } from './token.ts';
import { createVault } from '../vault/index.ts';
import { openStore } from '../store/index.ts';
import { createBanRepo } from '../p2p/ban-repo.ts';
import { createWalletConnectionRepo } from '../wallets/connection-repo.ts';
import { createWalletService } from '../wallets/wallet-service.ts';
import { createP2pHost } from '../p2p/host.ts';
import { startBalanceWatcher } from '../wallets/balance-watcher.ts';
import { createSettingsService } from '../settings/service.ts';
import { createSwapRepo } from '../swaps/repo.ts';
import { createSettingsRepo } from '../settings/repo.ts';
import { createSwapEngine, type SwapEngine } from '../swaps/engine.ts';
import { startOrderNetwork, type OrderNetwork } from '../orders/network.ts';

export interface StartNodeOptions {
  dataDir: string;
  log: Logger;
  /** Defaults to <dataDir>/config.json. */
  config?: NodeConfig;
  /** Serve HTTP/WebSocket API (headless); the desktop uses IPC instead. */
  serveApi?: boolean;
  apiPort?: number;
  /** Built renderer to serve next to the API. */
  staticDir?: string;
  /** Unlock the vault at start (headless nodes, devnet); never logged. */
  password?: string;
  /** With `password`: create the vault when there is none (devnet market maker, service nodes). */
  createVault?: boolean;
  /** Overrides the config's role (`hashlock servicenode`). */
  role?: 'trader' | 'servicenode';
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
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const loaded = opts.config ?? loadConfig(dataDir);
  const config = opts.role ? parseConfig({ ...loaded, role: opts.role }, path.join(dataDir, 'config.json')) : loaded;
  const coins = coinsForNetwork(config.network);
  const events = createEventBus((err) => log.warn('event listener failed', { error: String(err) }));
  const token = ensureApiToken(dataDir);

  const db = openStore(path.join(dataDir, 'node.sqlite'));
  const stops: Array<() => Promise<void> | void> = [() => void db.close()];
  const stopAll = async () => {
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch (err) {
        log.warn('stop step failed', { error: String(err) });
      }
    }
  };

  try {
    const vault = createVault({ filePath: path.join(dataDir, 'vault.json'), kdf: config.vault.kdf });
    vault.onStateChange((state) => events.emit('vault.state', { state }));
    if (opts.password !== undefined && vault.status() === 'absent' && opts.createVault) {
      const { mnemonic } = await vault.create(opts.password, { words: 24 });
      log.warn('created a new vault; write down its recovery phrase, printed once on standard output');
      process.stdout.write(`New vault recovery phrase (write it down): ${mnemonic}\n`);
    }
    if (opts.password !== undefined && vault.status() === 'locked') await vault.unlock(opts.password);

    // Bound late: the swap engine needs the wallet service, which asks it what swaps hold back.
    const late: { swaps?: SwapEngine; orders?: OrderNetwork } = {};
    const wallets = createWalletService({
      coins,
      lockedAmount: (ticker) =>
        (late.swaps?.lockedAmount(ticker) ?? 0n) + (late.orders?.orders.lockedAmount(ticker) ?? 0n),
      repo: createWalletConnectionRepo(db),
      secrets: vault.secretBox(),
      detectOptions: { extraDirs: config.wallets.searchDirs },
      onChanged: (ticker) => {
        events.emit('wallets.changed', { ticker });
        void watcher.poke();
      },
    });

    const watcher = startBalanceWatcher({ wallets, coins, events, log });
    stops.push(() => watcher.stop());
    // Our own orders and swaps lock and unlock coins: every open window hears of it at once.
    stops.push(
      events.subscribe((e) => {
        if (
          (e.event === 'order.updated' && (e.data as EventPayload<'order.updated'>).mine) ||
          e.event === 'swap.updated'
        )
          void watcher.poke();
      }),
    );

    const p2p = createP2pHost({
      dataDir,
      listen: config.p2p.listen,
      bootstrap: config.p2p.bootstrap,
      bans: createBanRepo(db),
      log,
    });
    await p2p.start();
    stops.push(() => p2p.stop());
    vault.onStateChange((state) => {
      if (state !== 'unlocked') wallets.forgetClients();
    });
    p2p.onPeersChanged(() => events.emit('p2p.peers', { count: p2p.peers().length }));

    // ---- swap engine: resumes unfinished swaps now, stops before the p2p host and the store
    const crashPoint = process.env.HASHLOCK_TEST_CRASH_AT;
    const settingsRepo = createSettingsRepo(db);
    const settings = createSettingsService({ repo: settingsRepo, coins, events });
    const swapEngine = createSwapEngine({
      coins,
      repo: createSwapRepo(db),
      settings: settingsRepo,
      vault,
      wallets,
      p2p,
      log,
      // An operator's config.json pins confirmations (tests, service setups); otherwise the user's setting.
      confirmations: (ticker) => config.swaps.confirmations[ticker] ?? settings.confirmations(ticker),
      pollMs: config.swaps.pollMs,
      onUpdate: (summary) => events.emit('swap.updated', summary),
      // Tests crash the node at a named step (a real SIGKILL) to prove the engine resumes from there.
      ...(crashPoint
        ? {
            crashAt: (point: string) => {
              if (point === crashPoint) process.kill(process.pid, 'SIGKILL');
            },
          }
        : {}),
    });
    late.swaps = swapEngine;
    await swapEngine.start();
    stops.push(() => swapEngine.stop());

    // ---- order network: service-node list, books, trade history, orders (and the service-node role)
    const orderNetwork = await startOrderNetwork({
      config,
      coins,
      vault,
      wallets,
      p2p,
      db,
      events,
      log,
      swaps: swapEngine,
    });
    late.orders = orderNetwork;
    stops.push(() => orderNetwork.stop());

    const startedAt = Date.now();
    const handlers = createHandlers({
      version: readVersion(),
      config,
      coins,
      vault,
      wallets,
      p2p,
      startedAt,
      now: Date.now,
      swaps: swapEngine,
      settings,
      orders: orderNetwork.orders,
      history: orderNetwork.history,
    });
    const dispatcher = createDispatcher(handlers, log);

    let api: ApiServer | undefined;
    if (opts.serveApi) {
      api = await startApiServer({
        dispatcher,
        events,
        token,
        port: opts.apiPort ?? config.api.port,
        staticDir: opts.staticDir,
        log,
      });
      stops.push(() => api?.close());
    }
    log.info('node started', { network: config.network, role: config.role, peerId: p2p.peerId, api: api?.url });
    return {
      dataDir,
      config,
      dispatcher,
      events,
      peerId: p2p.peerId,
      api,
      token,
      async stop() {
        await stopAll();
        vault.lock();
        log.info('node stopped');
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
