// Test fixtures: independent Litecoin regtest chains with spendable coins, in a fresh temp dir,
// and a cleanup that stops every daemon and removes the files (call it in afterAll/finally).
// Two of them are the devnet's DEVA and DEVB; helpers mine on them (at once when a transaction
// waits, or to a height) and read what a transaction paid in fees.
import { z } from 'zod';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transaction } from 'bitcoinjs-lib';
import { formatAmount } from '../../src-shared/money/index.ts';
import {
  startRegtestDaemon,
  type RegtestDaemon,
  type RegtestDaemonOptions,
} from '../../src-main/chain/regtest-daemon.ts';
import type { RpcClient } from '../../src-main/chain/rpc.ts';
import { childFees } from './children.ts';

export const TICKERS = ['DEVA', 'DEVB'] as const;
export type Ticker = (typeof TICKERS)[number];
export type DevChains = Record<Ticker, RegtestDaemon>;

export interface Chains {
  chains: RegtestDaemon[];
  /** Parent of every chain's data dir. */
  root: string;
  cleanup(): Promise<void>;
}

export interface StartChainsOptions extends Partial<Omit<RegtestDaemonOptions, 'dataDir' | 'rpcPort' | 'p2pPort'>> {
  /**
   * Blocks mined to each chain's wallet at start; default 105: coinbase needs 100
   * confirmations, so this leaves 5 mature rewards (250 coins) to spend.
   */
  blocks?: number;
}

export async function startChains(n = 2, opts: StartChainsOptions = {}): Promise<Chains> {
  const { blocks = 105, ...daemonOpts } = opts;
  const root = await mkdtemp(path.join(tmpdir(), 'hashlock-chains-'));
  const started: RegtestDaemon[] = [];
  const cleanup = async (): Promise<void> => {
    await Promise.all(started.map((d) => d.stop().catch(() => d.kill())));
    await rm(root, { recursive: true, force: true });
  };
  try {
    const results = await Promise.allSettled(
      Array.from({ length: n }, (_, i) =>
        startRegtestDaemon({ ...daemonOpts, dataDir: path.join(root, `chain-${i}`) }),
      ),
    );
    for (const r of results) if (r.status === 'fulfilled') started.push(r.value);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (blocks > 0) await Promise.all(started.map((d) => d.mine(blocks)));
    return { chains: started, root, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Send `amount` (base units) from the chain's wallet to `address`; mines a block to confirm unless told not to. */
export async function fundAddress(
  chain: RegtestDaemon,
  address: string,
  amount: bigint,
  opts: { confirm?: boolean } = {},
): Promise<string> {
  const txid = await chain.rpc.callAs(z.string(), 'sendtoaddress', [address, formatAmount(amount, 8)]);
  if (opts.confirm !== false) await chain.mine(1);
  return txid;
}

/** The Litecoin wallet refuses fee rates below this (sat/vB; STACK.md). */
export const WALLET_FEE_RATE = 10;

/** `sendtoaddress` from `wallet` at an explicit fee rate (sat/vB); returns the txid. */
export async function payAt(
  wallet: RpcClient,
  address: string,
  amount: bigint,
  feeRate = WALLET_FEE_RATE,
): Promise<string> {
  const args = [address, formatAmount(amount, 8), '', '', false, false, null, 'unset', null, feeRate];
  return wallet.callAs(z.string(), 'sendtoaddress', args);
}

export async function height(chain: RegtestDaemon): Promise<number> {
  return chain.rpc.callAs(z.number(), 'getblockcount', [], { wallet: false });
}

/** Mines until the chain's tip is at least `target`. */
export async function mineTo(chain: RegtestDaemon, target: number): Promise<void> {
  const h = await height(chain);
  if (h < target) await chain.mine(target - h);
}

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
          const pool = await chains[t].rpc.callAs(z.array(z.string()), 'getrawmempool', [], {
            wallet: false,
            retry: false,
          });
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

/** Runs `body` with an auto-miner on both chains, stopped however `body` ends. */
export async function withMiner<T>(chains: DevChains, body: (miner: AutoMiner) => Promise<T>): Promise<T> {
  const miner = autoMine(chains);
  try {
    return await body(miner);
  } finally {
    await miner.stop();
  }
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
  /** What to add to the error when time runs out (the nodes' last log lines). */
  explain?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline)
      throw new Error(`time passed for ${timeoutMs} ms without ${what}${explain ? `\n${explain()}` : ''}`);
    await Promise.all(TICKERS.map((t) => chains[t].mine(1)));
    await new Promise((r) => setTimeout(r, 60));
  }
}

async function rawTx(chain: RegtestDaemon, txid: string): Promise<Transaction> {
  return Transaction.fromHex(await chain.rpc.callAs(z.string(), 'getrawtransaction', [txid], { wallet: false }));
}

/** Fee of a transaction from its own inputs and outputs (txindex is on in the fixture). */
export async function feeOf(chain: RegtestDaemon, txid: string): Promise<bigint> {
  const tx = await rawTx(chain, txid);
  let inputs = 0n;
  for (const input of tx.ins) {
    const prev = await rawTx(chain, Buffer.from(input.hash).reverse().toString('hex'));
    inputs += prev.outs[input.index]!.value;
  }
  return inputs - tx.outs.reduce((a, o) => a + o.value, 0n);
}

/** What `wallet`'s children of `txid` (and theirs) paid: the CPFP children of a claim or refund. */
export async function childFeesOf(chain: RegtestDaemon, wallet: RpcClient, txid: string): Promise<bigint> {
  return childFees(txid, {
    walletTxids: async () =>
      (await wallet.callAs(z.array(z.object({ txid: z.string() }).loose()), 'listtransactions', ['*', 1000])).map(
        (t) => t.txid,
      ),
    inputsOf: async (id) => (await rawTx(chain, id)).ins.map((i) => Buffer.from(i.hash).reverse().toString('hex')),
    feeOf: (id) => feeOf(chain, id),
  });
}

/** The value of one output of a transaction. */
export async function outputValue(chain: RegtestDaemon, txid: string, vout: number): Promise<bigint> {
  return (await rawTx(chain, txid)).outs[vout]!.value;
}
