// Runs real p2p hosts in separate Node 24 processes (test/integration/p2p/test-node.ts) and drives
// them over a line-based JSON control protocol, so integration tests see real libp2p networking
// between processes. A P2pProcs group owns its children and kills them all in afterAll.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { P2pHostOptions } from '../../src-main/p2p/host.ts';

const REPO = resolve(import.meta.dirname, '../..');
/** test/integration/p2p/test-node.ts, bundled by global-setup.ts. */
const NODE_SCRIPT = join(REPO, 'dist/test-node/p2p-node.js');

/** The project's Node 24: the machine's default node (20) cannot run libp2p 3. */
export function nodeBinary(): string {
  return process.versions.node.startsWith('24.') ? process.execPath : join(REPO, 'node_modules/.bin/node');
}

export type P2pProcConfig = Omit<P2pHostOptions, 'dataDir' | 'now' | 'bans' | 'log'> & {
  dataDir?: string;
  /** Runs the host inside this network namespace (test/support/netns.ts). */
  netns?: string;
};

export interface GossipEvent {
  topic: string;
  from: string;
  size: number;
  text: string;
}

export class ControlError extends Error {
  override name = 'ControlError';
  readonly data: { name?: string; code?: string; message: string; reason?: string; remoteCode?: string };
  constructor(cmd: string, data: ControlError['data']) {
    super(`${cmd} failed: ${data.name ?? 'Error'} ${data.code ?? ''} ${data.message}`);
    this.data = data;
  }
}

interface Pending {
  cmd: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export class P2pProc {
  readonly name: string;
  readonly dataDir: string;
  readonly child: ChildProcessWithoutNullStreams;
  peerId = '';
  addrs: string[] = [];
  readonly messages: GossipEvent[] = [];
  readonly #stderr: string[] = [];
  readonly #pending = new Map<number, Pending>();
  readonly #waiters = new Set<() => void>();
  #nextId = 1;
  #exited = false;
  readonly exited: Promise<number | null>;

  constructor(name: string, dataDir: string, config: P2pProcConfig) {
    this.name = name;
    this.dataDir = dataDir;
    const { netns, ...hostConfig } = config;
    const argv = [NODE_SCRIPT, JSON.stringify({ ...hostConfig, dataDir })];
    const [cmd, args] =
      netns === undefined ? [nodeBinary(), argv] : ['ip', ['netns', 'exec', netns, nodeBinary(), ...argv]];
    this.child = spawn(cmd, args, {
      cwd: REPO,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    this.exited = new Promise((res) => {
      this.child.on('exit', (code) => {
        this.#exited = true;
        for (const p of this.#pending.values()) {
          clearTimeout(p.timer);
          p.reject(new Error(`${this.name} exited (code ${code}) during ${p.cmd}\n${this.stderrTail()}`));
        }
        this.#pending.clear();
        this.#wake();
        res(code);
      });
    });
    createInterface({ input: this.child.stderr }).on('line', (line) => {
      this.#stderr.push(line);
      if (this.#stderr.length > 2000) this.#stderr.shift();
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.#onLine(line);
    });
  }

  /** Waits for the child's ready line and records its peer id and addresses. */
  // Generous: on a loaded machine a process takes a while to load libp2p (node-proc.ts waits as long).
  async ready(timeoutMs = 90_000): Promise<this> {
    await this.waitUntil(() => this.peerId !== '', timeoutMs, 'ready');
    return this;
  }

  #onLine(line: string): void {
    let msg: { id?: number; ok?: boolean; result?: unknown; error?: ControlError['data']; event?: string } & Record<
      string,
      unknown
    >;
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      this.#stderr.push(`(stdout) ${line}`);
      return;
    }
    if (msg.event === 'ready') {
      this.peerId = msg.peerId as string;
      this.addrs = msg.addrs as string[];
    } else if (msg.event === 'message') {
      this.messages.push({
        topic: msg.topic as string,
        from: msg.from as string,
        size: msg.size as number,
        text: msg.text as string,
      });
    } else if (msg.event === 'fatal') {
      this.#stderr.push(`fatal: ${JSON.stringify(msg.error)}`);
    } else if (typeof msg.id === 'number') {
      const p = this.#pending.get(msg.id);
      if (p !== undefined) {
        this.#pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.ok === true) p.resolve(msg.result);
        else p.reject(new ControlError(p.cmd, msg.error ?? { message: 'no error data' }));
      }
    }
    this.#wake();
  }

  #wake(): void {
    for (const w of this.#waiters) w();
  }

  call<T = unknown>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<T> {
    if (this.#exited) return Promise.reject(new Error(`${this.name} has exited; cannot run ${cmd}`));
    const id = this.#nextId++;
    return new Promise<T>((res, rej) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        rej(new Error(`${this.name}: ${cmd} got no reply in ${timeoutMs} ms\n${this.stderrTail()}`));
      }, timeoutMs);
      this.#pending.set(id, { cmd, resolve: res as (v: unknown) => void, reject: rej, timer });
      this.child.stdin.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
    });
  }

