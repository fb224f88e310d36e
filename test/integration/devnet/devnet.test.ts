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
import { waitFor } from '../../../src-main/kernel/time.ts';
import { parseAmount } from '../../../src-shared/money/index.ts';

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

  it('up starts two chains, two trader nodes, a service node and a market maker, and prints their UI links', async () => {
    const { stdout } = await run(CLI, ['devnet', 'up', '--fresh', ...flags], { timeout: 180_000 });
    first = state();
    expect(first.status).toBe('ready');
    expect(first.chains.map((c) => c.ticker)).toEqual(['DEVA', 'DEVB']);
    expect(first.nodes.map((n) => n.name)).toEqual(['alice', 'bob', 'servicenode', 'maker']);
    for (const n of first.nodes) expect(stdout).toContain(`${n.url}/#token=${n.token}`);
    expect(pids(first).every(isAlive)).toBe(true);
    // A node started again on its own (after a crash) finds every other node, alice (started first) too.
    for (const n of first.nodes) {
      const config = JSON.parse(readFileSync(path.join(dir, 'nodes', n.name, 'config.json'), 'utf8')) as {
        p2p: { bootstrap: string[] };
      };
      expect(config.p2p.bootstrap.map((a) => a.split('/p2p/')[1]).sort()).toEqual(
        first.nodes
          .filter((o) => o !== n)
          .map((o) => o.peerId)
          .sort(),
      );
    }
  });

  it('gives each trader a funded wallet the node finds and connects, on chains that keep growing', async () => {
    const alice = first.nodes[0]!;
    const rpc = createNodeRpc(alice.url, alice.token);
    await rpc.call('vault.create', { password: 'devnet-test-pw' });
    for (const ticker of ['DEVA', 'DEVB']) {
      const { candidates } = await rpc.call('wallets.detect', { ticker });
      const mine = candidates.find((c) => c.source === 'devnet' && c.wallet === 'alice');
      expect(mine, `devnet candidate for ${ticker}`).toBeDefined();
      const summary = await rpc.call('wallets.connect', {
        ticker,
        connection: { kind: 'candidate', candidateId: mine!.id },
      });
      expect(summary.status).toBe('connected');
      expect(summary.balance?.spendable).toBe('50');
      // In several coins: each open order is backed by coins of its own, so one coin would allow one order.
      expect((await rpc.call('wallets.utxos', { ticker })).length).toBe(10);
    }
    const before = (await rpc.call('wallets.list', {})).find((w) => w.ticker === 'DEVA')!.blocks!;
    await new Promise((r) => setTimeout(r, 2500));
    const after = (await rpc.call('wallets.list', {})).find((w) => w.ticker === 'DEVA')!.blocks!;
    expect(after).toBeGreaterThan(before);
    // The two nodes found each other over libp2p.
    expect((await rpc.call('p2p.peers', {})).map((p) => p.peerId)).toContain(first.nodes[1]!.peerId);
  });

  it('shows a live market: the service node is listed and the market maker keeps orders on both sides of the book', async () => {
    const alice = first.nodes[0]!;
    const rpc = createNodeRpc(alice.url, alice.token);
    const sn = first.nodes.find((n) => n.name === 'servicenode')!;
    await waitFor(
      async () => (await rpc.call('servicenode.list', {})).some((x) => x.peerId === sn.peerId && x.fee !== null),
      { timeoutMs: 60_000, intervalMs: 500, what: 'the service node listed at alice' },
    );
    const book = await waitFor(
      async () => {
        const b = await rpc.call('orders.book', { base: 'DEVA', quote: 'DEVB' });
        return b.asks.length >= 2 && b.bids.length >= 2 ? b : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'market maker orders on both sides' },
    );
    expect(parseAmount(book.asks[0]!.price, 8)).toBeGreaterThan(parseAmount(book.bids[0]!.price, 8));
  });

  it("shows the market maker's identity, replicated to alice's node with its linked DEVA address", async () => {
    const alice = first.nodes[0]!;
    const rpc = createNodeRpc(alice.url, alice.token);
    const { items } = await waitFor(
      async () => {
        const found = await rpc.call('identity.list', { query: 'Devnet Market Maker' });
        return found.items.length > 0 ? found : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: "the maker's identity at alice" },
    );
    expect(items[0]).toMatchObject({ deleted: false, mine: false, profile: { name: 'Devnet Market Maker' } });
    const { links } = await rpc.call('identity.links.list', { did: items[0]!.did });
    expect(links.filter((l) => l.kind === 'account' && !l.removed)).toHaveLength(1);
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
