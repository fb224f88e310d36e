// Runs the local demo network: two independent Litecoin Core regtest chains (DEVA, DEVB) with
// funded trader wallets and a miner that keeps producing blocks, plus one headless node per
// trader. The supervisor owns every child; stopping it stops them all, and it records their
// pids in state.json so a later `down` can clean up even after a crash.
import { z } from 'zod';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../kernel/log.ts';
import { startRegtestDaemon, type RegtestDaemon } from '../chain/regtest-daemon.ts';
import { readApiToken } from '../core/token.ts';
import { createNodeRpc } from '../cli/rpc-client.ts';
import { waitFor } from '../kernel/time.ts';
import {
  DEVNET_MAKER,
  DEVNET_SERVICE_NODE,
  DEVNET_TRADERS,
  devnetLayout,
  type DevnetLayout,
  type DevnetState,
} from './layout.ts';
import { startCommunitySeeder } from './community.ts';
import { startMarketMaker } from './market-maker.ts';
import { publishMakerIdentity } from './maker-identity.ts';
import { NODE_V8_FLAGS } from '../core/v8-flags.ts';
import { peerIdOfDataDir } from '../p2p/identity-key.ts';

const COIN = 100_000_000n;
/** What each trader wallet holds after funding (whole coins), topped up on each start. */
const TRADER_FUNDS = 50n * COIN;
/**
 * In this many coins: an open order is backed by whole coins of its own, so a wallet of one coin
 * could have only one order open at a time (the e2e suite found that every trader got one coin).
 */
const TRADER_COINS = 10n;
/** The market maker gets its funds as many coins: each open order is backed by coins of its own. */
const MAKER_COINS = 12;
const MAKER_COIN = 5n * COIN;
/** The service node's collateral on DEVA (the devnet's default policy, src-main/core/config.ts). */
const COLLATERAL = 10n * COIN;

export interface DevnetOptions {
  root: string;
  repoRoot: string;
  /** The script that runs the CLI (src-main/cli/main.ts or its bundle): the nodes are started with it. */
  cliEntry: string;
  basePort?: number;
  log: Logger;
  /** Block interval of the automatic miner. */
  blockIntervalMs?: number;
}

export interface RunningDevnet {
  layout: DevnetLayout;
  state: DevnetState;
  stop(): Promise<void>;
}

