// Real Hashlock nodes for swap tests: each is `bin/hashlock node` in its own process with its own
// data dir, fixed API and p2p ports (so a restart keeps its addresses), a vault made through the
// API (cheap scrypt), and a wallet of its own on each regtest chain, connected as DEVA and DEVB.
// Nodes can be stopped, SIGKILLed (also at a named step: HASHLOCK_TEST_CRASH_AT) and restarted.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Transaction } from 'bitcoinjs-lib';
import type { MethodName, Params, Result } from '../../src-shared/api/contract.ts';
import type { SwapDetail } from '../../src-shared/api/schemas.ts';
import { amountFromCoinJson, formatAmount, parseAmount } from '../../src-shared/money/index.ts';
import { createNodeRpc, type NodeRpc } from '../../src-main/cli/rpc-client.ts';
import type { RegtestDaemon } from '../../src-main/chain/regtest-daemon.ts';
import type { RpcClient } from '../../src-main/chain/rpc.ts';
import { freePort } from '../../src-main/kernel/ports.ts';
import { waitFor } from '../../src-main/kernel/time.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const PASSWORD = 'swap test password';
export const TICKERS = ['DEVA', 'DEVB'] as const;
export type Ticker = (typeof TICKERS)[number];
export type DevChains = Record<Ticker, RegtestDaemon>;

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export interface SwapNodeOptions {
  root: string;
  chains: DevChains;
  /** Chain poll interval of the node's swap engine. */
  pollMs?: number;
}

export class SwapNode {
  readonly name: string;
  readonly dataDir: string;
  readonly chains: DevChains;
  readonly apiPort: number;
  readonly p2pPort: number;
  readonly pollMs: number;
  peerId = '';
  child: ChildProcess | undefined;
  #rpc: NodeRpc | undefined;
  #bootstrap: string[] = [];

  private constructor(name: string, o: SwapNodeOptions, ports: { api: number; p2p: number }) {
    this.name = name;
    this.dataDir = path.join(o.root, name);
    this.chains = o.chains;
    this.apiPort = ports.api;
    this.p2pPort = ports.p2p;
    this.pollMs = o.pollMs ?? 100;
  }

  /** A node with its vault created and both wallets connected (each wallet funded with `funds` per chain). */
  static async create(
    name: string,
    o: SwapNodeOptions & { funds?: Partial<Record<Ticker, bigint>> },
  ): Promise<SwapNode> {
    const node = new SwapNode(name, o, { api: await freePort(), p2p: await freePort() });
    mkdirSync(node.dataDir, { recursive: true });
    writeFileSync(path.join(node.dataDir, 'password'), PASSWORD);
    for (const t of TICKERS) {
      // load_on_startup: the wallet is back when the test restarts the daemon.
      await o.chains[t].rpc.call('createwallet', [name, false, false, '', false, false, true], { wallet: false });
      const amount = o.funds?.[t] ?? 0n;
      if (amount > 0n)
        await o.chains[t].rpc.call('sendtoaddress', [
          await node.wallet(t).call<string>('getnewaddress', ['', 'bech32']),
          formatAmount(amount, 8),
        ]);
    }
    await Promise.all(TICKERS.map((t) => ((o.funds?.[t] ?? 0n) > 0n ? o.chains[t].mine(1) : undefined)));
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
    return node;
  }

