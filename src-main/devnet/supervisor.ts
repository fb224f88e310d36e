// Runs the local demo network: two independent Litecoin Core regtest chains (DEVA, DEVB) with
// funded trader wallets and a miner that keeps producing blocks, plus one headless node per
// trader. The supervisor owns every child; stopping it stops them all, and it records their
// pids in state.json so a later `down` can clean up even after a crash.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../api/dispatcher.ts';
import { startRegtestDaemon, type RegtestDaemon } from '../coins/regtest-daemon.ts';
import { readApiToken } from '../core/token.ts';
import { createNodeRpc } from '../cli/rpc-client.ts';
import { waitFor } from '../util/net.ts';
import { devnetLayout, type DevnetLayout, type DevnetState } from './layout.ts';

const COIN = 100_000_000n;
/** What each trader wallet holds after funding (whole coins), topped up on each start. */
const TRADER_FUNDS = 50n * COIN;

export interface DevnetOptions {
  root: string;
  repoRoot: string;
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
    throw new Error(`a devnet is already running from ${layout.root} (supervisor pid ${previous.supervisorPid}); use \`hashlock devnet status\` or \`down\``);
  }
  if (previous) await reapStale(previous, log);

  const state: DevnetState = { supervisorPid: process.pid, status: 'starting', startedAt: new Date().toISOString(), chains: [], nodes: [] };
  const save = () => writeFileSync(layout.stateFile, JSON.stringify(state, null, 2));
  save();

  const daemons: RegtestDaemon[] = [];
  const children: ChildProcess[] = [];
  let miner: NodeJS.Timeout | undefined;
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    state.status = 'stopping';
    save();
    if (miner) clearInterval(miner);
    await Promise.all(children.map((c) => stopChild(c)));
    await Promise.all(daemons.map((d) => d.stop().catch(() => d.kill())));
    state.chains = [];
    state.nodes = [];
    writeFileSync(layout.stateFile, JSON.stringify({ ...state, status: 'stopped' }, null, 2));
    log.info('devnet stopped');
  };

  try {
    for (const chain of layout.chains) {
      const daemon = await startRegtestDaemon({ dataDir: chain.dataDir, rpcPort: chain.rpcPort, p2pPort: chain.p2pPort, walletName: 'miner' });
      daemons.push(daemon);
      state.chains.push({ ticker: chain.ticker, pid: daemon.pid, rpcPort: daemon.rpcPort, dataDir: chain.dataDir });
      save();
      await fundTraders(daemon, layout.nodes.map((n) => n.name));
      log.info('chain ready', { ticker: chain.ticker, rpcPort: daemon.rpcPort });
    }

    const interval = opts.blockIntervalMs ?? 5000;
    let mining = false;
    miner = setInterval(() => {
      if (mining) return;
      mining = true;
      Promise.all(daemons.map((d) => d.mine(1))).catch((err: unknown) => log.warn('mining failed', { error: String(err) })).finally(() => {
        mining = false;
      });
    }, interval);
    miner.unref();

    const bootstrap: string[] = [];
    for (const node of layout.nodes) {
      mkdirSync(node.dataDir, { recursive: true, mode: 0o700 });
      writeFileSync(path.join(node.dataDir, 'config.json'), JSON.stringify({
        network: 'devnet',
        api: { port: node.apiPort },
        p2p: { listen: [`/ip4/127.0.0.1/tcp/${node.p2pPort}`], bootstrap },
        wallets: { searchDirs: layout.chains.map((c) => ({ ticker: c.ticker, dataDir: c.dataDir, wallet: node.name })) },
      }, null, 2));
      // Trader nodes start without a vault: the person at the UI creates or restores one.
      const child = spawnNode(opts.repoRoot, node.dataDir, path.join(node.dataDir, 'node.log'));
      children.push(child);
      const url = `http://127.0.0.1:${node.apiPort}`;
      const rpc = await waitFor(async () => {
        if (child.exitCode !== null) throw new Error(`node ${node.name} exited with code ${child.exitCode}; see ${path.join(node.dataDir, 'node.log')}`);
        const token = readApiToken(node.dataDir);
        const client = createNodeRpc(url, token, 2000);
        await client.call('node.info', {});
        return { client, token };
      }, { timeoutMs: 60_000, intervalMs: 300, what: `node ${node.name} API` });
      const info = await rpc.client.call('p2p.info', {});
      bootstrap.push(`/ip4/127.0.0.1/tcp/${node.p2pPort}/p2p/${info.peerId}`);
      state.nodes.push({ name: node.name, pid: child.pid ?? 0, url, token: rpc.token, peerId: info.peerId });
      save();
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

/** Trader wallets live in the chain's daemon next to the miner's; top them up to TRADER_FUNDS. */
async function fundTraders(daemon: RegtestDaemon, traders: string[]): Promise<void> {
  const height = await daemon.rpc.call<number>('getblockcount');
  if (height < 110) await daemon.mine(110 - height);
  const loaded = await daemon.rpc.call<string[]>('listwallets', [], { wallet: false });
  const onDisk = (await daemon.rpc.call<{ wallets: Array<{ name: string }> }>('listwalletdir', [], { wallet: false })).wallets.map((w) => w.name);
  let sent = false;
  for (const name of traders) {
    if (!loaded.includes(name)) {
      if (onDisk.includes(name)) await daemon.rpc.call('loadwallet', [name], { wallet: false });
      else await daemon.rpc.call('createwallet', [name], { wallet: false });
    }
    const traderRpc = daemon.rpc.forWallet(name);
    const balance = await traderRpc.amount('getbalance');
    if (balance < TRADER_FUNDS / 2n) {
      const address = await traderRpc.call<string>('getnewaddress', ['', 'bech32']);
      await daemon.rpc.call('sendtoaddress', [address, formatCoins(TRADER_FUNDS - balance)]);
      sent = true;
    }
  }
  if (sent) await daemon.mine(1);
}

function formatCoins(units: bigint): string {
  return `${units / COIN}.${(units % COIN).toString().padStart(8, '0')}`;
}

function spawnNode(repoRoot: string, dataDir: string, logFile: string): ChildProcess {
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', path.join(repoRoot, 'src-main', 'cli', 'main.ts'), 'node', '--data-dir', dataDir], {
    cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HASHLOCK_LOG: process.env.HASHLOCK_LOG ?? 'info' },
  });
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
