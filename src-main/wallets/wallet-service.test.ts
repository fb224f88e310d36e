// The wallet service facing daemon replies a real regtest litecoind never gives: malformed
// shapes, fee estimates inside and above the bounds, addresses of another network.
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COINS } from '../../src-shared/coins/registry.ts';
import type { SecretBox, StoredWalletConnection, WalletConnectionRepo } from './connection-store.ts';
import { createWalletService, type WalletService } from './wallet-service.ts';

type Replies = Record<string, unknown>;

let dir: string;
let server: Server;
let port: number;
let replies: Replies;
let service: WalletService;

function memoryRepo(): WalletConnectionRepo {
  const rows = new Map<string, StoredWalletConnection>();
  return {
    get: (t) => rows.get(t),
    put: (c) => void rows.set(c.ticker, c),
    delete: (t) => void rows.delete(t),
    list: () => [...rows.values()],
  };
}

// Cookie logins only here: a password would need the vault, which these cases never reach.
const noSecrets: SecretBox = {
  seal: () => {
    throw new Error('no secret expected');
  },
  open: () => {
    throw new Error('no secret expected');
  },
};

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hashlock-ws-'));
  writeFileSync(path.join(dir, '.cookie'), '__cookie__:x');
  replies = {
    getblockchaininfo: { chain: 'regtest', blocks: 10 },
    validateaddress: { isvalid: true },
    getnetworkinfo: { version: 210201 },
    listwallets: ['w'],
    getwalletinfo: { walletname: 'w' },
  };
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      const result = replies[method];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        typeof result === 'string' && result.startsWith('RAW:')
          ? `{"result":${result.slice(4)},"error":null,"id":${id}}`
          : JSON.stringify({ result: result ?? null, error: null, id }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  service = createWalletService({
    coins: COINS,
    repo: memoryRepo(),
    secrets: noSecrets,
    detectOptions: { skipDefaultDir: true },
  });
});

afterEach(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const cookie = () => ({ kind: 'cookie' as const, host: '127.0.0.1', port, cookiePath: path.join(dir, '.cookie') });

describe('replies the service does not understand', () => {
  it('turn a test into {ok: false, WALLET_RPC_ERROR} instead of a crash', async () => {
    replies.getblockchaininfo = { chain: 5 };
    const r = await service.test('rLTC', cookie());
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'WALLET_RPC_ERROR',
        message: expect.stringMatching(/answered getblockchaininfo with a reply Hashlock does not understand at chain/),
      },
    });
  });

  it('turn a malformed balance into WALLET_RPC_ERROR', async () => {
    await service.connect('rLTC', cookie());
    replies.getbalances = { mine: { trusted: 'lots', untrusted_pending: '0', immature: '0' } };
    replies.listlockunspent = [];
    await expect(service.balance('rLTC')).rejects.toMatchObject({
      code: 'WALLET_RPC_ERROR',
      message: expect.stringMatching(/"lots", which is not an amount/),
    });
  });
});

describe('fee estimates from a daemon that has them', () => {
  const CASES: [raw: string, satPerVb: string, source: string][] = [
    ['0.00020000', '20', 'estimate'],
    ['0.00001000', '10', 'floor'],
    ['0.50000000', '1000', 'cap'],
  ];
  for (const [raw, satPerVb, source] of CASES) {
    it(`reads ${raw} coins/kvB as ${satPerVb} sat/vB (${source})`, async () => {
      await service.connect('rLTC', cookie());
      replies.estimatesmartfee = `RAW:{"feerate":${raw},"blocks":6}`;
      expect(await service.feeEstimate('rLTC', 6)).toEqual({ satPerVb, source });
    });
  }
});

describe('addresses', () => {
  it('refuses an address of another network from the wallet', async () => {
    await service.connect('rLTC', cookie());
    replies.getnewaddress = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';
    await expect(service.newAddress('rLTC')).rejects.toMatchObject({
      code: 'WALLET_WRONG_NETWORK',
      message: expect.stringMatching(/not a Litecoin regtest address \(they start with rltc1\)/),
    });
  });
});
