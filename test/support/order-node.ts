// Real Hashlock nodes for order-network tests: each is `bin/hashlock node` (or `servicenode`) in
// its own process with its own data dir, fixed ports, a vault made through the API (cheap scrypt),
// a wallet of its own on each regtest chain connected as DEVA and DEVB, and order-network timings
// short enough that keepalives, expiry and heartbeats happen in seconds. `createServiceNode` also
// puts the collateral on a legacy address of the service node's DEVA wallet, from the chain's miner.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MethodName, Params, Result } from '../../src-shared/api/contract.ts';
import { amountFromCoinJson, formatAmount } from '../../src-shared/money/index.ts';
import { createNodeRpc, type NodeRpc } from '../../src-main/cli/rpc-client.ts';
import type { RpcClient } from '../../src-main/chain/rpc.ts';
import { freePort } from '../../src-main/kernel/ports.ts';
import { waitFor } from '../../src-main/kernel/time.ts';
import { startChains, type Chains } from './regtest.ts';
import { TICKERS, type DevChains, type Ticker } from './swap-node.ts';

export { TICKERS, type DevChains, type Ticker };

const REPO = path.resolve(import.meta.dirname, '../..');
const PASSWORD = 'order test password';
export const COIN = 100_000_000n;

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** Order-network timings for tests: seconds, not minutes. */
export const FAST_ORDERS = {
  keepaliveMs: 500,
  offlineAfterMs: 4000,
  sweepMs: 250,
  holdTimeoutMs: 8000,
  serviceNodeSilentMs: 4000,
  orderLifetimeMs: 3_600_000,
};
export const COLLATERAL = { ticker: 'DEVA', amount: '10', minConfirmations: 1 } as const;

export interface OrderNodeOptions {
  root: string;
  chains: DevChains;
  role?: 'trader' | 'servicenode';
  /** Merged over FAST_ORDERS. */
  orders?: Record<string, unknown>;
  servicenode?: Record<string, unknown>;
  pollMs?: number;
  /** Funds for the node's own wallet per chain. */
  funds?: Partial<Record<Ticker, bigint>>;
  /** Whole-coin outputs to make (so one order does not lock a wallet's only coin). */
  splitInto?: number;
}

export class OrderNode {
  readonly name: string;
  readonly dataDir: string;
  readonly chains: DevChains;
  readonly role: 'trader' | 'servicenode';
  apiPort = 0;
  p2pPort = 0;
  peerId = '';
  child: ChildProcess | undefined;
  readonly #o: OrderNodeOptions;
  #rpc: NodeRpc | undefined;
  #bootstrap: string[] = [];

  private constructor(name: string, o: OrderNodeOptions) {
    this.name = name;
    this.dataDir = path.join(o.root, name);
    this.chains = o.chains;
    this.role = o.role ?? 'trader';
    this.#o = o;
  }

  /** A running node with a vault, both wallets created on the chains (funded as asked) and connected. */
  static async create(name: string, o: OrderNodeOptions, bootstrap: OrderNode[] = []): Promise<OrderNode> {
    const node = new OrderNode(name, o);
    node.apiPort = await freePort();
    node.p2pPort = await freePort();
    mkdirSync(node.dataDir, { recursive: true });
    writeFileSync(path.join(node.dataDir, 'password'), PASSWORD);
    for (const t of TICKERS) {
      await o.chains[t].rpc.call('createwallet', [name], { wallet: false });
      const amount = o.funds?.[t] ?? 0n;
      const parts = BigInt(o.splitInto ?? 1);
      if (amount > 0n) {
        const outs: Record<string, string> = {};
        for (let i = 0n; i < parts; i++)
          outs[await node.wallet(t).call<string>('getnewaddress', ['', 'bech32'])] = formatAmount(amount / parts, 8);
        await o.chains[t].rpc.call('sendmany', ['', outs]);
      }
    }
    await Promise.all(TICKERS.map((t) => ((o.funds?.[t] ?? 0n) > 0n ? o.chains[t].mine(1) : undefined)));
    node.setBootstrap(bootstrap.map((b) => b.addr));
    await node.start();
    await node.call('vault.create', { password: PASSWORD, words: 12 });
    for (const t of TICKERS) {
      const chain = o.chains[t];
      const auth = chain.auth as { username: string; password: string };
      await node.call('wallets.connect', {
        ticker: t,
        connection: {
          kind: 'password',
          host: '127.0.0.1',
          port: chain.rpcPort,
          username: auth.username,
          password: auth.password,
          wallet: name,
        },
      });
    }
    for (const b of bootstrap) await node.call('p2p.dial', { addr: b.addr }).catch(() => undefined);
    return node;
  }

