// The RPC client against real litecoind regtest daemons: answers, every failure a user can run
// into (bad login, nothing listening, wallet not loaded, no funds), cookie rotation on restart,
// and reads that ride out a restart while writes are never repeated.
import { z } from 'zod';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src-shared/api/errors.ts';
import { startRegtestDaemon, type RegtestDaemon } from '../../../src-main/chain/regtest-daemon.ts';
import { RpcClient } from '../../../src-main/chain/rpc.ts';
import { freePort } from '../../../src-main/kernel/ports.ts';

let root: string;
let daemon: RegtestDaemon;
let cookieDaemon: RegtestDaemon;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hashlock-rpc-'));
  [daemon, cookieDaemon] = await Promise.all([
    startRegtestDaemon({ dataDir: path.join(root, 'pw'), walletName: 'main' }),
    startRegtestDaemon({ dataDir: path.join(root, 'cookie'), auth: 'cookie' }),
  ]);
  await daemon.mine(101);
});

afterAll(async () => {
  await Promise.all([daemon, cookieDaemon].filter(Boolean).map((d) => d.stop().catch(() => d.kill())));
  await rm(root, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

function clientFor(d: RegtestDaemon, extra: Partial<ConstructorParameters<typeof RpcClient>[0]> = {}): RpcClient {
  return new RpcClient({
    host: '127.0.0.1',
    port: d.rpcPort,
    auth: d.auth,
    family: 'litecoin',
    wallet: d.walletName,
    ...extra,
  });
}

describe('answers from a real daemon', () => {
  it('reads chain info and gives amounts as exact decimal text', async () => {
    const c = clientFor(daemon);
    const info = await c.callAs(z.object({ chain: z.string(), blocks: z.number() }).loose(), 'getblockchaininfo');
    expect(info.chain).toBe('regtest');
    expect(info.blocks).toBe(101);
    const balances = await c.callAs(
      z.object({ mine: z.object({ trusted: z.unknown(), immature: z.unknown() }).loose() }).loose(),
      'getbalances',
    );
    expect(balances.mine).toMatchObject({ trusted: '50.00000000', immature: '5000.00000000' });
    expect(await c.amount('getbalance')).toBe(5_000_000_000n);
  });

  it('sends amounts given as decimal strings, never floats', async () => {
    const c = clientFor(daemon);
    const address = await c.callAs(z.string(), 'getnewaddress', ['', 'bech32']);
    const txid = await c.callAs(z.string(), 'sendtoaddress', [address, '0.12345678']);
    const tx = await c.callAs(
      z.object({ details: z.array(z.object({ category: z.string(), amount: z.string() }).loose()) }).loose(),
      'gettransaction',
      [txid],
    );
    expect(tx.details.find((d) => d.category === 'receive')?.amount).toBe('0.12345678');
  });
});

describe('failures a user can cause, in plain words', () => {
  it('a wrong password is WALLET_AUTH_FAILED', async () => {
    const err = await failure(
      clientFor(daemon, { auth: { username: 'hashlock', password: 'wrong-password' } }).call('getblockchaininfo'),
    );
    expect(err.code).toBe('WALLET_AUTH_FAILED');
    expect(err.message).toMatch(
      /refused the RPC user name or password\. Check rpcuser and rpcpassword in litecoin\.conf/,
    );
  });

  it('a port with nothing listening is WALLET_UNREACHABLE', async () => {
    const port = await freePort();
    const err = await failure(clientFor(daemon, { port, retry: false }).call('getblockchaininfo'));
    expect(err.code).toBe('WALLET_UNREACHABLE');
    expect(err.message).toBe(`No Litecoin daemon answers at 127.0.0.1:${port}. Is litecoind running, with server=1?`);
  });

  it('a wallet that is not loaded is WALLET_NOT_LOADED with the command to load it', async () => {
    const node = clientFor(daemon).forWallet(undefined);
    await node.call('unloadwallet', [daemon.walletName]);
    try {
      const named = await failure(clientFor(daemon).call('getbalances'));
      expect(named.code).toBe('WALLET_NOT_LOADED');
      expect(named.message).toContain('litecoin-cli loadwallet "main"');
      const none = await failure(node.call('getbalances'));
      expect(none.code).toBe('WALLET_NOT_LOADED');
      expect(none.message).toMatch(/No wallet is loaded .*createwallet/);
    } finally {
      await node.call('loadwallet', [daemon.walletName]);
    }
    expect(await clientFor(daemon).amount('getbalance')).toBeGreaterThan(0n);
  });

  it('several wallets and none named is WALLET_NOT_LOADED asking which', async () => {
    const node = clientFor(daemon).forWallet(undefined);
    await node.call('createwallet', ['second']);
    try {
      const err = await failure(node.call('getwalletinfo'));
      expect(err.code).toBe('WALLET_NOT_LOADED');
      expect(err.message).toMatch(/several wallets loaded\. Choose which one/);
    } finally {
      await node.call('unloadwallet', ['second']);
    }
  });

  it('spending more than the wallet holds is INSUFFICIENT_FUNDS', async () => {
    const c = clientFor(daemon);
    const address = await c.callAs(z.string(), 'getnewaddress');
    const err = await failure(c.call('sendtoaddress', [address, '100000']));
    expect(err.code).toBe('INSUFFICIENT_FUNDS');
  });

  it("other daemon errors are WALLET_RPC_ERROR with the daemon's code and message", async () => {
    const unknown = await failure(clientFor(daemon).call('nosuchmethod'));
    expect(unknown.code).toBe('WALLET_RPC_ERROR');
    expect(unknown.details).toEqual({ rpcCode: -32601, rpcMessage: 'Method not found', method: 'nosuchmethod' });
    const bad = await failure(clientFor(daemon).call('getblockhash', [99999]));
    expect(bad.details).toMatchObject({ rpcCode: -8, method: 'getblockhash' });
  });
});

describe('cookie auth', () => {
  it('logs in with the cookie and follows it when a restart rotates it', async () => {
    const c = clientFor(cookieDaemon);
    const before = await c.callAs(z.object({ chain: z.string() }).loose(), 'getblockchaininfo');
    expect(before.chain).toBe('regtest');
    await cookieDaemon.restart();
    // Same client, cached old cookie: the daemon answers 401 and the client reads the new file.
    expect((await c.callAs(z.object({ chain: z.string() }).loose(), 'getblockchaininfo')).chain).toBe('regtest');
  });

  it('a cookie from another daemon is WALLET_AUTH_FAILED', async () => {
    const err = await failure(
      clientFor(daemon, { auth: { cookiePath: cookieDaemon.cookiePath } }).call('getblockchaininfo'),
    );
    expect(err.code).toBe('WALLET_AUTH_FAILED');
    expect(err.message).toContain(cookieDaemon.cookiePath);
  });
});

describe('a daemon restart in the middle of use', () => {
  it('fails a send at once while the daemon is down, and lets a read wait for it to come back', async () => {
    const c = clientFor(daemon);
    const address = await c.callAs(z.string(), 'getnewaddress');
    await daemon.stop();
    const started = Date.now();
    const send = await failure(c.call('sendtoaddress', [address, '1']));
    expect(send.code).toBe('WALLET_UNREACHABLE');
    expect(Date.now() - started).toBeLessThan(1000);

    const back = daemon.restart();
    const info = await c.callAs(z.object({ blocks: z.number() }).loose(), 'getblockchaininfo');
    expect(info.blocks).toBeGreaterThanOrEqual(101);
    await back;
    // Only the read went through: the wallet never sent those coins.
    const txs = await c.callAs(
      z.array(z.object({ address: z.string().optional(), category: z.string() }).loose()),
      'listtransactions',
      ['*', 1000],
    );
    expect(txs.filter((t) => t.address === address && t.category === 'send')).toEqual([]);
  });
});
