// Test nodes on the devnet's two regtest chains: a DevNode is a NodeProc with a vault and a wallet
// of its own on DEVA and DEVB (funded from each chain's miner as asked), connected through the
// API. A DevNet is one test file's chains, temp dir and nodes; `useDevNet` cleans them all up
// after the file whatever happened (HASHLOCK_KEEP_TEST_DIRS=1 keeps the dirs for a post-mortem).
import { z } from 'zod';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { SwapDetail } from '../../src-shared/api/schemas.ts';
import { amountFromCoinJson, formatAmount } from '../../src-shared/money/index.ts';
import { CoinJsonAmount, type RpcClient } from '../../src-main/chain/rpc.ts';
import { NodeProc, freeNodePorts, type NodeProcOptions } from './node-proc.ts';
import { TICKERS, startChains, type Chains, type DevChains, type StartChainsOptions, type Ticker } from './regtest.ts';

export const COIN = 100_000_000n;
const PASSWORD = 'dev node test password';

export interface DevNodeOptions {
  role?: NodeProcOptions['role'];
  /** config.json sections (swaps, orders, servicenode ...); swaps.pollMs is 100 unless given. */
  config?: Record<string, unknown>;
  /** Funds for the node's own wallet per chain. */
  funds?: Partial<Record<Ticker, bigint>>;
  /** Outputs each funding is split into (so one order does not lock a wallet's only coin). */
  splitInto?: number;
}

export class DevNode extends NodeProc {
  readonly chains: DevChains;

  private constructor(o: ConstructorParameters<typeof NodeProc>[0], chains: DevChains) {
    super(o);
    this.chains = chains;
  }

  /** A node with its wallets made and funded on both chains, not started yet. */
  static async prepare(name: string, root: string, chains: DevChains, o: DevNodeOptions = {}): Promise<DevNode> {
    const node = new DevNode(
      {
        name,
        dataDir: path.join(root, name),
        password: PASSWORD,
        ...(o.role ? { role: o.role } : {}),
        config: { ...o.config, swaps: { pollMs: 100, ...(o.config?.swaps as object | undefined) } },
        ...(await freeNodePorts()),
      },
      chains,
    );
    const parts = BigInt(o.splitInto ?? 1);
    for (const t of TICKERS) {
      // load_on_startup: the wallet is back when a test restarts the daemon.
      await chains[t].rpc.call('createwallet', [name, false, false, '', false, false, true], { wallet: false });
      const amount = o.funds?.[t] ?? 0n;
      if (amount <= 0n) continue;
      const outs: Record<string, string> = {};
      for (let i = 0n; i < parts; i++)
        outs[await node.wallet(t).callAs(z.string(), 'getnewaddress', ['', 'bech32'])] = formatAmount(
          amount / parts,
          8,
        );
      await chains[t].rpc.call('sendmany', ['', outs]);
    }
    await Promise.all(TICKERS.map((t) => ((o.funds?.[t] ?? 0n) > 0n ? chains[t].mine(1) : undefined)));
    return node;
  }

  /** Starts a prepared node, creates its vault, connects both wallets and dials `bootstrap`. */
  async launch(bootstrap: readonly NodeProc[] = []): Promise<this> {
    this.bootstrap = bootstrap.map((b) => b.addr);
    await this.start();
    await this.call('vault.create', { password: this.password, words: 12 });
    for (const t of TICKERS) {
      const chain = this.chains[t];
      const auth = chain.auth as { username: string; password: string };
      await this.call('wallets.connect', {
        ticker: t,
        connection: {
          kind: 'password',
          host: '127.0.0.1',
          port: chain.rpcPort,
          username: auth.username,
          password: auth.password,
          wallet: this.name,
        },
      });
    }
    for (const b of bootstrap) await this.call('p2p.dial', { addr: b.addr }).catch(() => undefined);
    return this;
  }

  /** This node's wallet on a chain, straight at the daemon (for balances and checks). */
  wallet(t: Ticker): RpcClient {
    return this.chains[t].rpc.forWallet(this.name);
  }

  async balance(t: Ticker): Promise<bigint> {
    // The wallet learns of a block asynchronously; wait for it to catch up before reading.
    await this.chains[t].rpc.call('syncwithvalidationinterfacequeue', [], { wallet: false });
    const b = await this.wallet(t).callAs(
      z.object({ mine: z.object({ trusted: CoinJsonAmount, untrusted_pending: CoinJsonAmount }).loose() }).loose(),
      'getbalances',
    );
    return amountFromCoinJson(b.mine.trusted, 8) + amountFromCoinJson(b.mine.untrusted_pending, 8);
  }

  /** Waits until this node has an open connection to `peerId` (after a restart, bootstrap redials). */
  async waitConnected(peerId: string, timeoutMs = 20_000): Promise<void> {
    await this.until(
      () => this.call('p2p.peers', {}),
      (l) => l.some((p) => p.peerId === peerId),
      `connected to ${peerId}`,
      timeoutMs,
      { intervalMs: 50, show: (l) => l.map((p) => p.peerId) },
    );
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
    return this.until(() => this.swap(swapId), done, what, timeoutMs, {
      intervalMs: 50,
      show: (s) => ({ state: s.state, reason: s.reason, txs: s.txs.map((x) => x.kind) }),
    });
  }
}

/** Connects every node to every other, so gossip meshes form at once. */
export async function connectAll(nodes: readonly NodeProc[]): Promise<void> {
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++)
      await nodes[i]!.call('p2p.dial', { addr: nodes[j]!.addr }).catch(() => undefined);
  }
}

export class DevNet {
  #chains: Chains | undefined;
  #root: string | undefined;
  readonly nodes: DevNode[] = [];

  get dev(): DevChains {
    const c = this.#chains?.chains;
    if (!c) throw new Error('the dev net has not started');
    return { DEVA: c[0]!, DEVB: c[1]! };
  }

  get root(): string {
    if (!this.#root) throw new Error('the dev net has not started');
    return this.#root;
  }

  async start(o: StartChainsOptions = {}): Promise<this> {
    this.#root = await mkdtemp(path.join(tmpdir(), 'hashlock-test-'));
    this.#chains = await startChains(2, o);
    return this;
  }

  /** A node with wallets on both chains, prepared but not started; cleanup kills it. */
  async prepare(name: string, o: DevNodeOptions = {}): Promise<DevNode> {
    const node = await DevNode.prepare(name, this.root, this.dev, o);
    this.nodes.push(node);
    return node;
  }

  /** A running node with its vault and both wallets connected, having dialled `bootstrap`. */
  async node(name: string, o: DevNodeOptions = {}, bootstrap: readonly NodeProc[] = []): Promise<DevNode> {
    return (await this.prepare(name, o)).launch(bootstrap);
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.kill()));
    await this.#chains?.cleanup();
    if (!this.#root) return;
    if (process.env.HASHLOCK_KEEP_TEST_DIRS) console.log(`test dirs kept in ${this.#root}`);
    else await rm(this.#root, { recursive: true, force: true });
  }
}

/** A DevNet for this test file: started before its tests, cleaned up after them whatever happened. */
export function useDevNet(o: StartChainsOptions = {}): DevNet {
  const net = new DevNet();
  beforeAll(async () => {
    await net.start(o);
  });
  afterAll(async () => {
    await net.cleanup();
  });
  return net;
}
