// Detection end to end: real daemons living where a user's (or the devnet's) would, found from
// a fake home folder, tested and connected by candidate id alone — the UI never sees a password.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COINS } from '../../../src-shared/coins/registry.ts';
import { startRegtestDaemon, type RegtestDaemon } from '../../../src-main/chain/regtest-daemon.ts';
import { createWalletService, type WalletService } from '../../../src-main/wallets/wallet-service.ts';
import { openPersistence, type Persistence } from './helpers.ts';

let home: string;
let userDaemon: RegtestDaemon;
let devnetDaemon: RegtestDaemon;
let store: Persistence;
let service: WalletService;

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'hashlock-home-'));
  [userDaemon, devnetDaemon] = await Promise.all([
    // Where Litecoin Core keeps its data on Linux, with cookie auth as a default install has.
    startRegtestDaemon({ dataDir: path.join(home, '.litecoin'), auth: 'cookie', walletName: 'mine' }),
    startRegtestDaemon({ dataDir: path.join(home, 'devnet', 'chain-a'), walletName: 'miner' }),
  ]);
  await devnetDaemon.rpc.call('createwallet', ['alice'], { wallet: false });
  store = await openPersistence(path.join(home, 'node'));
  service = createWalletService({
    coins: COINS,
    repo: store.repo,
    secrets: store.vault.secretBox(),
    detectOptions: {
      os: 'linux',
      homeDir: home,
      env: {},
      extraDirs: [{ ticker: 'DEVA', dataDir: devnetDaemon.dataDir, wallet: 'alice' }],
    },
  });
}, 120_000);

afterAll(async () => {
  store?.close();
  await Promise.all([userDaemon, devnetDaemon].filter(Boolean).map((d) => d.stop().catch(() => d.kill())));
  await rm(home, { recursive: true, force: true });
});

describe('a daemon in the default Linux data dir', () => {
  it('is found with its port and cookie', async () => {
    const { candidates, searched } = await service.detect('rLTC');
    expect(searched).toEqual([path.join(home, '.litecoin')]);
    expect(candidates).toEqual([
      expect.objectContaining({
        ticker: 'rLTC',
        source: 'cookie',
        auth: 'cookie',
        host: '127.0.0.1',
        port: userDaemon.rpcPort,
        dataDir: path.join(home, '.litecoin'),
        confPath: path.join(home, '.litecoin', 'litecoin.conf'),
      }),
    ]);
  });

  it('is not offered for LTC mainnet, because its conf starts regtest', async () => {
    expect((await service.detect('LTC')).candidates).toEqual([]);
  });

  it('tests and connects by candidate id, saving only the cookie path', async () => {
    const [candidate] = (await service.detect('rLTC')).candidates;
    if (!candidate) throw new Error('no candidate');
    expect(await service.test('rLTC', { kind: 'candidate', candidateId: candidate.id })).toMatchObject({
      ok: true,
      chain: 'regtest',
      wallet: 'mine',
    });
    const summary = await service.connect('rLTC', { kind: 'candidate', candidateId: candidate.id });
    expect(summary.status).toBe('connected');
    expect(store.repo.get('rLTC')).toEqual({
      ticker: 'rLTC',
      kind: 'cookie',
      host: '127.0.0.1',
      port: userDaemon.rpcPort,
      cookiePath: userDaemon.cookiePath,
      wallet: 'mine',
    });
  });

  it('refuses a candidate of one coin offered for another', async () => {
    const [candidate] = (await service.detect('rLTC')).candidates;
    const r = await service.test('DEVA', { kind: 'candidate', candidateId: candidate?.id ?? '' });
    expect(r.error?.code).toBe('INVALID_PARAMS');
  });
});

describe('a devnet daemon in a folder the node was told about', () => {
  it("is offered with this node's wallet and without its password", async () => {
    const { candidates } = await service.detect('DEVA');
    expect(candidates).toEqual([
      expect.objectContaining({ source: 'devnet', auth: 'password', port: devnetDaemon.rpcPort, wallet: 'alice' }),
    ]);
    if (!('password' in devnetDaemon.auth)) throw new Error('expected password auth');
    expect(JSON.stringify(candidates)).not.toContain(devnetDaemon.auth.password);
  });

  it('connects by candidate id with the password from its conf, stored sealed', async () => {
    const [candidate] = (await service.detect('DEVA')).candidates;
    await service.connect('DEVA', { kind: 'candidate', candidateId: candidate?.id ?? '' });
    const saved = store.repo.get('DEVA');
    expect(saved).toMatchObject({
      kind: 'password',
      username: 'hashlock',
      wallet: 'alice',
      passwordSealed: expect.stringMatching(/^sb1:/),
    });
    if (!('password' in devnetDaemon.auth)) throw new Error('expected password auth');
    expect(store.vault.secretBox().open(saved?.passwordSealed ?? '')).toBe(devnetDaemon.auth.password);
    expect(service.rpc('DEVA').wallet).toBe('alice');
    expect(await service.balance('DEVA')).toEqual({ spendable: '0', unconfirmed: '0', locked: '0' });
  });
});
