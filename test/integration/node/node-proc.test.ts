// The test harness's node process (test/support/node-proc.ts) against a real `bin/hashlock node`:
// it answers typed calls once started and keeps its addresses across a restart, pushes events to
// a listener, and every way a node can fail (it was killed, it cannot start, it hangs) comes back
// as an error that says what happened and shows the end of the node's log.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeProc } from '../../support/node-proc.ts';

let root: string;
const nodes: NodeProc[] = [];

async function newNode(name: string, o: { config?: Record<string, unknown>; rpcTimeoutMs?: number } = {}) {
  const node = await NodeProc.create({ name, dataDir: path.join(root, name), password: 'node proc test', ...o });
  nodes.push(node);
  return node;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hashlock-node-proc-'));
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.kill()));
  await rm(root, { recursive: true, force: true });
});

describe('a node process under the test harness', () => {
  let node: NodeProc;

  beforeAll(async () => {
    node = await newNode('alpha', { rpcTimeoutMs: 3_000 });
    await node.start();
  }, 300_000);

  it('answers typed calls once started, and keeps its ports and peer id across a restart', async () => {
    const info = await node.call('node.info', {});
    expect(info).toMatchObject({ network: 'devnet', role: 'trader', peerId: node.peerId });
    const before = { api: node.apiPort, p2p: node.p2pPort, addr: node.addr };
    await node.restart();
    expect({ api: node.apiPort, p2p: node.p2pPort, addr: node.addr }).toEqual(before);
    expect((await node.call('node.info', {})).peerId).toBe(info.peerId);
  });

  it('hands every event the node pushes to a listener', async () => {
    const frames = await node.listen();
    // A public setting: this node has no vault, and the confirmations are stored sealed by it.
    await node.call('settings.set', { theme: 'light' });
    const changed = await node.until(
      async () => frames.find((f) => f.event === 'settings.changed'),
      (f) => f !== undefined,
      'settings.changed pushed',
      30_000,
    );
    expect(changed?.data).toMatchObject({ theme: 'light' });
  });

  it('a paused node answers nothing until it is resumed', async () => {
    node.pause();
    try {
      await expect(node.call('node.info', {})).rejects.toThrow();
      expect(node.running).toBe(true);
    } finally {
      node.resume();
    }
    expect((await node.call('node.info', {})).peerId).toBe(node.peerId);
  });

  it('a call to a killed node fails saying it was killed, with the end of its log', async () => {
    await node.kill();
    expect(node.running).toBe(false);
    const err = (await node.call('node.info', {}).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^alpha: node\.info failed, the node is not running \(killed by SIGKILL\)/);
    expect(err.message).toContain('--- alpha log ---');
    expect(err.message).toContain('node started');
  });
});

describe('a node that cannot start', () => {
  it('fails start() with its exit code and the log that says why', async () => {
    const node = await newNode('broken', { config: { network: 'moonnet' } });
    const err = (await node.start().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^broken exited during start-up \(exited with code 1\)/);
    expect(err.message).toMatch(/CONFIG_INVALID/);
    expect(node.running).toBe(false);
  });
});