  /** Like call, but resolves to the error data when the command fails. */
  async callExpectingError(
    cmd: string,
    args: Record<string, unknown> = {},
    timeoutMs = 30_000,
  ): Promise<ControlError['data']> {
    try {
      const result = await this.call(cmd, args, timeoutMs);
      throw new Error(`${this.name}: ${cmd} was expected to fail but returned ${JSON.stringify(result).slice(0, 300)}`);
    } catch (err) {
      if (err instanceof ControlError) return err.data;
      throw err;
    }
  }

  /** Resolves once `predicate` holds, re-checked on every line from the child and every 100 ms. */
  waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((res, rej) => {
      const check = (): void => {
        if (predicate()) {
          done();
          res();
        } else if (this.#exited) {
          done();
          rej(new Error(`${this.name} exited while waiting for ${what}\n${this.stderrTail()}`));
        }
      };
      const interval = setInterval(check, 100);
      const timer = setTimeout(() => {
        done();
        rej(new Error(`${this.name}: timed out after ${timeoutMs} ms waiting for ${what}\n${this.stderrTail()}`));
      }, timeoutMs);
      const done = (): void => {
        clearInterval(interval);
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  waitForMessage(predicate: (m: GossipEvent) => boolean, timeoutMs = 15_000): Promise<GossipEvent> {
    return this.waitUntil(() => this.messages.some(predicate), timeoutMs, 'a gossip message').then(
      () => this.messages.find(predicate) as GossipEvent,
    );
  }

  stderrTail(lines = 30): string {
    return `--- ${this.name} stderr ---\n${this.#stderr.slice(-lines).join('\n')}`;
  }

  get alive(): boolean {
    return !this.#exited;
  }

  /** Asks the host to stop, then kills the process if it does not exit promptly. */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (this.#exited) return;
    await this.call('stop', {}, timeoutMs).catch(() => undefined);
    const timer = setTimeout(() => {
      this.kill();
    }, timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.#exited) this.child.kill('SIGKILL');
  }
}

/** Owns a set of child hosts and their temp data dirs for one test file. */
export class P2pProcs {
  readonly #procs: P2pProc[] = [];
  #root: string | undefined;

  async tempDir(name: string): Promise<string> {
    this.#root ??= await mkdtemp(join(tmpdir(), 'hashlock-p2p-'));
    return join(this.#root, name);
  }

  /** Starts a host process; `dataDir` defaults to a fresh temp dir named after it. */
  async start(name: string, config: P2pProcConfig = {}, readyTimeoutMs?: number): Promise<P2pProc> {
    const dataDir = config.dataDir ?? (await this.tempDir(name));
    const proc = new P2pProc(name, dataDir, config);
    this.#procs.push(proc);
    return proc.ready(readyTimeoutMs);
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      this.#procs.map((p) =>
        p.stop().catch(() => {
          p.kill();
        }),
      ),
    );
  }

  /** For afterAll: stop gracefully, kill what is left, remove temp dirs. */
  async cleanup(): Promise<void> {
    const graceful = this.stopAll();
    const deadline = new Promise((res) => setTimeout(res, 8_000));
    await Promise.race([graceful, deadline]);
    for (const p of this.#procs) p.kill();
    await Promise.all(this.#procs.map((p) => p.exited));
    if (this.#root !== undefined) await rm(this.#root, { recursive: true, force: true });
  }
}
