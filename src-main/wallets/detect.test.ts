// Wallet detection over fake home folders laid out like real installs: where each OS keeps the
// data dir, which conf settings move the port, the cookie or the data dir, and that passwords
// never appear in what the UI is given.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { COINS, getCoin, type Os } from '../../src-shared/coins/registry.ts';
import { parseConf } from './conf.ts';
import {
  createWalletDetector,
  defaultDataDir,
  detectWallets,
  rpcAddressFromConf,
  type DetectOptions,
} from './detect.ts';

describe('defaultDataDir', () => {
  const CASES: [ticker: string, os: Os, env: Record<string, string>, want: string][] = [
    ['LTC', 'linux', {}, '/home/ann/.litecoin'],
    ['rBTC', 'linux', {}, '/home/ann/.bitcoin'],
    ['LTC', 'darwin', {}, '/home/ann/Library/Application Support/Litecoin'],
    ['BTC', 'darwin', {}, '/home/ann/Library/Application Support/Bitcoin'],
    [
      'LTC',
      'win32',
      { APPDATA: 'D:\\Profiles\\ann\\AppData\\Roaming' },
      'D:\\Profiles\\ann\\AppData\\Roaming\\Litecoin',
    ],
    ['BTC', 'win32', {}, '\\home\\ann\\AppData\\Roaming\\Bitcoin'],
  ];
  for (const [ticker, os, env, want] of CASES) {
    it(`puts ${ticker} on ${os}${env.APPDATA ? ' (APPDATA set)' : ''} at ${want}`, () => {
      expect(defaultDataDir(getCoin(ticker), { os, homeDir: '/home/ann', env })).toBe(want);
    });
  }
});

describe('rpcAddressFromConf', () => {
  const CASES: [conf: string, host: string, port: number][] = [
    ['', '127.0.0.1', 19443],
    ['[regtest]\nrpcport=20000\n', '127.0.0.1', 20000],
    ['[regtest]\nrpcbind=127.0.0.1:20001\nrpcport=20000\n', '127.0.0.1', 20001],
    ['[regtest]\nrpcbind=0.0.0.0\n', '127.0.0.1', 19443],
    ['[regtest]\nrpcbind=192.168.1.5\nrpcbind=127.0.0.1\n', '127.0.0.1', 19443],
    ['[regtest]\nrpcbind=192.168.1.5\n', '192.168.1.5', 19443],
    ['[regtest]\nrpcbind=[::1]:20002\n', '::1', 20002],
    ['rpcconnect=10.1.1.1:20003\n', '10.1.1.1', 20003],
    ['rpcport=9999\n', '127.0.0.1', 19443], // top-level rpcport is mainnet's only
    ['[regtest]\nrpcport=70000\n', '127.0.0.1', 19443], // out of range: the default
  ];
  for (const [text, host, port] of CASES) {
    it(`reads ${JSON.stringify(text)} as ${host}:${port}`, () => {
      expect(rpcAddressFromConf(parseConf(text), 'regtest', 19443)).toEqual({ host, port });
    });
  }
});

