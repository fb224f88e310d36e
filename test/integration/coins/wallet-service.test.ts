// The wallets.* service against real regtest daemons, a real SQLite store and a real vault:
// connecting (and refusing bad connections with the reason), balances, addresses, UTXOs, fees,
// and RPC passwords that exist on disk only sealed by the vault.
import { z } from 'zod';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src-shared/api/errors.ts';
import { COINS } from '../../../src-shared/coins/registry.ts';
import { createWalletService, type WalletService } from '../../../src-main/wallets/wallet-service.ts';
import type { RegtestDaemon } from '../../../src-main/chain/regtest-daemon.ts';
import { fundAddress, startChains, type Chains } from '../../support/regtest.ts';
import { openPersistence, type Persistence } from './helpers.ts';

let chains: Chains;
let chain: RegtestDaemon;
let cookieChain: RegtestDaemon;
let dir: string;
let store: Persistence;
let service: WalletService;
let reserved = 0n;

const password = (d: RegtestDaemon) => {
  if (!('password' in d.auth)) throw new Error('expected a password daemon');
  return {
    kind: 'password' as const,
    host: '127.0.0.1',
    port: d.rpcPort,
    username: d.auth.username,
    password: d.auth.password,
  };
};

beforeAll(async () => {
  chains = await startChains(1);
  const [first] = chains.chains;
  if (!first) throw new Error('no chain');
  chain = first;
  dir = await mkdtemp(path.join(tmpdir(), 'hashlock-wallets-'));
  const cookies = await startChains(1, { auth: 'cookie', blocks: 0 });
  const [c] = cookies.chains;
  if (!c) throw new Error('no cookie chain');
  cookieChain = c;
  const cleanupBoth = chains.cleanup;
  chains.cleanup = async () => {
    await Promise.all([cleanupBoth(), cookies.cleanup()]);
  };
  store = await openPersistence(dir);
  service = createWalletService({
    coins: COINS,
    repo: store.repo,
    secrets: store.vault.secretBox(),
    detectOptions: { skipDefaultDir: true },
    lockedAmount: (t) => (t === 'rLTC' ? reserved : 0n),
  });
});

