// Starts and stops a real litecoind on regtest for tests and the devnet: its own data dir, ports
// and credentials, never connected to another daemon (so each one is an independent chain).
// The process cannot outlive us: stop() waits for the exit, and a watchdog kills it if we die.
import { z } from 'zod';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../src-shared/api/errors.ts';
import { freePort } from '../kernel/ports.ts';
import { waitFor } from '../kernel/time.ts';
import { confGet, parseConf } from '../wallets/conf.ts';
import { RPC_CODE } from './rpc-errors.ts';
import { RpcClient, type RpcAuth } from './rpc.ts';

/**
 * Litecoin regtest activates MWEB at this height; from then on every block needs an MWEB
 * peg-in history, so generatetoaddress fails ("bad-txns-vin-empty") unless one was made.
 */
export const MWEB_ACTIVATION_HEIGHT = 432;

export interface RegtestDaemonOptions {
  dataDir: string;
  /** Free ports are picked when omitted (and picked again if another process wins the race). */
  rpcPort?: number;
  p2pPort?: number;
  /** 'cookie' leaves rpcuser/rpcpassword out of the conf, so the daemon writes regtest/.cookie. */
  auth?: 'password' | 'cookie';
  /** Defaults: reuse those in an existing conf in dataDir (a restarted devnet keeps its logins), else random. */
  rpcUser?: string;
  rpcPassword?: string;
  /** Wallet created (or loaded) at start and used by `rpc` and `mine`; default "hashlock". */
  walletName?: string;
  /** More command-line arguments for litecoind, e.g. ['-deprecatedrpc=...']. */
  extraArgs?: readonly string[];
  /** Path of the litecoind binary; default $LITECOIND or "litecoind" on PATH. */
  binary?: string;
  startTimeoutMs?: number;
}

export interface RegtestDaemon {
  /** RPC client routed to the daemon's wallet; pass `{ wallet: false }` for node calls. */
  readonly rpc: RpcClient;
  readonly rpcPort: number;
  readonly p2pPort: number;
  readonly dataDir: string;
  readonly confPath: string;
  readonly cookiePath: string;
  readonly walletName: string;
  readonly auth: RpcAuth;
  /** Pid of the running litecoind (changes on restart). */
  readonly pid: number;
  readonly running: boolean;
  /** Mine n blocks (to a fresh wallet address by default), crossing MWEB activation as needed. */
  mine(n: number, address?: string): Promise<string[]>;
  /** Clean shutdown through RPC `stop`, then the same daemon again (wallet reloaded). */
  restart(): Promise<void>;
  /** Clean shutdown; resolves once the process has exited (SIGKILL after 30 s). */
  stop(): Promise<void>;
  /** SIGKILL, as in a crash; resolves once the process has exited. */
  kill(): Promise<void>;
}

export class RegtestDaemonError extends Error {
  override name = 'RegtestDaemonError';
  /** The RPC port was taken by someone else (worth another try with a new port). */
  readonly portInUse: boolean;
  constructor(message: string, opts: { portInUse?: boolean } = {}) {
    super(message);
    this.portInUse = opts.portInUse ?? false;
  }
}