  get addr(): string {
    return `/ip4/127.0.0.1/tcp/${this.p2pPort}/p2p/${this.peerId}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Peers this node dials at every start, so a restarted node finds its counterparty again. */
  setBootstrap(addrs: string[]): void {
    this.#bootstrap = addrs;
  }

  #writeConfig(): void {
    writeFileSync(
      path.join(this.dataDir, 'config.json'),
      JSON.stringify({
        network: 'devnet',
        api: { port: this.apiPort },
        p2p: { listen: [`/ip4/127.0.0.1/tcp/${this.p2pPort}`], bootstrap: this.#bootstrap },
        vault: { kdf: { N: 1024, r: 8, p: 1 } },
        swaps: { pollMs: this.pollMs },
      }),
    );
  }

  /** Starts the process; `crashAt` makes it SIGKILL itself at that engine step. */
  async start(opts: { crashAt?: string } = {}): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.#writeConfig();
    const logFd = openSync(this.logFile, 'a');
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', HASHLOCK_LOG: 'info' };
    if (opts.crashAt) env.HASHLOCK_TEST_CRASH_AT = opts.crashAt;
    else delete env.HASHLOCK_TEST_CRASH_AT;
    const child = spawn(
      path.join(REPO, 'bin/hashlock'),
      ['node', '--data-dir', this.dataDir, '--password-file', path.join(this.dataDir, 'password')],
      {
        cwd: REPO,
        stdio: ['ignore', logFd, logFd],
        env,
      },
    );
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
    this.#rpc = createNodeRpc(`http://127.0.0.1:${this.apiPort}`, token, 30_000);
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

  /** Resolves when the process has exited (for a node told to crash at a step). */
  async exited(timeoutMs = 60_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms\n${this.logTail()}`)),
        timeoutMs,
      );
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
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

  async restart(opts: { crashAt?: string } = {}): Promise<void> {
    await this.stop();
    await this.start(opts);
  }

  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    if (!this.#rpc) throw new Error(`${this.name} has not started`);
    return this.#rpc.call(method, params);
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

  /** This node's wallet on a chain, straight at the daemon (for balances and checks). */
  wallet(t: Ticker): RpcClient {
    return this.chains[t].rpc.forWallet(this.name);
  }

  async balance(t: Ticker): Promise<bigint> {
    // The wallet learns of a block asynchronously; wait for it to catch up before reading.
    await this.chains[t].rpc.call('syncwithvalidationinterfacequeue', [], { wallet: false });
    const b = await this.wallet(t).call<{ mine: { trusted: string; untrusted_pending: string } }>('getbalances');
    return amountFromCoinJson(b.mine.trusted, 8) + amountFromCoinJson(b.mine.untrusted_pending, 8);
  }

  /** Waits until this node has an open connection to `peerId` (after a restart, bootstrap redials). */
  async waitConnected(peerId: string, timeoutMs = 20_000): Promise<void> {
    await waitFor(async () => (await this.call('p2p.peers', {})).some((p) => p.peerId === peerId), {
      timeoutMs,
      intervalMs: 50,
      what: `${this.name} connected to ${peerId}`,
    });
  }

  async swap(swapId: string): Promise<SwapDetail> {
    return this.call('swaps.get', { swapId });
  }

  /** Polls swaps.get until `done` holds (the node may be restarting meanwhile). */
  async waitSwap(
    swapId: string,
    done: (s: SwapDetail) => boolean,
    what: string,
    timeoutMs = 60_000,
  ): Promise<SwapDetail> {
    let last: SwapDetail | undefined;
    try {
      return await waitFor(
        async () => {
          last = await this.swap(swapId);
          return done(last) ? last : undefined;
        },
        { timeoutMs, intervalMs: 50, what: `${this.name}: ${what}` },
      );
    } catch (err) {
      throw new Error(
        `${(err as Error).message}\nlast state: ${last?.state} ${JSON.stringify(last?.reason)}\n${this.logTail()}`,
        { cause: err },
      );
    }
  }
}

/** Kills every node process still running (for afterAll). */
export async function killAllNodes(nodes: Iterable<SwapNode>): Promise<void> {
  await Promise.all([...nodes].map((n) => n.kill()));
}

// ------------------------------------------------------------------ mining

/**
 * Mines a block on a chain whenever its mempool holds a transaction, so a swap moves as fast as
 * its nodes do (no waiting for blocks). `paused` holds mining back while a test sets something up.
 */
export interface AutoMiner {
  stop(): Promise<void>;
  paused: Set<Ticker>;
  blocks: Record<Ticker, number>;
  /** Time spent inside the mining calls themselves (what a swap spends "waiting for blocks" here). */
  miningMs: number;
}

export function autoMine(chains: DevChains, intervalMs = 25): AutoMiner {
  let stopped = false;
  const paused = new Set<Ticker>();
  const blocks: Record<Ticker, number> = { DEVA: 0, DEVB: 0 };
  const miner = { paused, blocks, miningMs: 0 };
  const loop = (async () => {
    while (!stopped) {
      for (const t of TICKERS) {
        if (paused.has(t) || stopped) continue;
        try {
          const pool = await chains[t].rpc.call<string[]>('getrawmempool', [], { wallet: false, retry: false });
          if (pool.length > 0) {
            const started = performance.now();
            await chains[t].mine(1);
            miner.miningMs += performance.now() - started;
            blocks[t] += 1;
          }
        } catch {
          // a daemon restarting: try again next round
        }
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return Object.assign(miner, {
    stop: async () => {
      stopped = true;
      await loop;
    },
  });
}

/**
 * Lets time pass on both chains (a block on each every `intervalMs`) until `done` holds; for the
 * deadlines of a swap whose counterparty is gone.
 */
export async function passTime(
  chains: DevChains,
  done: () => Promise<boolean>,
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`time passed for ${timeoutMs} ms without ${what}`);
    await Promise.all(TICKERS.map((t) => chains[t].mine(1)));
    await new Promise((r) => setTimeout(r, 60));
  }
}

export async function height(chain: RegtestDaemon): Promise<number> {
  return chain.rpc.call<number>('getblockcount', [], { wallet: false });
}

/** Mines until the chain's tip is at least `target`. */
export async function mineTo(chain: RegtestDaemon, target: number): Promise<void> {
  const h = await height(chain);
  if (h < target) await chain.mine(target - h);
}

// ------------------------------------------------------------------ reconciliation

async function rawTx(chain: RegtestDaemon, txid: string): Promise<Transaction> {
  return Transaction.fromHex(await chain.rpc.call<string>('getrawtransaction', [txid], { wallet: false }));
}

/** Fee of a confirmed transaction from its own inputs and outputs (txindex is on in the fixture). */
export async function feeOf(chain: RegtestDaemon, txid: string): Promise<bigint> {
  const tx = await rawTx(chain, txid);
  let inputs = 0n;
  for (const input of tx.ins) {
    const prev = await rawTx(chain, Buffer.from(input.hash).reverse().toString('hex'));
    inputs += prev.outs[input.index]!.value;
  }
  return inputs - tx.outs.reduce((a, o) => a + o.value, 0n);
}

export interface Balances {
  maker: Record<Ticker, bigint>;
  taker: Record<Ticker, bigint>;
}

export async function balancesOf(maker: SwapNode, taker: SwapNode): Promise<Balances> {
  return {
    maker: { DEVA: await maker.balance('DEVA'), DEVB: await maker.balance('DEVB') },
    taker: { DEVA: await taker.balance('DEVA'), DEVB: await taker.balance('DEVB') },
  };
}

const txOf = (s: SwapDetail, kind: SwapDetail['txs'][number]['kind']) => s.txs.find((t) => t.kind === kind)?.txid;

/**
 * What a party's two wallets must hold after its swap ended, to the satoshi, from the swap's own
 * transactions on chain: what it locked and the funding fee, and what its claim or refund paid
 * back (the HTLC's value less that transaction's fee). Checks the HTLC outputs hold the amounts.
 */
export async function expectedAfter(
  node: SwapNode,
  s: SwapDetail,
  before: Record<Ticker, bigint>,
): Promise<Record<Ticker, bigint>> {
  const sell = s.sell.ticker as Ticker;
  const buy = s.buy.ticker as Ticker;
  const sellAmount = parseAmount(s.sell.amount, 8);
  const buyAmount = parseAmount(s.buy.amount, 8);
  const after = { ...before };
  const funding = s.txs.find((t) => t.kind === 'ownFunding');
  if (funding) {
    const tx = await rawTx(node.chains[sell], funding.txid);
    if (tx.outs[funding.vout!]!.value !== sellAmount)
      throw new Error(`${node.name}: the HTLC holds ${tx.outs[funding.vout!]!.value}, not ${sellAmount}`);
    after[sell] -= sellAmount + (await feeOf(node.chains[sell], funding.txid));
  }
  const refund = txOf(s, 'refund');
  if (refund && s.outcome === 'refunded') after[sell] += sellAmount - (await feeOf(node.chains[sell], refund));
  const claim = txOf(s, 'claim');
  if (claim && s.outcome === 'completed') after[buy] += buyAmount - (await feeOf(node.chains[buy], claim));
  return after;
}