export function readState(stateFile: string): DevnetState | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as DevnetState;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Kill whatever a previous, crashed supervisor left behind. */
export async function reapStale(state: DevnetState, log: Logger): Promise<void> {
  const pids = [...state.nodes.map((n) => n.pid), ...state.chains.map((c) => c.pid)].filter(isAlive);
  for (const pid of pids) {
    log.warn('stopping leftover devnet process', { pid });
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + 20_000;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
}

export async function runDevnet(opts: DevnetOptions): Promise<RunningDevnet> {
  const { log } = opts;
  const layout = devnetLayout(opts.root, opts.basePort);
  mkdirSync(layout.root, { recursive: true });
  const previous = readState(layout.stateFile);
  if (previous && previous.supervisorPid !== process.pid && isAlive(previous.supervisorPid)) {
    throw new Error(
      `a devnet is already running from ${layout.root} (supervisor pid ${previous.supervisorPid}); use \`hashlock devnet status\` or \`down\``,
    );
  }
  if (previous) await reapStale(previous, log);

  const state: DevnetState = {
    supervisorPid: process.pid,
    status: 'starting',
    startedAt: new Date().toISOString(),
    chains: [],
    nodes: [],
  };
  const save = () => writeFileSync(layout.stateFile, JSON.stringify(state, null, 2));
  save();

  const daemons: RegtestDaemon[] = [];
  const children: ChildProcess[] = [];
  let miner: NodeJS.Timeout | undefined;
  let marketMaker: { stop(): void } | undefined;
  let seeder: { stop(): void } | undefined;
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    state.status = 'stopping';
    save();
    if (miner) clearInterval(miner);
    marketMaker?.stop();
    seeder?.stop();
    await Promise.all(children.map((c) => stopChild(c)));
    await Promise.all(daemons.map((d) => d.stop().catch(() => d.kill())));
    state.chains = [];
    state.nodes = [];
    writeFileSync(layout.stateFile, JSON.stringify({ ...state, status: 'stopped' }, null, 2));
    log.info('devnet stopped');
  };

  try {
    // Both chains at once: each is a daemon start, a few hundred blocks and some wallets.
    const started = await Promise.all(
      layout.chains.map(async (chain) => {
        const daemon = await startRegtestDaemon({
          dataDir: chain.dataDir,
          rpcPort: chain.rpcPort,
          p2pPort: chain.p2pPort,
          walletName: 'miner',
        });
        daemons.push(daemon);
        await fundTraders(daemon, [...DEVNET_TRADERS]);
        await fundMaker(daemon, DEVNET_MAKER);
        await ensureWallet(daemon, DEVNET_SERVICE_NODE);
        log.info('chain ready', { ticker: chain.ticker, rpcPort: daemon.rpcPort });
        return daemon;
      }),
    );
    // In layout order from here on (`daemons` is in start order, for stop).
    state.chains = layout.chains.map((chain, i) => ({
      ticker: chain.ticker,
      pid: started[i]!.pid,
      rpcPort: started[i]!.rpcPort,
      dataDir: chain.dataDir,
    }));
    save();

    const interval = opts.blockIntervalMs ?? 5000;
    let mining = false;
    miner = setInterval(() => {
      if (mining) return;
      mining = true;
      Promise.all(daemons.map((d) => d.mine(1)))
        .catch((err: unknown) => log.warn('mining failed', { error: String(err) }))
        .finally(() => {
          mining = false;
        });
    }, interval);
    miner.unref();

    const deva = started[layout.chains.findIndex((c) => c.ticker === 'DEVA')]!;
    const collateral = await ensureCollateral(deva, DEVNET_SERVICE_NODE);
    const writeConfig = (node: DevnetLayout['nodes'][number], peers: readonly string[]) =>
      writeFileSync(
        path.join(node.dataDir, 'config.json'),
        JSON.stringify(
          {
            network: 'devnet',
            role: node.role,
            api: { port: node.apiPort },
            p2p: { listen: [`/ip4/127.0.0.1/tcp/${node.p2pPort}`], bootstrap: peers },
            wallets: {
              searchDirs: layout.chains.map((c) => ({ ticker: c.ticker, dataDir: c.dataDir, wallet: node.name })),
            },
            ...(node.role === 'servicenode'
              ? {
                  servicenode: {
                    collateral: { ticker: 'DEVA', ...collateral },
                    fee: { ticker: 'DEVB', amount: '0.001' },
                    coins: layout.chains.map((c) => c.ticker),
                    announceMs: 5000,
                  },
                  // The devnet's storage node: it keeps communities' ciphertext for those that name it.
                  communities: { storage: { enabled: true } },
                }
              : {}),
          },
          null,
          2,
        ),
      );
    // Every node's peer id is known before any starts (its key is made here, where the node would
    // make it), so each config lists every other node and all four start at once. A node started
    // again on its own (`hashlock node --data-dir <its dir>` after a crash) finds all the others.
    const addrs = layout.nodes.map((node) => {
      mkdirSync(node.dataDir, { recursive: true, mode: 0o700 });
      return `/ip4/127.0.0.1/tcp/${node.p2pPort}/p2p/${peerIdOfDataDir(node.dataDir)}`;
    });
    const up: Array<DevnetState['nodes'][number] | undefined> = [];
    const managed: Array<{ name: string; url: string; token: string }> = [];
    const clients = await Promise.all(
      layout.nodes.map(async (node, i) => {
        writeConfig(
          node,
          addrs.filter((_, j) => j !== i),
        );
        // Trader nodes start without a vault: the person at the UI creates or restores one. The
        // devnet's own nodes (service node, market maker) get one made with a password kept beside them.
        const passwordFile = path.join(node.dataDir, 'password');
        if (node.managed && !existsSync(passwordFile))
          writeFileSync(passwordFile, randomBytes(16).toString('hex'), { mode: 0o600 });
        const args = node.managed ? ['--password-file', passwordFile, '--create-vault'] : [];
        const child = spawnNode(
          opts,
          node.dataDir,
          path.join(node.dataDir, 'node.log'),
          node.role === 'servicenode' ? 'servicenode' : 'node',
          args,
        );
        children.push(child);
        const url = `http://127.0.0.1:${node.apiPort}`;
        const token = await waitFor(
          async () => {
            if (child.exitCode !== null)
              throw new Error(
                `node ${node.name} exited with code ${child.exitCode}; see ${path.join(node.dataDir, 'node.log')}`,
              );
            const token = readApiToken(node.dataDir);
            // Only the probe is short: a loaded machine can take seconds over the calls after it.
            await createNodeRpc(url, token, 2000).call('node.info', {});
            return token;
          },
          { timeoutMs: 180_000, intervalMs: 300, what: `node ${node.name} API` },
        );
        const client = createNodeRpc(url, token, 60_000);
        const info = await client.call('p2p.info', {});
        if (!addrs[i]!.endsWith(`/p2p/${info.peerId}`))
          throw new Error(`node ${node.name} runs as ${info.peerId}, not the peer id of its key file`);
        up[i] = { name: node.name, pid: child.pid ?? 0, url, token, peerId: info.peerId };
        state.nodes = up.filter((n) => n !== undefined);
        save();
        if (node.managed) {
          await connectWallets(
            client,
            layout.chains.map((c, k) => ({ ticker: c.ticker, daemon: started[k]! })),
            node.name,
          );
          managed.push({ name: node.name, url, token });
        }
        return client;
      }),
    );
    // Two nodes that came up together may each have dialled the other before it listened; one dial
    // per pair now (an existing connection is reused) leaves no pair unconnected.
    await Promise.all(
      clients.map((client, i) =>
        Promise.all(
          addrs
            .filter((_, j) => j > i)
            .map((addr) =>
              client.call('p2p.dial', { addr }).catch((err: unknown) => {
                log.warn('devnet nodes could not connect', { from: layout.nodes[i]!.name, addr, error: String(err) });
              }),
            ),
        ),
      ),
    );
    const makerNode = managed.find((n) => n.name === DEVNET_MAKER);
    if (makerNode) {
      await publishMakerIdentity(createNodeRpc(makerNode.url, makerNode.token, 60_000), log);
      marketMaker = startMarketMaker({
        rpc: createNodeRpc(makerNode.url, makerNode.token, 60_000),
        log,
        base: 'DEVA',
        quote: 'DEVB',
      });
      const storage = state.nodes.find((n) => n.name === DEVNET_SERVICE_NODE);
      if (storage)
        seeder = startCommunitySeeder({
          maker: createNodeRpc(makerNode.url, makerNode.token, 60_000),
          traders: state.nodes
            .filter((n) => (DEVNET_TRADERS as readonly string[]).includes(n.name))
            .map((n) => ({ name: n.name, rpc: createNodeRpc(n.url, n.token, 60_000) })),
          storagePeerId: storage.peerId,
          log,
        });
    }
    state.status = 'ready';
    save();
    return { layout, state, stop };
  } catch (err) {
    state.status = 'failed';
    state.error = err instanceof Error ? err.message : String(err);
    save();
    await stop();
    throw err;
  }
}