// Daemons started by this process, killed when it exits. Process-wide on purpose: the 'exit'
// event belongs to the process, and one listener serves every daemon.
const livePids = new Set<number>();
let exitHookInstalled = false;
function trackPid(pid: number): void {
  livePids.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const p of livePids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/**
 * A process that outlives us only to kill the daemon if we are killed (SIGKILL skips 'exit'
 * handlers). It polls both pids and ends by itself once the daemon is gone.
 */
function startWatchdog(daemonPid: number): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${daemonPid} 2>/dev/null; do sleep 1; done; kill -9 ${daemonPid} 2>/dev/null; exit 0`;
  const dog = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
  dog.on('error', () => undefined);
  dog.unref();
}

function writeConf(o: { confPath: string; rpcPort: number; p2pPort: number; user?: string; password?: string }): void {
  const lines = [
    '# Written by Hashlock for an isolated regtest chain. Chain choice must stay at the top:',
    '# a connect= outside the [regtest] section aborts start-up.',
    'regtest=1',
    '',
    '[regtest]',
    'server=1',
    'listen=0',
    'connect=0',
    'dnsseed=0',
    'discover=0',
    'fallbackfee=0.0001',
    'txindex=1',
    // A new wallet derives keypool keys for each of its descriptors: 1.36 CPU-s a wallet at the
    // default 1000, 0.02 s at 1 (measured here). Addresses are still derived as they are asked for.
    'keypool=1',
    `port=${o.p2pPort}`,
    `rpcport=${o.rpcPort}`,
    'rpcbind=127.0.0.1',
    'rpcallowip=127.0.0.1',
    ...(o.user !== undefined && o.password !== undefined ? [`rpcuser=${o.user}`, `rpcpassword=${o.password}`] : []),
    '',
  ];
  writeFileSync(o.confPath, lines.join('\n'), { mode: 0o600 });
}

/** Why litecoind quit during start-up, from its stderr and the end of its debug.log. */
function startupFailure(dataDir: string, exitInfo: string, stderr: string, rpcPort: number): RegtestDaemonError {
  let log = '';
  try {
    log = readFileSync(path.join(dataDir, 'regtest', 'debug.log'), 'utf8').slice(-6000);
  } catch {
    // no log yet
  }
  if (/Binding RPC on address \S+ port \d+ failed/.test(log)) {
    return new RegtestDaemonError(
      `litecoind in ${dataDir} ${exitInfo}: RPC port ${rpcPort} is already in use by another program`,
      { portInUse: true },
    );
  }
  const errors = log
    .split('\n')
    .filter((l) => /error/i.test(l))
    .slice(-3)
    .join(' | ');
  return new RegtestDaemonError(
    `litecoind in ${dataDir} ${exitInfo} during start-up: ${[stderr.trim(), errors].filter(Boolean).join(' | ') || 'no reason given'}`,
  );
}

export async function startRegtestDaemon(opts: RegtestDaemonOptions): Promise<RegtestDaemon> {
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const confPath = path.join(dataDir, 'litecoin.conf');
  const cookiePath = path.join(dataDir, 'regtest', '.cookie');
  const walletName = opts.walletName ?? 'hashlock';
  const binary = opts.binary ?? process.env.LITECOIND ?? 'litecoind';
  const useCookie = opts.auth === 'cookie';

  let user: string | undefined;
  let password: string | undefined;
  if (!useCookie) {
    const previous = existsSync(confPath) ? safeParse(readFileSync(confPath, 'utf8')) : undefined;
    user = opts.rpcUser ?? (previous ? confGet(previous, 'regtest', 'rpcuser') : undefined) ?? 'hashlock';
    password =
      opts.rpcPassword ??
      (previous ? confGet(previous, 'regtest', 'rpcpassword') : undefined) ??
      randomBytes(18).toString('base64url');
  }
  const auth: RpcAuth = useCookie ? { cookiePath } : { username: user ?? '', password: password ?? '' };

  let rpcPort = opts.rpcPort ?? 0;
  let p2pPort = opts.p2pPort ?? 0;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let exitInfo: string | undefined;
  let stderr = '';

  const nodeRpc = (): RpcClient =>
    new RpcClient({ host: '127.0.0.1', port: rpcPort, auth, family: 'litecoin', timeoutMs: 120_000 });
  let rpc = nodeRpc().forWallet(walletName);

  const spawnOnce = async (): Promise<void> => {
    stderr = '';
    exitInfo = undefined;
    const proc = spawn(
      binary,
      [`-datadir=${dataDir}`, `-conf=${confPath}`, '-printtoconsole=0', ...(opts.extraArgs ?? [])],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: false,
      },
    );
    child = proc;
    exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        exitInfo = signal ? `killed by ${signal}` : `exited with code ${code}`;
        if (proc.pid !== undefined) livePids.delete(proc.pid);
        resolve();
      });
    });
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (s: string) => {
      stderr = (stderr + s).slice(-4000);
    });
    const spawnError = new Promise<Error>((resolve) => proc.once('error', resolve));
    const pid = proc.pid;
    if (pid === undefined) {
      const err = await spawnError;
      throw new RegtestDaemonError(
        `could not start ${binary}: ${err.message}. Is Litecoin Core installed (apt-get install litecoind)?`,
      );
    }
    trackPid(pid);
    startWatchdog(pid);
    const client = nodeRpc();
    try {
      await waitFor(
        async () => (await client.call('getblockchaininfo', [], { retry: false, timeoutMs: 5_000 })) !== undefined,
        {
          timeoutMs: opts.startTimeoutMs ?? 60_000,
          intervalMs: 100,
          what: `litecoind in ${dataDir} to answer RPC on port ${rpcPort}`,
          abortIf: () => (exitInfo !== undefined ? 'exited' : undefined),
        },
      );
    } catch (err) {
      const died = exitInfo;
      proc.kill('SIGKILL');
      await exited;
      if (died !== undefined) throw startupFailure(dataDir, died, stderr, rpcPort);
      throw new RegtestDaemonError(err instanceof Error ? err.message : String(err));
    }
  };

  const start = async (pickPorts: boolean): Promise<void> => {
    // Ports picked here can be taken by someone else before litecoind binds them: try again then.
    // A restart keeps its ports, so clients and saved connections keep working.
    for (let attempt = 1; ; attempt++) {
      if (pickPorts && opts.rpcPort === undefined) rpcPort = await freePort();
      if (pickPorts && opts.p2pPort === undefined) p2pPort = await freePort();
      writeConf({
        confPath,
        rpcPort,
        p2pPort,
        ...(user !== undefined ? { user } : {}),
        ...(password !== undefined ? { password } : {}),
      });
      rpc = nodeRpc().forWallet(walletName);
      try {
        await spawnOnce();
        return;
      } catch (err) {
        const portClash = err instanceof RegtestDaemonError && err.portInUse;
        if (!portClash || !pickPorts || attempt >= 3 || opts.rpcPort !== undefined) throw err;
      }
    }
  };

  const ensureWallet = async (): Promise<void> => {
    const node = nodeRpc();
    const loaded = await node.callAs(z.array(z.string()), 'listwallets');
    if (loaded.includes(walletName)) return;
    const onDisk = (
      await node.callAs(z.object({ wallets: z.array(z.object({ name: z.string() }).loose()) }).loose(), 'listwalletdir')
    ).wallets.map((w) => w.name);
    try {
      await node.call(onDisk.includes(walletName) ? 'loadwallet' : 'createwallet', [walletName]);
    } catch (err) {
      if (!(
        err instanceof ApiError &&
        (err.details as { rpcCode?: number } | undefined)?.rpcCode === RPC_CODE.WALLET_ALREADY_LOADED
      ))
        throw err;
    }
  };

  const waitExit = async (graceMs: number): Promise<void> => {
    const proc = child;
    if (!proc || exitInfo !== undefined) return;
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  const stop = async (): Promise<void> => {
    if (!child || exitInfo !== undefined) return;
    try {
      await nodeRpc().call('stop', [], { retry: false, timeoutMs: 10_000 });
    } catch {
      child.kill('SIGTERM');
    }
    await waitExit(30_000);
  };

  let miningAddress: string | undefined;
  const pegIntoMweb = async (): Promise<void> => {
    const mwebAddress = await rpc.callAs(z.string(), 'getnewaddress', ['', 'mweb']);
    try {
      await rpc.call('sendtoaddress', [mwebAddress, '1']);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new RegtestDaemonError(
        `cannot mine past block ${MWEB_ACTIVATION_HEIGHT - 1}: MWEB activation needs a 1-coin peg-in from wallet "${walletName}" (${why})`,
      );
    }
  };

  await start(true);
  try {
    await ensureWallet();
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    get rpc() {
      return rpc;
    },
    get rpcPort() {
      return rpcPort;
    },
    get p2pPort() {
      return p2pPort;
    },
    dataDir,
    confPath,
    cookiePath,
    walletName,
    auth,
    get pid() {
      return child?.pid ?? 0;
    },
    get running() {
      return child !== undefined && exitInfo === undefined;
    },

    async mine(n, address) {
      const to = address ?? (miningAddress ??= await rpc.callAs(z.string(), 'getnewaddress', ['', 'bech32']));
      const hashes: string[] = [];
      let height = await rpc.callAs(z.number(), 'getblockcount', [], { wallet: false });
      while (hashes.length < n) {
        const remaining = n - hashes.length;
        if (height === MWEB_ACTIVATION_HEIGHT - 1) await pegIntoMweb();
        const step =
          height < MWEB_ACTIVATION_HEIGHT - 1 ? Math.min(remaining, MWEB_ACTIVATION_HEIGHT - 1 - height) : remaining;
        const got = await rpc.callAs(z.array(z.string()), 'generatetoaddress', [step, to], { wallet: false });
        if (got.length === 0) throw new RegtestDaemonError(`generatetoaddress made no block at height ${height}`);
        hashes.push(...got);
        height += got.length;
      }
      return hashes;
    },

    async restart() {
      await stop();
      await start(false);
      await ensureWallet();
    },

    stop,

    async kill() {
      if (!child || exitInfo !== undefined) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function safeParse(text: string): ReturnType<typeof parseConf> | undefined {
  try {
    return parseConf(text);
  } catch {
    return undefined;
  }
}
