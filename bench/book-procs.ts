// Starts bench/book-node.ts processes and drives them: a command per stdin line, and the times at
// which each listed each order (for propagation latency). Every child dies with its stdin.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { nodeBinary } from '../test/support/p2p-proc.ts';

export class BookProc {
  readonly child: ChildProcessWithoutNullStreams;
  peerId = '';
  addrs: string[] = [];
  /** order id → when this process listed it (ms since the epoch). */
  readonly listed = new Map<string, number>();
  #next = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #ready: Promise<void>;

  constructor(nodeArgs: string[] = []) {
    this.child = spawn(nodeBinary(), [...nodeArgs, path.join(import.meta.dirname, 'book-node.ts')], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let ready: () => void;
    let failed: (e: Error) => void;
    this.#ready = new Promise((res, rej) => {
      ready = res;
      failed = rej;
    });
    const stderr: string[] = [];
    createInterface({ input: this.child.stderr }).on('line', (l) => {
      stderr.push(l);
      if (process.env.BENCH_DEBUG) console.error(`[${this.peerId.slice(-6)}] ${l}`);
    });
    this.child.once('exit', (code) =>
      failed(new Error(`bench node exited (${code}): ${stderr.slice(-10).join('\n')}`)),
    );
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const m = JSON.parse(line) as {
        id?: number;
        ok?: boolean;
        result?: unknown;
        error?: string;
        event?: string;
        peerId?: string;
        addrs?: string[];
        orderId?: string;
        t?: number;
      };
      if (m.event === 'ready') {
        this.peerId = m.peerId!;
        this.addrs = m.addrs!;
        ready();
      } else if (m.event === 'listed') this.listed.set(m.orderId!, m.t!);
      else if (m.id !== undefined) {
        const p = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        if (m.ok) p?.resolve(m.result);
        else p?.reject(new Error(m.error));
      }
    });
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  call<T = unknown>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.stdin.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
