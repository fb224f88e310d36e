// Test fixtures: independent Litecoin regtest chains with spendable coins, in a fresh temp dir,
// and a cleanup that stops every daemon and removes the files (call it in afterAll/finally).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatAmount } from '../../src-shared/money/index.ts';
import {
  startRegtestDaemon,
  type RegtestDaemon,
  type RegtestDaemonOptions,
} from '../../src-main/chain/regtest-daemon.ts';

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
  const txid = await chain.rpc.call<string>('sendtoaddress', [address, formatAmount(amount, 8)]);
  if (opts.confirm !== false) await chain.mine(1);
  return txid;
}
