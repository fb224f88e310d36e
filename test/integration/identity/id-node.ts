// Real Hashlock nodes for identity tests: the shared node-process harness (test/support/node-proc.ts)
// on the devnet network with a vault made at first start, every other node as bootstrap, and the
// node's HTTP routes (DID resolution, Blockcore REST) at hand. No chains: identity needs none.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from '../../../src-main/kernel/time.ts';
import { NodeProc, freeNodePorts } from '../../support/node-proc.ts';

export class IdNode extends NodeProc {
  #vaultMade = false;

  private constructor(o: ConstructorParameters<typeof NodeProc>[0]) {
    super(o);
  }

  /** A node on free ports, not started; `identity` is its config.json identity section. */
  static async prepare(root: string, name: string, identity: Record<string, unknown> = {}): Promise<IdNode> {
    return new IdNode({
      name,
      dataDir: path.join(root, name),
      password: `identity test ${name}`,
      config: { identity: { verifyThreads: 1, ...identity } },
      ...(await freeNodePorts()),
    });
  }

  /** Starts the process; the first start also makes its vault (later starts unlock it). */
  override async start(): Promise<void> {
    await super.start();
    if (this.#vaultMade) return;
    await this.call('vault.create', { password: this.password, words: 12 });
    this.#vaultMade = true;
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

  /** All of node.log (what the node said about the peers it scored). */
  logText(): string {
    return readFileSync(this.logFile, 'utf8');
  }
}

/** Starts nodes one after another, each with every earlier one as bootstrap. */
export async function startMesh(root: string, names: string[]): Promise<IdNode[]> {
  const nodes: IdNode[] = [];
  for (const name of names) {
    const n = await IdNode.prepare(root, name);
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
