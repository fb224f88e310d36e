// The JSON-lines protocol between a benchmark and the node processes it starts, both ends. The
// bench (JsonProc) writes a command a stdin line, `{id, cmd, ...args}`; the node (serveCommands)
// answers a stdout line, `{id, ok, result}` or `{id, ok: false, error}`, and tells events as lines
// `{event, ...}` (`ready` with its peer id and addresses first). A node dies with its stdin.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { NODE_V8_FLAGS } from '../src-main/core/v8-flags.ts';
import type { Logger } from '../src-main/kernel/log.ts';
import { nodeBinary } from '../test/support/p2p-proc.ts';

export type Line = Record<string, unknown>;

const ROOT_DIR = path.join(import.meta.dirname, '..');

export interface JsonProcOptions {
  /** The node script and its arguments, after any Node flags. */
  readonly script: string;
  readonly args?: readonly string[];
  /** Node flags (`--expose-gc`), after the V8 flags every node starts with (NODE_V8_FLAGS). */
  readonly nodeArgs?: readonly string[];
  /** What the node is, in the error when it exits before it should. */
  readonly what?: string;
  /** How long a stopping node has to exit on its own before it is killed. */
  readonly stopGraceMs?: number;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** A bench node process: its `ready` line, commands with answers, and its events (`onEvent`). */
export class JsonProc {
  readonly child: ChildProcessWithoutNullStreams;
  peerId = '';
  addrs: string[] = [];
  #next = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #ready: Promise<void>;
  readonly #stopGraceMs: number;

  /** `label`: the prefix of the node's stderr lines under BENCH_DEBUG (default: its peer id's tail). */
  constructor(o: JsonProcOptions, label?: string) {
    this.#stopGraceMs = o.stopGraceMs ?? 5000;
    // As a real node starts: the product's V8 flags decide its GC and memory, so its CPU too, and
    // bin/hashlock's compile cache (a verify worker started mid-join compiles nothing again).
    this.child = spawn(nodeBinary(), [...NODE_V8_FLAGS, ...(o.nodeArgs ?? []), o.script, ...(o.args ?? [])], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        NODE_COMPILE_CACHE:
          process.env.NODE_COMPILE_CACHE ?? path.join(ROOT_DIR, 'node_modules', '.cache', 'node-compile-cache'),
      },
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
      if (process.env.BENCH_DEBUG) console.error(`[${label ?? this.peerId.slice(-6)}] ${l}`);
    });
    this.child.once('exit', (code) => {
      const err = new Error(`${o.what ?? 'bench node'} exited (${code}): ${stderr.slice(-10).join('\n')}`);
      failed(err);
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      // V8's own lines (--trace-gc through IDENTITY_BENCH_NODE_ARGS) are not the node's answers.
      if (!line.startsWith('{')) {
        if (process.env.BENCH_DEBUG) console.error(`[${label ?? this.peerId.slice(-6)}] ${line}`);
        return;
      }
      const m = JSON.parse(line) as Line & { id?: number };
      if (m.event === 'ready') {
        this.peerId = m.peerId as string;
        this.addrs = m.addrs as string[];
        ready();
      } else if (m.event !== undefined) this.onEvent(m);
      else if (m.id !== undefined) {
        const p = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        if (m.ok) p?.resolve(m.result);
        else p?.reject(new Error(String(m.error)));
      }
    });
  }

  /** An event line other than `ready`; a subclass keeps what it measures. */
  protected onEvent(_event: Line): void {}

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

  /** Closes the node's stdin (it stops and exits), and kills it if it has not exited in time. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), this.#stopGraceMs);
    await exited;
    clearTimeout(timer);
  }
}

// The node's end.

export type Command = { id: number; cmd: string } & Record<string, unknown>;

/** Writes one line to the bench: an answer or an event. */
export const send = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);

const write = (m: string, d?: Record<string, unknown>) => process.stderr.write(`${m} ${JSON.stringify(d)}\n`);

/** Errors only, on stderr; everything under BENCH_DEBUG. */
/**
 * Node flags for every node of a bench, from its environment: `profDir` names the variable of a
 * folder for `--cpu-prof` profiles (one per thread), `extra` the variable of more flags,
 * space-separated (to compare V8 settings).
 */
export function nodeArgsFromEnv(profDir: string, extra: string): string[] {
  const dir = process.env[profDir];
  return [
    ...(dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []),
    ...(process.env[extra]?.split(' ').filter((a) => a !== '') ?? []),
  ];
}

export const benchLog: Logger = process.env.BENCH_DEBUG
  ? { info: write, warn: write, error: write }
  : { info: () => undefined, warn: () => undefined, error: write };

/**
 * A bench node's p2p limits: loopback benchmarks dial many nodes from one address and publish in
 * bursts. No dialling of discovered peers: the benchmark's own sparse mesh stays as built, so
 * messages cross several hops.
 */
export const LOOPBACK_MESH_LIMITS = {
  inboundConnectionsPerHostPerSec: 1000,
  targetPeers: 1,
  gossipPerPeer: { capacity: 100_000, refillPerSec: 100_000 },
  gossipPerOrigin: { capacity: 100_000, refillPerSec: 100_000 },
};

/** Answers the bench's commands a line each; `onClose` runs when the bench closes stdin. */
export function serveCommands(commands: Record<string, (c: Command) => Promise<unknown>>, onClose: () => void): void {
  createInterface({ input: process.stdin })
    .on('line', (line) => {
      const c = JSON.parse(line) as Command;
      const run = commands[c.cmd];
      if (!run) return send({ id: c.id, ok: false, error: `unknown command ${c.cmd}` });
      run(c).then(
        (result) => send({ id: c.id, ok: true, result }),
        (err: unknown) => send({ id: c.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
      );
    })
    .on('close', onClose);
}