  /** A service node: collateral of COLLATERAL.amount on a legacy address of its DEVA wallet, a DEVB fee. */
  static async createServiceNode(
    name: string,
    o: Omit<OrderNodeOptions, 'role' | 'servicenode'> & { fee?: string; announceMs?: number },
    bootstrap: OrderNode[] = [],
  ): Promise<OrderNode> {
    const deva = o.chains.DEVA;
    await deva.rpc.call('createwallet', [name], { wallet: false });
    const legacy = await deva.rpc.forWallet(name).call<string>('getnewaddress', ['collateral', 'legacy']);
    const txid = await deva.rpc.call<string>('sendtoaddress', [legacy, COLLATERAL.amount]);
    await deva.mine(1);
    const tx = await deva.rpc
      .forWallet(name)
      .call<{ details: Array<{ address: string; vout: number; category: string }> }>('gettransaction', [txid]);
    const vout = tx.details.find((x) => x.address === legacy && x.category === 'receive')!.vout;
    const node = new OrderNode(name, {
      ...o,
      role: 'servicenode',
      servicenode: {
        collateral: { ticker: 'DEVA', txid, vout },
        fee: { ticker: 'DEVB', amount: o.fee ?? '0.001' },
        coins: ['DEVA', 'DEVB'],
        announceMs: o.announceMs ?? 500,
      },
    });
    node.apiPort = await freePort();
    node.p2pPort = await freePort();
    mkdirSync(node.dataDir, { recursive: true });
    writeFileSync(path.join(node.dataDir, 'password'), PASSWORD);
    await o.chains.DEVB.rpc.call('createwallet', [name], { wallet: false });
    node.setBootstrap(bootstrap.map((b) => b.addr));
    await node.start();
    await node.call('vault.create', { password: PASSWORD, words: 12 });
    for (const t of TICKERS) {
      const chain = o.chains[t];
      const auth = chain.auth as { username: string; password: string };
      await node.call('wallets.connect', {
        ticker: t,
        connection: {
          kind: 'password',
          host: '127.0.0.1',
          port: chain.rpcPort,
          username: auth.username,
          password: auth.password,
          wallet: name,
        },
      });
    }
    for (const b of bootstrap) await node.call('p2p.dial', { addr: b.addr }).catch(() => undefined);
    return node;
  }

  get addr(): string {
    return `/ip4/127.0.0.1/tcp/${this.p2pPort}/p2p/${this.peerId}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  setBootstrap(addrs: string[]): void {
    this.#bootstrap = addrs;
  }

  #writeConfig(): void {
    const o = this.#o;
    writeFileSync(
      path.join(this.dataDir, 'config.json'),
      JSON.stringify({
        network: 'devnet',
        api: { port: this.apiPort },
        p2p: { listen: [`/ip4/127.0.0.1/tcp/${this.p2pPort}`], bootstrap: this.#bootstrap },
        vault: { kdf: { N: 1024, r: 8, p: 1 } },
        swaps: { pollMs: o.pollMs ?? 100 },
        orders: { ...FAST_ORDERS, ...o.orders },
        serviceNodes: { collateral: COLLATERAL },
        ...(o.servicenode ? { servicenode: o.servicenode } : {}),
      }),
    );
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.#writeConfig();
    const logFd = openSync(this.logFile, 'a');
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', HASHLOCK_LOG: 'info' };
    delete env.HASHLOCK_TEST_CRASH_AT;
    const args = [
      this.role === 'servicenode' ? 'servicenode' : 'node',
      '--data-dir',
      this.dataDir,
      '--password-file',
      path.join(this.dataDir, 'password'),
    ];
    const child = spawn(path.join(REPO, 'bin/hashlock'), args, { cwd: REPO, stdio: ['ignore', logFd, logFd], env });
    closeSync(logFd);
    live.add(child);
    child.once('exit', () => live.delete(child));
    this.child = child;
    const token = await waitFor(
      () => {
        if (!this.running) throw new Error(`${this.name} exited during start-up\n${this.logTail()}`);
        try {
          return readFileSync(path.join(this.dataDir, 'api-token'), 'utf8').trim() || undefined;
        } catch {
          return undefined;
        }
      },
      { timeoutMs: 30_000, intervalMs: 50, what: `${this.name} API token` },
    );
    this.#rpc = createNodeRpc(`http://127.0.0.1:${this.apiPort}`, token, 60_000);
    const info = await waitFor(
      async () => {
        if (!this.running) throw new Error(`${this.name} exited during start-up\n${this.logTail()}`);
        return this.call('node.info', {});
      },
      {
        timeoutMs: 30_000,
        intervalMs: 50,
        what: `${this.name} API`,
        abortIf: () => (this.running ? undefined : `${this.name} exited during start-up\n${this.logTail()}`),
      },
    );
    this.peerId = info.peerId;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await done;
  }