afterAll(async () => {
  store?.close();
  await chains?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('wallets.test explains what is wrong, and changes nothing', () => {
  it('accepts a Litecoin regtest daemon for rLTC and names its wallet', async () => {
    const r = await service.test('rLTC', password(chain));
    expect(r).toEqual({
      ok: true,
      chain: 'regtest',
      blocks: 105,
      version: expect.any(Number),
      wallet: chain.walletName,
    });
    expect(store.repo.list()).toEqual([]);
  });

  it('refuses a regtest daemon for LTC mainnet with WALLET_WRONG_NETWORK', async () => {
    const r = await service.test('LTC', password(chain));
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('WALLET_WRONG_NETWORK');
    expect(r.error?.message).toBe(
      'This daemon is on regtest, but LTC (Litecoin) needs a mainnet daemon. It would suit rLTC or DEVA or DEVB.',
    );
  });

  it('refuses a Litecoin daemon for a Bitcoin coin on the same network name', async () => {
    const r = await service.test('rBTC', password(chain));
    expect(r.error?.code).toBe('WALLET_WRONG_NETWORK');
    expect(r.error?.message).toMatch(/does not accept Bitcoin regtest addresses \(bcrt1\.\.\.\): it runs another coin/);
  });

  it('reports a wrong password as WALLET_AUTH_FAILED', async () => {
    const r = await service.test('rLTC', { ...password(chain), password: 'not-the-password' });
    expect(r.error?.code).toBe('WALLET_AUTH_FAILED');
  });

  it('reports a daemon with no wallet loaded, and one with several, as WALLET_NOT_LOADED', async () => {
    const node = chain.rpc.forWallet(undefined);
    await node.call('unloadwallet', [chain.walletName]);
    try {
      const none = await service.test('rLTC', password(chain));
      expect(none.error).toMatchObject({
        code: 'WALLET_NOT_LOADED',
        message: expect.stringMatching(/No wallet is loaded .*litecoin-cli createwallet/),
      });
      await node.call('loadwallet', [chain.walletName]);
      await node.call('createwallet', ['spare']);
      const several = await service.test('rLTC', password(chain));
      expect(several.error).toMatchObject({
        code: 'WALLET_NOT_LOADED',
        message: expect.stringMatching(/2 wallets loaded \(.*"spare".*\)\. Choose which one/),
      });
      expect(several.error?.details).toEqual({ loaded: expect.arrayContaining([chain.walletName, 'spare']) });
      const named = await service.test('rLTC', { ...password(chain), wallet: 'spare' });
      expect(named).toMatchObject({ ok: true, wallet: 'spare' });
      const missing = await service.test('rLTC', { ...password(chain), wallet: 'nope' });
      expect(missing.error).toMatchObject({
        code: 'WALLET_NOT_LOADED',
        message: expect.stringContaining('loadwallet "nope"'),
      });
    } finally {
      const loaded = await node.callAs(z.array(z.string()), 'listwallets');
      if (loaded.includes('spare')) await node.call('unloadwallet', ['spare']);
      if (!loaded.includes(chain.walletName)) await node.call('loadwallet', [chain.walletName]);
    }
  });
});

describe('a connected password wallet', () => {
  it('refuses to save a connection that does not work', async () => {
    await expect(service.connect('rLTC', { ...password(chain), password: 'wrong' })).rejects.toMatchObject({
      code: 'WALLET_AUTH_FAILED',
    });
    expect(store.repo.get('rLTC')).toBeUndefined();
  });

  it('connects and stores the password only sealed by the vault', async () => {
    const { password: secret } = password(chain);
    const summary = await service.connect('rLTC', password(chain));
    expect(summary).toMatchObject({
      ticker: 'rLTC',
      status: 'connected',
      endpoint: `127.0.0.1:${chain.rpcPort}`,
      wallet: chain.walletName,
      blocks: 105,
    });
    const saved = store.repo.get('rLTC');
    expect(saved).toMatchObject({ kind: 'password', username: 'hashlock', wallet: chain.walletName });
    expect(saved?.passwordSealed).toMatch(/^sb1:/);
    expect(saved?.passwordSealed).not.toContain(secret);
    expect(store.vault.secretBox().open(saved?.passwordSealed ?? '')).toBe(secret);
    // Nothing in the database files holds the password in the clear.
    const files = [store.dbPath, `${store.dbPath}-wal`].filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(file).toString('latin1')).not.toContain(secret);
  });

  it('reports spendable, unconfirmed and locked amounts', async () => {
    // 105 blocks: 5 mature rewards (250) and 100 immature ones (5000).
    expect(await service.balance('rLTC')).toEqual({ spendable: '250', unconfirmed: '5000', locked: '0' });
    reserved = 10_00000000n;
    expect(await service.balance('rLTC')).toEqual({ spendable: '240', unconfirmed: '5000', locked: '10' });
    const [coin] = await chain.rpc.callAs(
      z.array(z.object({ txid: z.string(), vout: z.number(), amount: z.string() }).loose()),
      'listunspent',
    );
    if (!coin) throw new Error('no coin');
    await chain.rpc.call('lockunspent', [false, [{ txid: coin.txid, vout: coin.vout }]]);
    try {
      expect(await service.balance('rLTC')).toEqual({ spendable: '190', unconfirmed: '5000', locked: '60' });
    } finally {
      await chain.rpc.call('lockunspent', [true, [{ txid: coin.txid, vout: coin.vout }]]);
      reserved = 0n;
    }
  });

  it('hands out fresh rltc1 addresses and lists coins sent to them', async () => {
    const { address } = await service.newAddress('rLTC', 'swap');
    expect(address).toMatch(/^rltc1q/);
    expect((await service.newAddress('rLTC')).address).not.toBe(address);
    const txid = await fundAddress(chain, address, 1_23456789n, { confirm: false });
    const unconfirmed = (await service.utxos('rLTC')).find((u) => u.txid === txid && u.address === address);
    expect(unconfirmed).toMatchObject({ amount: '1.23456789', confirmations: 0 });
    await chain.mine(1);
    const confirmed = (await service.utxos('rLTC')).find((u) => u.txid === txid && u.address === address);
    expect(confirmed).toMatchObject({ amount: '1.23456789', confirmations: 1, vout: expect.any(Number) });
  });

  it('falls back to the fee floor when regtest has no estimate', async () => {
    expect(await service.feeEstimate('rLTC')).toEqual({ satPerVb: '10', source: 'floor' });
    expect(await service.feeEstimate('rLTC', 2)).toEqual({ satPerVb: '10', source: 'floor' });
  });

  it('gives other services the configured client, routed to the wallet', async () => {
    const rpc = service.rpc('rLTC');
    expect(rpc.wallet).toBe(chain.walletName);
    expect((await rpc.callAs(z.object({ walletname: z.string() }).loose(), 'getwalletinfo')).walletname).toBe(
      chain.walletName,
    );
  });

  it('cannot be used by a restarted node until its vault is unlocked', async () => {
    const locked = await openPersistence(dir, { unlock: false });
    try {
      const fresh = createWalletService({ coins: COINS, repo: locked.repo, secrets: locked.vault.secretBox() });
      const summary = (await fresh.list()).find((s) => s.ticker === 'rLTC');
      expect(summary).toMatchObject({ status: 'error', error: { code: 'VAULT_LOCKED' } });
      await locked.vault.unlock('correct horse battery');
      expect(await fresh.balance('rLTC')).toEqual(await service.balance('rLTC'));
    } finally {
      locked.close();
    }
  });
});

describe('a connected cookie wallet', () => {
  it('stores only the cookie path and keeps working when the daemon restarts', async () => {
    const summary = await service.connect('DEVA', {
      kind: 'cookie',
      host: '127.0.0.1',
      port: cookieChain.rpcPort,
      cookiePath: cookieChain.cookiePath,
    });
    expect(summary.status).toBe('connected');
    const saved = store.repo.get('DEVA');
    expect(saved).toEqual({
      ticker: 'DEVA',
      kind: 'cookie',
      host: '127.0.0.1',
      port: cookieChain.rpcPort,
      cookiePath: cookieChain.cookiePath,
      wallet: cookieChain.walletName,
    });
    await cookieChain.restart();
    expect(await service.balance('DEVA')).toEqual({ spendable: '0', unconfirmed: '0', locked: '0' });
  });
});

describe('wallets.list and disconnect', () => {
  it('lists every coin: connected ones with balance, the rest unconfigured, a stopped daemon as an error', async () => {
    const list = await service.list();
    expect(list.map((s) => s.ticker)).toEqual(COINS.map((c) => c.ticker));
    expect(list.find((s) => s.ticker === 'rLTC')).toMatchObject({
      status: 'connected',
      balance: { spendable: expect.any(String) },
    });
    expect(list.find((s) => s.ticker === 'BTC')).toEqual({ ticker: 'BTC', name: 'Bitcoin', status: 'unconfigured' });
    await cookieChain.stop();
    try {
      const started = Date.now();
      const down = (await service.list()).find((s) => s.ticker === 'DEVA');
      expect(down).toMatchObject({ status: 'error', error: { code: 'WALLET_UNREACHABLE' } });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await cookieChain.restart();
    }
  });

  it('forgets a connection', async () => {
    expect(await service.disconnect('DEVA')).toEqual({ ok: true });
    expect(store.repo.get('DEVA')).toBeUndefined();
    expect(service.isConfigured('DEVA')).toBe(false);
    const err = await service.balance('DEVA').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('WALLET_NOT_CONFIGURED');
  });

  it('refuses a coin this node does not know', async () => {
    await expect(service.balance('DOGE')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
