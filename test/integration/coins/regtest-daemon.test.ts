// The regtest daemon harness: chains that are independent, mining that keeps going past MWEB
// activation, clean restarts, and no daemon left behind — not even when its owner is SIGKILLed.
import { z } from 'zod';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MWEB_ACTIVATION_HEIGHT,
  startRegtestDaemon,
  RegtestDaemonError,
} from '../../../src-main/chain/regtest-daemon.ts';
import { freePort } from '../../../src-main/kernel/ports.ts';
import { waitFor } from '../../../src-main/kernel/time.ts';
import { fundAddress, startChains } from '../../support/regtest.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hashlock-daemon-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startChains', () => {
  it('starts independent funded chains, and cleanup stops every daemon', async () => {
    const { chains, cleanup } = await startChains(2);
    const pids = chains.map((c) => c.pid);
    try {
      const [a, b] = chains;
      if (!a || !b) throw new Error('two chains expected');
      expect(await a.rpc.amount('getbalance')).toBe(250_00000000n);
      await a.mine(3);
      const heights = await Promise.all(
        chains.map((c) => c.rpc.callAs(z.number(), 'getblockcount', [], { wallet: false })),
      );
      expect(heights).toEqual([108, 105]);
      expect(await a.rpc.callAs(z.number(), 'getconnectioncount', [], { wallet: false })).toBe(0);
      const address = await b.rpc.callAs(z.string(), 'getnewaddress', ['', 'bech32']);
      const txid = await fundAddress(a, address, 2_50000000n);
      expect(await b.rpc.call('getrawtransaction', [txid], { wallet: false }).catch((e: Error) => e.message)).toMatch(
        /No such mempool or blockchain transaction/,
      );
    } finally {
      await cleanup();
    }
    expect(pids.filter(alive)).toEqual([]);
  });
});

describe('mining on Litecoin regtest', () => {
  it(`keeps going past MWEB activation at block ${MWEB_ACTIVATION_HEIGHT}`, async () => {
    const d = await startRegtestDaemon({ dataDir: path.join(root, 'mweb') });
    try {
      const hashes = await d.mine(MWEB_ACTIVATION_HEIGHT + 8);
      expect(hashes).toHaveLength(MWEB_ACTIVATION_HEIGHT + 8);
      await d.mine(2);
      expect(await d.rpc.callAs(z.number(), 'getblockcount', [], { wallet: false })).toBe(MWEB_ACTIVATION_HEIGHT + 10);
      // Ordinary sends still confirm after activation.
      const to = await d.rpc.callAs(z.string(), 'getnewaddress', ['', 'bech32']);
      const txid = await fundAddress(d, to, 1_00000000n);
      expect(
        (await d.rpc.callAs(z.object({ confirmations: z.number() }).loose(), 'gettransaction', [txid])).confirmations,
      ).toBe(1);
    } finally {
      await d.stop();
    }
  });
});

describe('daemon lifecycle', () => {
  it('restarts on the same port with its wallet and chain, after a clean stop or a crash', async () => {
    const d = await startRegtestDaemon({ dataDir: path.join(root, 'restart') });
    try {
      await d.mine(101);
      const port = d.rpcPort;
      const firstPid = d.pid;
      await d.restart();
      expect(d.rpcPort).toBe(port);
      expect(d.pid).not.toBe(firstPid);
      expect(alive(firstPid)).toBe(false);
      expect(await d.rpc.amount('getbalance')).toBe(50_00000000n);
      const crashedPid = d.pid;
      await d.kill();
      expect(d.running).toBe(false);
      expect(alive(crashedPid)).toBe(false);
      await d.restart();
      expect(await d.rpc.callAs(z.number(), 'getblockcount', [], { wallet: false })).toBe(101);
    } finally {
      await d.stop();
    }
    expect(d.running).toBe(false);
  });

  it('keeps the RPC login of an existing data dir, so saved connections survive a devnet restart', async () => {
    const dataDir = path.join(root, 'same-login');
    const first = await startRegtestDaemon({ dataDir });
    await first.stop();
    const second = await startRegtestDaemon({ dataDir });
    try {
      expect(second.auth).toEqual(first.auth);
    } finally {
      await second.stop();
    }
  });

  it('explains a port that is already taken', async () => {
    const taken = await startRegtestDaemon({ dataDir: path.join(root, 'taken-a') });
    try {
      const err = await startRegtestDaemon({
        dataDir: path.join(root, 'taken-b'),
        rpcPort: taken.rpcPort,
        p2pPort: await freePort(),
        startTimeoutMs: 20_000,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RegtestDaemonError);
      expect((err as Error).message).toMatch(
        new RegExp(`exited with code 1: RPC port ${taken.rpcPort} is already in use`),
      );
    } finally {
      await taken.stop();
    }
  });

  it('explains a missing litecoind binary', async () => {
    const err = await startRegtestDaemon({
      dataDir: path.join(root, 'nobin'),
      binary: path.join(root, 'no-such-litecoind'),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegtestDaemonError);
    expect((err as Error).message).toMatch(/could not start .*no-such-litecoind.*Is Litecoin Core installed/);
  });

  it('does not leave the daemon running when its owner process is SIGKILLed', async () => {
    const moduleUrl = new URL('../../../src-main/chain/regtest-daemon.ts', import.meta.url).href;
    const script = path.join(root, 'owner.ts');
    writeFileSync(
      script,
      [
        `import { startRegtestDaemon } from ${JSON.stringify(moduleUrl)};`,
        `const d = await startRegtestDaemon({ dataDir: ${JSON.stringify(path.join(root, 'orphan'))} });`,
        'process.stdout.write(`${d.pid}\\n`);',
        'setInterval(() => {}, 1000);',
      ].join('\n'),
    );
    const owner = spawn(process.execPath, [script], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: path.dirname(fileURLToPath(import.meta.url)),
    });
    let out = '';
    owner.stdout.setEncoding('utf8');
    owner.stdout.on('data', (s: string) => {
      out += s;
    });
    try {
      const daemonPid = await waitFor(() => (/^\d+\n/.test(out) ? Number(out.trim()) : undefined), {
        timeoutMs: 60_000,
        what: 'the owner to start its daemon',
      });
      expect(alive(daemonPid)).toBe(true);
      owner.kill('SIGKILL');
      await waitFor(() => !alive(daemonPid), {
        timeoutMs: 10_000,
        intervalMs: 100,
        what: `daemon ${daemonPid} to be gone after its owner died`,
      });
    } finally {
      if (owner.exitCode === null && owner.signalCode === null) owner.kill('SIGKILL');
    }
  });
});
