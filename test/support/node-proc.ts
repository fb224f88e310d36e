// One Hashlock node in its own process, for integration tests: `bin/hashlock node` (or
// `servicenode`) with its own data dir, config.json and fixed ports (a restart keeps its
// addresses), its JSON-RPC API called with the token it writes, its output kept in node.log.
// Stopped (SIGTERM), killed (SIGKILL) or told to crash at a named step; none outlives the tests.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import type { MethodName, Params, PushedEvent, Result } from '../../src-shared/api/contract.ts';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src-shared/api/client.ts';
import { WS_PATH } from '../../src-shared/api/wire.ts';
import { createNodeRpc, type NodeRpc } from '../../src-main/cli/rpc-client.ts';
import { freePort } from '../../src-main/kernel/ports.ts';
import { waitFor } from '../../src-main/kernel/time.ts';
import type { TestHooks } from './test-node.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(REPO, 'bin/hashlock');
const NODE = path.join(REPO, 'node_modules/.bin/node');
/** The test-only entry (test-node.ts, bundled by global-setup.ts) a node runs when a test asks for a hook. */
const TEST_ENTRY = path.join(REPO, 'dist/test-node/test-node.js');
const TOKEN_FILE = 'api-token';
const execFileAsync = promisify(execFile);
// Generous: on a loaded machine a node takes a while to load its modules and open its store.
const START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;

function nodeEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // HASHLOCK_TEST_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/p': where a test's nodes spend their CPU.
    NODE_OPTIONS: process.env.HASHLOCK_TEST_NODE_OPTIONS ?? '',
    HASHLOCK_LOG: 'info',
    // One compile cache for every node a test starts, through bin/hashlock or the test entry alike.
    NODE_COMPILE_CACHE:
      process.env.NODE_COMPILE_CACHE ?? path.join(REPO, 'node_modules', '.cache', 'node-compile-cache'),
  };
}

/**
 * The command that runs the node: `bin/hashlock node` (the product's own entry), or, when the test
 * asks for a hook (a crash or an injected error at a named step), the test-only entry, which hands
 * the hook to startNode. Production code reads no test hook from anywhere.
 */
function nodeCommand(role: 'trader' | 'servicenode', dataDir: string, passwordFile: string, opts: StartOptions) {
  const hooks: TestHooks = {
    ...(opts.crashAt ? { crashAt: opts.crashAt } : {}),
    ...(opts.rpcErrorAt ? { rpcErrorAt: opts.rpcErrorAt } : {}),
  };
  if (Object.keys(hooks).length === 0) {
    const args = [role === 'servicenode' ? 'servicenode' : 'node', '--data-dir', dataDir];
    return { file: BIN, args: [...args, '--password-file', passwordFile] };
  }
  const args = ['--disable-warning=ExperimentalWarning', TEST_ENTRY, '--data-dir', dataDir, '--role', role];
  return { file: NODE, args: [...args, '--password-file', passwordFile, '--hooks', JSON.stringify(hooks)] };
}

// Every node still running when the test process ends is killed: on a normal exit by this hook,
// on a SIGKILL of the test process by the node's watchdog.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

