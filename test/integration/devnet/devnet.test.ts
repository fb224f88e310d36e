// The devnet as a newcomer uses it: `up` in the background, a wallet connected through the node's
// API, `up` again reuses it, `down` leaves no process behind, and a later `up` comes back with
// the same chains and wallets.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeRpc } from '../../../src-main/cli/rpc-client.ts';
import type { DevnetState } from '../../../src-main/devnet/layout.ts';
import { isAlive } from '../../../src-main/devnet/supervisor.ts';

const run = promisify(execFile);
const CLI = path.resolve('bin/hashlock');
const dir = mkdtempSync(path.join(os.tmpdir(), 'hl-devnet-test-'));
const flags = ['--dir', dir, '--base-port', '31500', '--block-interval', '1000'];
const state = (): DevnetState => JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')) as DevnetState;
const pids = (s: DevnetState) => [s.supervisorPid, ...s.chains.map((c) => c.pid), ...s.nodes.map((n) => n.pid)];

afterAll(async () => {
  await run(CLI, ['devnet', 'down', ...flags]).catch(() => {});
});

describe('hashlock devnet', () => {
  let first: DevnetState;

  it('up starts two chains and two trader nodes and prints their UI links', async () => {
    const { stdout } = await run(CLI, ['devnet', 'up', '--fresh', ...flags], { timeout: 180_000 });
    first = state();
    expect(first.status).toBe('ready');
    expect(first.chains.map((c) => c.ticker)).toEqual(['DEVA', 'DEVB']);
    expect(first.nodes.map((n) => n.name)).toEqual(['alice', 'bob']);
    for (const n of first.nodes) expect(stdout).toContain(`${n.url}/#token=${n.token}`);
    expect(pids(first).every(isAlive)).toBe(true);
  });

  it('gives each trader a funded wallet the node finds and connects, on chains that keep growing', async () => {
    const alice = first.nodes[0]!;
    const rpc = createNodeRpc(alice.url, alice.token);
    await rpc.call('vault.create', { password: 'devnet-test-pw' });
    for (const ticker of ['DEVA', 'DEVB']) {
      const { candidates } = await rpc.call('wallets.detect', { ticker });
      const mine = candidates.find((c) => c.source === 'devnet' && c.wallet === 'alice');
      expect(mine, `devnet candidate for ${ticker}`).toBeDefined();
      const summary = await rpc.call('wallets.connect', { ticker, connection: { kind: 'candidate', candidateId: mine!.id } });
      expect(summary.status).toBe('connected');
      expect(summary.balance?.spendable).toBe('50');
    }
    const before = (await rpc.call('wallets.list', {})).find((w) => w.ticker === 'DEVA')!.blocks!;
    await new Promise((r) => setTimeout(r, 2500));
    const after = (await rpc.call('wallets.list', {})).find((w) => w.ticker === 'DEVA')!.blocks!;
    expect(after).toBeGreaterThan(before);
    // The two nodes found each other over libp2p.
    expect((await rpc.call('p2p.peers', {})).map((p) => p.peerId)).toContain(first.nodes[1]!.peerId);
  });

  it('a second up reuses the running devnet', async () => {
    const { stdout } = await run(CLI, ['devnet', 'up', ...flags], { timeout: 60_000 });
    expect(state().supervisorPid).toBe(first.supervisorPid);
    expect(stdout).toContain('devnet ready');
  });

  it('down stops every process it started', async () => {
    await run(CLI, ['devnet', 'down', ...flags], { timeout: 90_000 });
    expect(pids(first).filter(isAlive)).toEqual([]);
    const { stdout } = await run(CLI, ['devnet', 'status', ...flags]);
    expect(stdout).toMatch(/devnet stopped/);
  });

  it('up after down keeps the chains, the vault and the wallet connections', async () => {
    await run(CLI, ['devnet', 'up', ...flags], { timeout: 180_000 });
    const again = state();
    const alice = again.nodes[0]!;
    expect(alice.peerId).toBe(first.nodes[0]!.peerId);
    const rpc = createNodeRpc(alice.url, alice.token);
    expect((await rpc.call('vault.status', {})).state).toBe('locked');
    await rpc.call('vault.unlock', { password: 'devnet-test-pw' });
    const deva = (await rpc.call('wallets.list', {})).find((w) => w.ticker === 'DEVA')!;
    expect(deva.status).toBe('connected');
    expect(deva.balance?.spendable).toBe('50');
  });
});
