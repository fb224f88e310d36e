// Runs hostile-peer.ts as a child process and follows its JSON-line events; checks what the
// honest node recorded about it (its ban, straight from the node's SQLite file) and what it paid.
// `useHostiles` gives a test file the honest pair and hostile peers, all killed after the file.
import { z } from 'zod';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, expect } from 'vitest';
import { formatAmount } from '../../../src-shared/money/index.ts';
import { nodeBinary } from '../../support/p2p-proc.ts';
import type { DevNode } from '../../support/dev-node.ts';
import { feeOf, type DevChains } from '../../support/regtest.ts';
import { waitFor } from '../../../src-main/kernel/time.ts';
import { usePair, type Pair, type Side } from './harness.ts';
import type { Fault, HostileConfig } from './hostile-peer.ts';

/** Each wrong HTLC a hostile party locks, and the reason code the honest party gives for it. */
export const FAULT_CASES = [
  { fault: 'wrong-amount', code: 'wrong-amount' },
  { fault: 'wrong-script', code: 'script-not-htlc' },
  { fault: 'wrong-hash', code: 'wrong-secret-hash' },
  { fault: 'short-lock', code: 'lock-too-short' },
  { fault: 'wrong-claim-key', code: 'wrong-claim-key' },
  { fault: 'wrong-refund-key', code: 'wrong-refund-key' },
  { fault: 'long-lock', code: 'wrong-locktime' },
  { fault: 'output-mismatch', code: 'output-script-mismatch' },
] as const;

/** hostile-peer.ts, bundled by test/support/global-setup.ts. */
const SCRIPT = path.join(import.meta.dirname, '../../../dist/test-node/hostile-peer.js');

export type HostileEvent = { event: string } & Record<string, unknown>;

export class Hostile {
  readonly child: ChildProcessWithoutNullStreams;
  readonly events: HostileEvent[] = [];
  readonly wallet: string;
  readonly dev: DevChains;
  readonly #stderr: string[] = [];

  private constructor(config: HostileConfig, dev: DevChains) {
    this.wallet = config.wallet;
    this.dev = dev;
    this.child = spawn(nodeBinary(), [SCRIPT, JSON.stringify(config)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    createInterface({ input: this.child.stdout }).on('line', (l) => {
      try {
        this.events.push(JSON.parse(l) as HostileEvent);
      } catch {
        this.#stderr.push(l);
      }
    });
    createInterface({ input: this.child.stderr }).on('line', (l) => this.#stderr.push(l));
  }

  /** A hostile peer with its own funded wallet on both chains, connected to `target`. */
  static async start(o: {
    root: string;
    name: string;
    role: 'maker' | 'taker';
    fault: Fault;
    target: DevNode;
    dev: DevChains;
  }): Promise<Hostile> {
    for (const t of ['DEVA', 'DEVB'] as const) {
      await o.dev[t].rpc.call('createwallet', [o.name], { wallet: false });
      const address = await o.dev[t].rpc.forWallet(o.name).callAs(z.string(), 'getnewaddress', ['', 'bech32']);
      await o.dev[t].rpc.call('sendtoaddress', [address, formatAmount(10_00000000n, 8)]);
      await o.dev[t].mine(1);
    }
    const auth = (t: 'DEVA' | 'DEVB') => ({
      port: o.dev[t].rpcPort,
      ...(o.dev[t].auth as { username: string; password: string }),
    });
    const h = new Hostile(
      {
        dataDir: path.join(o.root, o.name),
        role: o.role,
        fault: o.fault,
        target: { peerId: o.target.peerId, addr: o.target.addr },
        chains: { DEVA: auth('DEVA'), DEVB: auth('DEVB') },
        wallet: o.name,
      },
      o.dev,
    );
    await h.waitFor('ready');
    return h;
  }

  get peerId(): string {
    return this.events.find((e) => e.event === 'ready')?.peerId as string;
  }

  /** The first event named `event` (and matching `fields`), waiting for it. */
  async waitFor(event: string, fields: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<HostileEvent> {
    const matches = (e: HostileEvent) => e.event === event && Object.entries(fields).every(([k, v]) => e[k] === v);
    return waitFor(
      () => {
        const err = this.events.find((e) => e.event === 'error');
        if (err) throw new Error(`hostile peer failed: ${String(err.error)}\n${this.#stderr.join('\n')}`);
        return this.events.find(matches);
      },
      { timeoutMs, intervalMs: 25, what: `hostile peer event ${event}\n${this.#stderr.slice(-10).join('\n')}` },
    );
  }

  go(): void {
    this.child.stdin.write('go\n');
  }

  /** A 'double-spend' peer signs a payment of its HTLC funding's inputs to itself (event 'double-spend'). */
  doubleSpend(): void {
    this.child.stdin.write('double-spend\n');
  }

  async balance(t: 'DEVA' | 'DEVB'): Promise<bigint> {
    await this.dev[t].rpc.call('syncwithvalidationinterfacequeue', [], { wallet: false });
    return this.dev[t].rpc.forWallet(this.wallet).amount('getbalance', ['*', 0]);
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const done = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await done;
  }
}

/** Waits for the honest node to record a ban of `peerId` (it bans once its abort had its chance to go out). */
export async function waitBan(node: DevNode, peerId: string): Promise<{ reason: string; until: number }> {
  return waitFor(() => banOf(node, peerId), {
    timeoutMs: 15_000,
    intervalMs: 50,
    what: `${node.name} to ban ${peerId}`,
  });
}

/** The ban the honest node recorded for `peerId`, read from its SQLite file (WAL allows a reader). */
export function banOf(node: DevNode, peerId: string): { reason: string; until: number } | undefined {
  const db = new Database(path.join(node.dataDir, 'node.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[string], { reason: string; until: number }>('SELECT reason, until FROM peers_banned WHERE peer_id = ?')
      .get(peerId);
  } finally {
    db.close();
  }
}

/** The hostile peer's wallet paid exactly its wrong HTLC and that transaction's fee, nothing else. */
export async function expectPaidOnlyItsHtlc(h: Hostile, before: bigint, funded: HostileEvent): Promise<void> {
  const t = funded.ticker as 'DEVA' | 'DEVB';
  const fee = await feeOf(h.dev[t], funded.txid as string);
  expect(await h.balance(t)).toBe(before - BigInt(funded.amount as string) - fee);
}

export interface Hostiles {
  pair: Pair;
  /** A hostile `role` locking an HTLC with `fault`, against the honest other side of the pair. */
  start(role: Side, fault: Fault): Promise<Hostile>;
}

export function useHostiles(): Hostiles {
  const pair = usePair();
  const started: Hostile[] = [];
  afterAll(async () => {
    await Promise.all(started.map((h) => h.kill()));
  });
  return {
    pair,
    async start(role, fault) {
      const h = await Hostile.start({
        root: pair.root,
        name: `hostile-${role}-${fault}`,
        role,
        fault,
        target: role === 'maker' ? pair.taker : pair.maker,
        dev: pair.dev,
      });
      started.push(h);
      return h;
    },
  };
}