async function ensureWallet(daemon: RegtestDaemon, name: string): Promise<void> {
  const loaded = await daemon.rpc.callAs(z.array(z.string()), 'listwallets', [], { wallet: false });
  if (loaded.includes(name)) return;
  const onDisk = (
    await daemon.rpc.callAs(
      z.object({ wallets: z.array(z.object({ name: z.string() }).loose()) }).loose(),
      'listwalletdir',
      [],
      { wallet: false },
    )
  ).wallets.map((w) => w.name);
  if (onDisk.includes(name)) await daemon.rpc.call('loadwallet', [name], { wallet: false });
  else await daemon.rpc.call('createwallet', [name], { wallet: false });
}

/** The market maker's wallet: many coins of MAKER_COIN, refilled when it runs low. */
async function fundMaker(daemon: RegtestDaemon, name: string): Promise<void> {
  await ensureWallet(daemon, name);
  const wallet = daemon.rpc.forWallet(name);
  if ((await wallet.amount('getbalance')) >= (MAKER_COIN * BigInt(MAKER_COINS)) / 2n) return;
  const outputs: Record<string, string> = {};
  for (let i = 0; i < MAKER_COINS; i++)
    outputs[await wallet.callAs(z.string(), 'getnewaddress', ['', 'bech32'])] = formatCoins(MAKER_COIN);
  await daemon.rpc.call('sendmany', ['', outputs]);
  await daemon.mine(1);
}

/**
 * The service node's collateral: an unspent output of COLLATERAL at a legacy address of its own
 * wallet (signmessage signs only for those), paid by the miner once and reused after that.
 */
