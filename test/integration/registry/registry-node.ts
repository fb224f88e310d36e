// A chain-less Hashlock node for registry tests: `bin/hashlock node` in its own process with its
// own data dir, p2p and API ports, a vault made through the API (cheap scrypt) and, when asked,
// an identity. The registry section of its config lets it fetch the test's own HTTP server.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MethodName, Params, Result } from '../../../src-shared/api/contract.ts';
import { createNodeRpc, type NodeRpc } from '../../../src-main/cli/rpc-client.ts';
import { freePort } from '../../../src-main/kernel/ports.ts';
import { waitFor } from '../../../src-main/kernel/time.ts';

const REPO = path.resolve(import.meta.dirname, '../../..');
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export class RegistryNode {
  readonly name: string;
  readonly dataDir: string;
  peerId = '';
  did = '';
  #child: ChildProcess | undefined;
  #rpc: NodeRpc | undefined;
  #ports: { api: number; p2p: number };

  private constructor(name: string, root: string, ports: { api: number; p2p: number }) {
    this.name = name;
    this.dataDir = path.join(root, name);
    this.#ports = ports;
  }

  static async start(
    name: string,
    root: string,
    o: { bootstrap?: string[]; registry?: unknown },
  ): Promise<RegistryNode> {
    const n = new RegistryNode(name, root, { api: await freePort(), p2p: await freePort() });
    mkdirSync(n.dataDir, { recursive: true });
    writeFileSync(
      path.join(n.dataDir, 'config.json'),
      JSON.stringify({
        network: 'devnet',
        api: { port: n.#ports.api },
        p2p: { listen: [`/ip4/127.0.0.1/tcp/${n.#ports.p2p}`], bootstrap: o.bootstrap ?? [] },
        vault: { kdf: { N: 1024, r: 8, p: 1 } },
        registry: o.registry ?? {},
      }),
    );
    const log = openSync(path.join(n.dataDir, 'node.log'), 'a');
    const child = spawn(path.join(REPO, 'bin/hashlock'), ['node', '--data-dir', n.dataDir], {
      cwd: REPO,
      stdio: ['ignore', log, log],
      env: { ...process.env, NODE_OPTIONS: '', HASHLOCK_LOG: 'info' },
    });
    closeSync(log);
    live.add(child);
    child.once('exit', () => live.delete(child));
    n.#child = child;
    const running = () => child.exitCode === null && child.signalCode === null;
    const token = await waitFor(
      () => {
        if (!running()) throw new Error(`${name} exited\n${n.logTail()}`);
        try {
          return readFileSync(path.join(n.dataDir, 'api-token'), 'utf8').trim() || undefined;
        } catch {
          return undefined;
        }
      },
      { timeoutMs: 90_000, intervalMs: 100, what: `${name} API token` },
    );
    n.#rpc = createNodeRpc(`http://127.0.0.1:${n.#ports.api}`, token, 60_000);
    const info = await waitFor(() => n.call('node.info', {}), {
      timeoutMs: 90_000,
      intervalMs: 100,
      what: `${name} API`,
      abortIf: () => (running() ? undefined : `${name} exited\n${n.logTail()}`),
    });
    n.peerId = info.peerId;
    return n;
  }

  get addr(): string {
    return `/ip4/127.0.0.1/tcp/${this.#ports.p2p}/p2p/${this.peerId}`;
  }

  /** A vault and one identity that signs this person's statements. */
  async withIdentity(person: string): Promise<this> {
    await this.call('vault.create', { password: `${this.name} test password`, words: 12 });
    const view = await this.call('identity.create', { profile: { name: person } });
    this.did = view.did;
    return this;
  }

  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    if (!this.#rpc) throw new Error(`${this.name} has not started`);
    return this.#rpc.call(method, params);
  }

  logTail(lines = 40): string {
    try {
      const text = readFileSync(path.join(this.dataDir, 'node.log'), 'utf8');
      return `--- ${this.name} log ---\n${text.trim().split('\n').slice(-lines).join('\n')}`;
    } catch {
      return `--- ${this.name}: no log ---`;
    }
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(timer);
  }
}