  async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    const rpc = this.#rpc;
    if (!rpc) throw new Error(`${this.name} has not started`);
    try {
      return await rpc.call(method, params);
    } catch (err) {
      // fetch may send a request on a kept-alive socket the node has just closed (nodejs/undici#3492;
      // a loaded test process runs its idle timers late): the request never reached the node, so
      // it is sent once more on a new connection. A node that is gone, or a timeout, is not retried.
      if (!this.running || !/\(fetch failed\)$/.test((err as Error).message)) throw err;
      return rpc.call(method, params);
    }
  }

  get logFile(): string {
    return path.join(this.dataDir, 'node.log');
  }

  logTail(lines = 40): string {
    try {
      return `--- ${this.name} log ---\n${readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-lines).join('\n')}`;
    } catch {
      return `--- ${this.name}: no log ---`;
    }
  }

  wallet(t: Ticker): RpcClient {
    return this.chains[t].rpc.forWallet(this.name);
  }

  async balance(t: Ticker): Promise<bigint> {
    const b = await this.wallet(t).call<{ mine: { trusted: string; untrusted_pending: string } }>('getbalances');
    return amountFromCoinJson(b.mine.trusted, 8) + amountFromCoinJson(b.mine.untrusted_pending, 8);
  }

  /** Polls `read` until `done` holds; the failure names what was awaited and shows the log. */
  async until<T>(read: () => Promise<T>, done: (x: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
    let last: T | undefined;
    try {
      return await waitFor(
        async () => {
          last = await read();
          return done(last) ? last : undefined;
        },
        { timeoutMs, intervalMs: 100, what: `${this.name}: ${what}` },
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}\nlast: ${JSON.stringify(last)?.slice(0, 2000)}\n${this.logTail()}`, {
        cause: err,
      });
    }
  }
}

export interface OrderNet {
  dev: DevChains;
  root: string;
  nodes: OrderNode[];
  cleanup(): Promise<void>;
}

/** Two regtest chains as DEVA and DEVB and a temp root; nodes added to `nodes` are killed by cleanup. */
export async function startOrderNet(): Promise<OrderNet> {
  const chains: Chains = await startChains(2, { blocks: 110 });
  const dev = { DEVA: chains.chains[0]!, DEVB: chains.chains[1]! };
  const root = await mkdtemp(path.join(tmpdir(), 'hashlock-orders-'));
  const nodes: OrderNode[] = [];
  return {
    dev,
    root,
    nodes,
    async cleanup() {
      await Promise.all(nodes.map((n) => n.kill()));
      await chains.cleanup();
      if (process.env.HASHLOCK_KEEP_TEST_DIRS) console.log(`order test dirs kept in ${root}`);
      else await rm(root, { recursive: true, force: true });
    },
  };
}

/** Connects every node to every other, so gossip meshes form at once. */
export async function connectAll(nodes: readonly OrderNode[]): Promise<void> {
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++)
      await nodes[i]!.call('p2p.dial', { addr: nodes[j]!.addr }).catch(() => undefined);
  }
}