describe('detectWallets in a fake home folder', () => {
  let home: string;
  let opts: DetectOptions;
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'hashlock-home-'));
    opts = { os: 'linux', homeDir: home, env: {} };
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const put = (rel: string, text: string): string => {
    const file = path.join(home, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };

  it('finds rpcuser/rpcpassword in ~/.litecoin/litecoin.conf but gives the UI no password', async () => {
    put('.litecoin/litecoin.conf', 'regtest=1\nrpcuser=alice\nrpcpassword=hunter2hunter2\n[regtest]\nrpcport=19555\n');
    const { detections, searched } = await detectWallets(getCoin('rLTC'), opts);
    expect(searched).toEqual([path.join(home, '.litecoin')]);
    expect(detections).toHaveLength(1);
    const [d] = detections;
    expect(d?.candidate).toMatchObject({
      ticker: 'rLTC',
      source: 'conf',
      auth: 'password',
      host: '127.0.0.1',
      port: 19555,
      confPath: path.join(home, '.litecoin', 'litecoin.conf'),
    });
    expect(JSON.stringify(d?.candidate)).not.toContain('hunter2');
    expect(d?.connection.auth).toEqual({ username: 'alice', password: 'hunter2hunter2' });
  });

  it('finds a cookie in the network folder when there is no conf at all', async () => {
    put('.litecoin/regtest/.cookie', '__cookie__:abc');
    const { detections } = await detectWallets(getCoin('rLTC'), opts);
    expect(detections.map((d) => d.candidate)).toEqual([
      expect.objectContaining({ source: 'cookie', auth: 'cookie', port: 19443 }),
    ]);
    expect(detections[0]?.connection.auth).toEqual({ cookiePath: path.join(home, '.litecoin', 'regtest', '.cookie') });
    expect(detections[0]?.candidate.confPath).toBeUndefined();
  });

  it('uses the mainnet cookie at the top of the data dir', async () => {
    put('.litecoin/.cookie', '__cookie__:abc');
    const { detections } = await detectWallets(getCoin('LTC'), opts);
    expect(detections[0]?.connection.auth).toEqual({ cookiePath: path.join(home, '.litecoin', '.cookie') });
    expect(detections[0]?.candidate.port).toBe(9332);
  });

  it('offers a conf without credentials, explaining that the daemon is not running yet', async () => {
    put('.litecoin/litecoin.conf', 'server=1\n');
    const { detections } = await detectWallets(getCoin('LTC'), opts);
    expect(detections[0]?.candidate).toMatchObject({
      auth: 'cookie',
      note: expect.stringMatching(/No cookie file yet/),
    });
  });

  it("skips a conf that starts another network, unless that network's cookie is there too", async () => {
    put('.litecoin/litecoin.conf', 'testnet=1\nrpcuser=u\nrpcpassword=p\n');
    expect((await detectWallets(getCoin('LTC'), opts)).detections).toEqual([]);
    expect((await detectWallets(getCoin('tLTC'), opts)).detections).toHaveLength(1);
    put('.litecoin/.cookie', '__cookie__:x');
    const main = await detectWallets(getCoin('LTC'), opts);
    expect(main.detections[0]?.candidate.note).toMatch(/selects testnet/);
  });

  it('follows datadir= to the cookie and relative rpccookiefile= to the network folder', async () => {
    const other = path.join(home, 'elsewhere');
    put('.litecoin/litecoin.conf', `regtest=1\ndatadir=${other}\n[regtest]\nrpccookiefile=auth/cookie.txt\n`);
    const { detections } = await detectWallets(getCoin('rLTC'), opts);
    expect(detections[0]?.candidate.dataDir).toBe(other);
    expect(detections[0]?.connection.auth).toEqual({ cookiePath: path.join(other, 'regtest', 'auth', 'cookie.txt') });
  });

  it('reports a conf the daemon would refuse instead of guessing from it', async () => {
    put('.litecoin/litecoin.conf', 'rpcuser=u\nrpcpassword=ab#cd\n');
    put('.litecoin/.cookie', '__cookie__:x');
    const { detections } = await detectWallets(getCoin('LTC'), opts);
    expect(detections[0]?.candidate.note).toMatch(/litecoin\.conf has an error \(line 2: a # in rpcpassword/);
  });

  it('names the wallet when exactly one loads at start-up, and asks when several do', async () => {
    put('.litecoin/litecoin.conf', 'rpcuser=u\nrpcpassword=p\nwallet=savings\n');
    expect((await detectWallets(getCoin('LTC'), opts)).detections[0]?.candidate.wallet).toBe('savings');
    put('.litecoin/settings.json', JSON.stringify({ wallet: ['savings', 'spending'] }));
    const several = (await detectWallets(getCoin('LTC'), opts)).detections[0]?.candidate;
    expect(several?.wallet).toBeUndefined();
    expect(several?.note).toMatch(/Several wallets .*savings, spending/);
  });

  it('looks in the Bitcoin folder for Bitcoin coins, not the Litecoin one', async () => {
    put('.litecoin/regtest/.cookie', '__cookie__:x');
    expect((await detectWallets(getCoin('rBTC'), opts)).detections).toEqual([]);
    put('.bitcoin/regtest/.cookie', '__cookie__:y');
    expect((await detectWallets(getCoin('rBTC'), opts)).detections[0]?.candidate.port).toBe(18443);
  });

  it('searches only the given folders for devnet coins, with the wallet named for this node', async () => {
    put('.litecoin/regtest/.cookie', '__cookie__:x');
    const chainDir = path.join(home, 'devnet', 'chain-a');
    put('devnet/chain-a/litecoin.conf', 'regtest=1\n[regtest]\nrpcport=19501\nrpcuser=hashlock\nrpcpassword=pw\n');
    const found = await detectWallets(getCoin('DEVA'), {
      ...opts,
      extraDirs: [
        { ticker: 'DEVA', dataDir: chainDir, wallet: 'alice' },
        { ticker: 'DEVB', dataDir: '/nowhere' },
      ],
    });
    expect(found.searched).toEqual([chainDir]);
    expect(found.detections.map((d) => d.candidate)).toEqual([
      expect.objectContaining({ source: 'devnet', port: 19501, wallet: 'alice' }),
    ]);
  });

  it('resolves a candidate id to its full connection, and refuses one that is gone', async () => {
    put('.litecoin/litecoin.conf', 'rpcuser=u\nrpcpassword=secretpw\n');
    const detector = createWalletDetector(COINS, opts);
    const { candidates } = await detector.detect('LTC');
    const id = candidates[0]?.id ?? '';
    expect((await detector.detect('LTC')).candidates[0]?.id).toBe(id);
    expect(await detector.resolveCandidate(id)).toMatchObject({
      ticker: 'LTC',
      auth: { username: 'u', password: 'secretpw' },
    });
    rmSync(path.join(home, '.litecoin'), { recursive: true });
    await expect(detector.resolveCandidate(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(detector.resolveCandidate('nonsense')).rejects.toBeInstanceOf(ApiError);
  });
});
