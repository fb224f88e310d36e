// Real Hashlock nodes for identity tests: `bin/hashlock node` in its own process and data dir, on
// the devnet network (cheap scrypt), a vault made at first start from a password file, fixed ports
// so a restart keeps its address, every other node as bootstrap. No chains: identity needs none.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MethodName, Params, Result } from '../../../src-shared/api/contract.ts';
import { createNodeRpc, type NodeRpc } from '../../../src-main/cli/rpc-client.ts';
import { freePort } from '../../../src-main/kernel/ports.ts';
import { waitFor } from '../../../src-main/kernel/time.ts';

const REPO = path.resolve(import.meta.dirname, '../../..');
export const BIN = path.join(REPO, 'bin/hashlock');

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export class IdNode {
  readonly name: string;
  readonly dataDir: string;
  apiPort = 0;
  p2pPort = 0;
  peerId = '';
  bootstrap: string[] = [];
  identity: Record<string, unknown>;
  #child: ChildProcess | undefined;
  #rpc: NodeRpc | undefined;

  constructor(root: string, name: string, identity: Record<string, unknown> = {}) {
    this.name = name;
    this.dataDir = path.join(root, name);
    this.identity = identity;
    mkdirSync(this.dataDir, { recursive: true });
    writeFileSync(path.join(this.dataDir, 'password'), `identity test ${name}`);
  }

  get url(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  get addr(): string {
    return `/ip4/127.0.0.1/tcp/${this.p2pPort}/p2p/${this.peerId}`;
  }

  get token(): string {
    return readFileSync(path.join(this.dataDir, 'api-token'), 'utf8').trim();
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.apiPort === 0) {
      this.apiPort = await freePort();
      this.p2pPort = await freePort();
    }
    writeFileSync(
      path.join(this.dataDir, 'config.json'),
      JSON.stringify({
        network: 'devnet',
        api: { port: this.apiPort },
        vault: { kdf: { N: 1024, r: 8, p: 1 } },
        p2p: { listen: [`/ip4/127.0.0.1/tcp/${this.p2pPort}`], bootstrap: this.bootstrap },
        identity: { verifyThreads: 1, ...this.identity },
      }),
    );
    const log = openSync(path.join(this.dataDir, 'node.log'), 'a');
    const child = spawn(
      BIN,
      ['node', '--data-dir', this.dataDir, '--password-file', path.join(this.dataDir, 'password'), '--create-vault'],
      { cwd: REPO, stdio: ['ignore', log, log], env: { ...process.env, NODE_OPTIONS: '', HASHLOCK_LOG: 'info' } },
    );
    closeSync(log);
    live.add(child);
    child.once('exit', () => live.delete(child));
    this.#child = child;
    const info = await waitFor(
      async () => {
        try {
          this.#rpc = createNodeRpc(this.url, this.token, 60_000);
          return await this.#rpc.call('p2p.info', {});
        } catch {
          return undefined;
        }
      },
      {
        timeoutMs: 90_000,
        intervalMs: 200,
        what: `${this.name} to answer`,
        abortIf: () => (this.running ? undefined : `${this.name} exited; see ${path.join(this.dataDir, 'node.log')}`),
      },
    );
    this.peerId = info.peerId;
  }

  /** SIGTERM, as an orderly shutdown; resolves once the process is gone. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || !this.running) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await gone;
    clearTimeout(timer);
  }

  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    if (!this.#rpc) throw new Error(`${this.name} is not started`);
    return this.#rpc.call(method, params);
  }

  /** An authorized HTTP request to one of the node's own routes. */
  http(method: string, route: string, init: { body?: string; accept?: string } = {}): Promise<Response> {
    return fetch(`${this.url}${route}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(init.accept ? { Accept: init.accept } : {}),
      },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
  }

  logText(): string {
    return readFileSync(path.join(this.dataDir, 'node.log'), 'utf8');
  }
}

/** Starts nodes one after another, each with every earlier one as bootstrap. */
export async function startMesh(root: string, names: string[]): Promise<IdNode[]> {
  const nodes: IdNode[] = [];
  for (const name of names) {
    const n = new IdNode(root, name);
    n.bootstrap = nodes.map((o) => o.addr);
    await n.start();
    nodes.push(n);
  }
  for (const n of nodes) n.bootstrap = nodes.filter((o) => o !== n).map((o) => o.addr);
  return nodes;
}

export const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000) =>
  waitFor(
    async () => {
      try {
        return (await fn()) || undefined;
      } catch {
        return undefined;
      }
    },
    { timeoutMs, intervalMs: 200, what },
  );