async function ensureCollateral(daemon: RegtestDaemon, name: string): Promise<{ txid: string; vout: number }> {
  const wallet = daemon.rpc.forWallet(name);
  const unspent = await wallet.callAs(
    z.array(z.object({ txid: z.string(), vout: z.number().int(), label: z.string().optional() }).loose()),
    'listunspent',
    [0],
  );
  const held = unspent.find((u) => u.label === 'collateral');
  if (held) return { txid: held.txid, vout: held.vout };
  const address = await wallet.callAs(z.string(), 'getnewaddress', ['collateral', 'legacy']);
  const txid = await daemon.rpc.callAs(z.string(), 'sendtoaddress', [address, formatCoins(COLLATERAL)]);
  await daemon.mine(1);
  const tx = await wallet.callAs(
    z
      .object({
        details: z.array(
          z.object({ address: z.string().optional(), vout: z.number().int(), category: z.string() }).loose(),
        ),
      })
      .loose(),
    'gettransaction',
    [txid],
  );
  const out = tx.details.find((x) => x.address === address && x.category === 'receive');
  if (!out) throw new Error('the service node collateral payment is not in its wallet');
  return { txid, vout: out.vout };
}

/** A devnet-run node's wallets: its own wallet on each chain, with the chain's RPC login. */
async function connectWallets(
  rpc: ReturnType<typeof createNodeRpc>,
  chains: Array<{ ticker: string; daemon: RegtestDaemon }>,
  wallet: string,
): Promise<void> {
  const connected = new Set(
    (await rpc.call('wallets.list', {})).filter((w) => w.status === 'connected').map((w) => w.ticker),
  );
  for (const { ticker, daemon } of chains) {
    if (connected.has(ticker) || !('username' in daemon.auth)) continue;
    await rpc.call('wallets.connect', {
      ticker,
      connection: {
        kind: 'password',
        host: '127.0.0.1',
        port: daemon.rpcPort,
        username: daemon.auth.username,
        password: daemon.auth.password,
        wallet,
      },
    });
  }
}

/** Trader wallets live in the chain's daemon next to the miner's; top them up to TRADER_FUNDS. */
async function fundTraders(daemon: RegtestDaemon, traders: string[]): Promise<void> {
  const height = await daemon.rpc.callAs(z.number(), 'getblockcount');
  if (height < 110) await daemon.mine(110 - height);
  const loaded = await daemon.rpc.callAs(z.array(z.string()), 'listwallets', [], { wallet: false });
  const onDisk = (
    await daemon.rpc.callAs(
      z.object({ wallets: z.array(z.object({ name: z.string() }).loose()) }).loose(),
      'listwalletdir',
      [],
      { wallet: false },
    )
  ).wallets.map((w) => w.name);
  let sent = false;
  for (const name of traders) {
    if (!loaded.includes(name)) {
      if (onDisk.includes(name)) await daemon.rpc.call('loadwallet', [name], { wallet: false });
      else await daemon.rpc.call('createwallet', [name], { wallet: false });
    }
    const traderRpc = daemon.rpc.forWallet(name);
    const balance = await traderRpc.amount('getbalance');
    if (balance < TRADER_FUNDS / 2n) {
      const outputs: Record<string, string> = {};
      const coin = (TRADER_FUNDS - balance) / TRADER_COINS;
      for (let i = 0n; i < TRADER_COINS; i++)
        outputs[await traderRpc.callAs(z.string(), 'getnewaddress', ['', 'bech32'])] = formatCoins(
          i === 0n ? TRADER_FUNDS - balance - coin * (TRADER_COINS - 1n) : coin,
        );
      await daemon.rpc.call('sendmany', ['', outputs]);
      sent = true;
    }
  }
  if (sent) await daemon.mine(1);
}

function formatCoins(units: bigint): string {
  return `${units / COIN}.${(units % COIN).toString().padStart(8, '0')}`;
}

function spawnNode(
  o: Pick<DevnetOptions, 'repoRoot' | 'cliEntry'>,
  dataDir: string,
  logFile: string,
  command: 'node' | 'servicenode' = 'node',
  extra: string[] = [],
): ChildProcess {
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', ...NODE_V8_FLAGS, o.cliEntry, command, '--data-dir', dataDir, ...extra],
    {
      cwd: o.repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HASHLOCK_LOG: process.env.HASHLOCK_LOG ?? 'info' },
    },
  );
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