function startWatchdog(childPid: number): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do kill -0 ${childPid} 2>/dev/null || exit 0; sleep 1; done; kill -9 ${childPid} 2>/dev/null; exit 0`;
  const dog = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
  dog.on('error', () => undefined);
  dog.unref();
}

export interface NodePorts {
  apiPort: number;
  p2pPort: number;
}

export async function freeNodePorts(): Promise<NodePorts> {
  return { apiPort: await freePort(), p2pPort: await freePort() };
}

export interface NodeProcOptions {
  name: string;
  dataDir: string;
  role?: 'trader' | 'servicenode';
  /** The vault password; the node unlocks its vault with it at every start. */
  password: string;
  /** Sections of config.json besides network, api, p2p and vault (swaps, orders, servicenode ...). */
  config?: Record<string, unknown>;
  /** JSON-RPC request timeout. */
  rpcTimeoutMs?: number;
}

export interface StartOptions {
  /** The swap-engine step at which the node SIGKILLs itself (see SwapEngineDeps.crashAt). */
  crashAt?: string;
  /** The step at which the swap engine meets a wallet RPC error, once (test-node.ts). */
  rpcErrorAt?: string;
}

export interface UntilOptions<T> {
  intervalMs?: number;
  /** What of the last value read a failure shows (default: all of it, as JSON). */
  show?: (last: T) => unknown;
}

export class NodeProc {
  readonly name: string;
  readonly dataDir: string;
  readonly role: 'trader' | 'servicenode';
  readonly password: string;
  /** config.json sections besides network, api, p2p and vault; written at every start. */
  config: Record<string, unknown>;
  /** Peers dialled at every start, so a restarted node finds its counterparties again. */
  bootstrap: string[] = [];
  /**
   * Where the node runs when not on the machine's loopback: a network namespace and its address
   * there (test/support/nat-nodes.ts bridges the API and the daemons' RPC into it).
   */
  place: { netns: string; ip: string } | undefined;
  peerId = '';
  #ports: NodePorts;
  #everStarted = false;
  #child: ChildProcess | undefined;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #rpc: NodeRpc | undefined;
  readonly #rpcTimeoutMs: number;
  readonly #sockets = new Set<WebSocket>();

  constructor(o: NodeProcOptions & NodePorts) {
    this.name = o.name;
    this.dataDir = o.dataDir;
    this.role = o.role ?? 'trader';
    this.password = o.password;
    this.config = o.config ?? {};
    this.#ports = { apiPort: o.apiPort, p2pPort: o.p2pPort };
    this.#rpcTimeoutMs = o.rpcTimeoutMs ?? 60_000;
    mkdirSync(this.dataDir, { recursive: true });
    writeFileSync(this.passwordFile, this.password);
  }

  /** A node on free ports, not started yet. */
  static async create(o: NodeProcOptions): Promise<NodeProc> {
    return new NodeProc({ ...o, ...(await freeNodePorts()) });
  }

  get apiPort(): number {
    return this.#ports.apiPort;
  }

  get p2pPort(): number {
    return this.#ports.p2pPort;
  }

  get addr(): string {
    return `/ip4/${this.place?.ip ?? '127.0.0.1'}/tcp/${this.p2pPort}/p2p/${this.peerId}`;
  }

  get url(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#exit === undefined;
  }

  get passwordFile(): string {
    return path.join(this.dataDir, 'password');
  }

  get logFile(): string {
    return path.join(this.dataDir, 'node.log');
  }

  /** The API bearer token the node made on its first start. */
  get token(): string {
    return readFileSync(path.join(this.dataDir, TOKEN_FILE), 'utf8').trim();
  }

  /** Starts the process and resolves once its API answers. */
  async start(opts: StartOptions = {}): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    // Ports picked free can be taken by another process before the node binds them; on its first
    // start the node may then move. A restart keeps its ports: peers and configs know them.
    for (let attempt = 1; ; attempt++) {
      const logFrom = this.#logSize();
      try {
        await this.#launch(opts);
        this.#everStarted = true;
        return;
      } catch (err) {
        const busy = !this.running && /EADDRINUSE/.test(this.#logSince(logFrom));
        if (this.#everStarted || !busy || attempt === 3) throw err;
        this.#ports = await freeNodePorts();
      }
    }
  }

  async #launch(opts: StartOptions): Promise<void> {
    this.#writeConfig();
    const logFd = openSync(this.logFile, 'a');
    const command = nodeCommand(this.role, this.dataDir, this.passwordFile, opts);
    const [cmd, cmdArgs] =
      this.place === undefined
        ? [command.file, command.args]
        : ['ip', ['netns', 'exec', this.place.netns, command.file, ...command.args]];
    const child = spawn(cmd, cmdArgs, {
      cwd: REPO,
      stdio: ['ignore', logFd, logFd],
      env: nodeEnv(),
    });
    closeSync(logFd);
    this.#child = child;
    this.#exit = undefined;
    live.add(child);
    child.once('exit', (code, signal) => {
      live.delete(child);
      if (this.#child === child) this.#exit = { code, signal };
    });
    if (child.pid !== undefined) startWatchdog(child.pid);
    const died = () => (this.running ? undefined : `${this.name} exited during start-up (${this.#exitText()})`);
    try {
      const token = await waitFor(() => this.#readToken(), {
        timeoutMs: START_TIMEOUT_MS,
        intervalMs: 50,
        what: `${this.name} to write its API token`,
        abortIf: died,
      });
      this.#rpc = createNodeRpc(this.url, token, this.#rpcTimeoutMs);
      const info = await waitFor(() => this.call('node.info', {}), {
        timeoutMs: START_TIMEOUT_MS,
        intervalMs: 50,
        what: `${this.name} API`,
        abortIf: died,
      });
      this.peerId = info.peerId;
    } catch (err) {
      // A node that never answered is not left running behind the failure.
      if (this.running) await this.kill();
      throw new Error(`${(err as Error).message}\n${this.logTail()}`, { cause: err });
    }
  }

  #writeConfig(): void {
    const config = {
      network: 'devnet',
      api: { port: this.apiPort },
      p2p: { listen: [`/ip4/${this.place?.ip ?? '127.0.0.1'}/tcp/${this.p2pPort}`], bootstrap: this.bootstrap },
      // Cheap scrypt: a test vault is made and unlocked in milliseconds.
      vault: { kdf: { N: 1024, r: 8, p: 1 } },
      ...this.config,
    };
    writeFileSync(path.join(this.dataDir, 'config.json'), JSON.stringify(config));
  }

  #readToken(): string | undefined {
    try {
      return this.token || undefined;
    } catch {
      return undefined;
    }
  }

  /** SIGTERM, then SIGKILL if the node has not exited after a grace period. */
  async stop(): Promise<void> {
    await this.#signal('SIGTERM', STOP_GRACE_MS);
  }

  /** SIGKILL: a crash, nothing is shut down. */
  async kill(): Promise<void> {
    await this.#signal('SIGKILL');
  }

  async restart(opts: StartOptions = {}): Promise<void> {
    await this.stop();
    await this.start(opts);
  }

  async #signal(signal: 'SIGTERM' | 'SIGKILL', graceMs?: number): Promise<void> {
    for (const ws of this.#sockets) ws.terminate();
    this.#sockets.clear();
    const child = this.#child;
    if (!child || !this.running) return;
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGCONT'); // a paused node could not act on SIGTERM
    child.kill(signal);
    const timer = graceMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), graceMs);
    await done;
    clearTimeout(timer);
  }

  /** Freezes the process (SIGSTOP): it holds its connections but answers nothing. */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  /** Resolves when the process has exited (a node told to crash at a step). */
  async exited(timeoutMs = 60_000): Promise<void> {
    const child = this.#child;
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

  /** One API call. A node that is not running fails it with its exit and the end of its log. */
  async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    const rpc = this.#rpc;
    if (!rpc) throw new Error(`${this.name} has not started`);
    try {
      try {
        return await rpc.call(method, params);
      } catch (err) {
        // fetch may send a request on a kept-alive socket the node has just closed (nodejs/undici#3492;
        // a loaded test process runs its idle timers late): the request never reached the node, so
        // it is sent once more on a new connection. A timeout or an answer is never repeated.
        if (!this.running || !/\(fetch failed\)$/.test((err as Error).message)) throw err;
        return await rpc.call(method, params);
      }
    } catch (err) {
      if (this.running) throw err;
      throw new Error(
        `${this.name}: ${method} failed, the node is not running (${this.#exitText()})\n${this.logTail()}`,
        {
          cause: err,
        },
      );
    }
  }

  /** Polls `read` until `done` holds; a failure names what was awaited, the last value and the log. */
  async until<T>(
    read: () => Promise<T>,
    done: (x: T) => boolean,
    what: string,
    timeoutMs = 60_000,
    how: UntilOptions<T> = {},
  ): Promise<T> {
    let last: { value: T } | undefined;
    try {
      return await waitFor(
        async () => {
          const value = await read();
          last = { value };
          return done(value) ? value : undefined;
        },
        { timeoutMs, intervalMs: how.intervalMs ?? 100, what: `${this.name}: ${what}` },
      );
    } catch (err) {
      const shown = last === undefined ? 'nothing read' : (how.show ?? ((x: T) => x))(last.value);
      const state = this.running ? '' : `\n${this.name} is not running (${this.#exitText()})`;
      throw new Error(
        `${(err as Error).message}\nlast: ${JSON.stringify(shown)?.slice(0, 2000)}${state}\n${this.logTail()}`,
        { cause: err },
      );
    }
  }

  /** `bin/hashlock <args>` against this node, as a user at a shell runs it; the JSON it prints. */
  async cli(args: readonly string[]): Promise<unknown> {
    const { stdout } = await execFileAsync(BIN, [...args, '--data-dir', this.dataDir], { timeout: 60_000 });
    return JSON.parse(stdout);
  }

  /** Every event the node pushes to a UI from now on, over its WebSocket (closed when it stops). */
  async listen(): Promise<PushedEvent[]> {
    const ws = new WebSocket(`ws://127.0.0.1:${this.apiPort}${WS_PATH}`, [WS_PROTOCOL, WS_TOKEN_PREFIX + this.token]);
    this.#sockets.add(ws);
    const frames: PushedEvent[] = [];
    ws.on('message', (d) => {
      const f = JSON.parse(String(d)) as PushedEvent;
      if (typeof f.event === 'string') frames.push(f);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return frames;
  }

  /**
   * The last lines of node.log (read from its end: a long test's log can be large), without the
   * lines of the test's own API calls (a test polling a node filled its whole tail with them).
   */
  logTail(lines = 40): string {
    const text = this.#logSince(Math.max(0, this.#logSize() - 256 * 1024));
    if (!text) return `--- ${this.name}: no log ---`;
    const kept = text
      .trim()
      .split('\n')
      .filter((l) => !l.includes('"msg":"api call"'));
    return `--- ${this.name} log ---\n${kept.slice(-lines).join('\n')}`;
  }

  #logSize(): number {
    try {
      return statSync(this.logFile).size;
    } catch {
      return 0;
    }
  }

  #logSince(offset: number): string {
    let fd: number | undefined;
    try {
      fd = openSync(this.logFile, 'r');
      const buf = Buffer.alloc(Math.max(0, this.#logSize() - offset));
      const n = readSync(fd, buf, 0, buf.length, offset);
      return buf.subarray(0, n).toString('utf8');
    } catch {
      return '';
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  #exitText(): string {
    const e = this.#exit;
    if (!e) return this.#child ? 'still running' : 'never started';
    return e.signal ? `killed by ${e.signal}` : `exited with code ${e.code}`;
  }
}
