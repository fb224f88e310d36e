// The RPC client against local HTTP servers that misbehave in ways a real daemon cannot be made
// to (garbage, hangs, oversized or mismatched replies, scripted warm-up). Real daemon behaviour
// is covered in test/integration/coins.
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { freePort } from '../kernel/ports.ts';
import { parseCoinJson, RpcClient, type RpcClientOptions } from './rpc.ts';

interface Seen {
  path: string;
  authorization: string | undefined;
  body: { id: number; method: string; params: unknown[] };
}
type Handler = (req: Seen, res: ServerResponse) => void;

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function serve(handler: Handler): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server: Server = createHttpServer((req: IncomingMessage, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      text += c;
    });
    req.on('end', () => {
      const entry = {
        path: req.url ?? '',
        authorization: req.headers.authorization,
        body: JSON.parse(text) as Seen['body'],
      };
      seen.push(entry);
      handler(entry, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  const addr = server.address();
  return { port: typeof addr === 'object' && addr ? addr.port : 0, seen };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function client(port: number, extra: Partial<RpcClientOptions> = {}): RpcClient {
  return new RpcClient({
    host: '127.0.0.1',
    port,
    auth: { username: 'u', password: 'p' },
    family: 'litecoin',
    retry: { maxElapsedMs: 3000, initialDelayMs: 20, maxDelayMs: 100 },
    ...extra,
  });
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('parseCoinJson', () => {
  it('keeps amounts as their exact decimal text, where a float would lose the last satoshi', () => {
    const parsed = parseCoinJson('{"amount": 84000000.12345671, "small": 0.00000001, "fee": 1e-5}') as Record<
      string,
      unknown
    >;
    expect(parsed).toEqual({ amount: '84000000.12345671', small: '0.00000001', fee: '1e-5' });
    // Above ~67 million coins a double cannot hold every satoshi: plain JSON.parse gets this wrong.
    expect((JSON.parse('84000000.12345671') as number).toFixed(8)).not.toBe('84000000.12345671');
  });

  it('keeps safe integers as numbers and huge integers as text', () => {
    expect(parseCoinJson('{"blocks": 432, "vout": 0, "big": 123456789012345678901}')).toEqual({
      blocks: 432,
      vout: 0,
      big: '123456789012345678901',
    });
  });
});

describe('RpcClient requests', () => {
  it('sends basic auth and routes wallet calls to /wallet/<name>, node calls to /', async () => {
    const { port, seen } = await serve((req, res) =>
      json(res, 200, { result: req.body.method, error: null, id: req.body.id }),
    );
    const c = client(port, { wallet: 'my wallet' });
    expect(await c.call('getbalances')).toBe('getbalances');
    expect(await c.call('getblockcount', [], { wallet: false })).toBe('getblockcount');
    expect(seen.map((s) => s.path)).toEqual(['/wallet/my%20wallet', '/']);
    expect(seen[0]?.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(seen[0]?.body).toMatchObject({ method: 'getbalances', params: [] });
  });

  it('reads an amount result as exact base units', async () => {
    const { port } = await serve((req, res) =>
      json(res, 200, `{"result":12.34567891,"error":null,"id":${req.body.id}}`),
    );
    expect(await client(port).amount('getbalance')).toBe(1_234_567_891n);
  });

  it('sends the JSON-RPC version it is configured for', async () => {
    const { port, seen } = await serve((req, res) => json(res, 200, { jsonrpc: '2.0', result: 1, id: req.body.id }));
    expect(await client(port).call('getblockcount')).toBe(1);
    expect(await client(port, { jsonrpc: '2.0' }).call('getblockcount')).toBe(1);
    expect(seen.map((s) => (s.body as unknown as { jsonrpc: string }).jsonrpc)).toEqual(['1.0', '2.0']);
  });

  it('understands JSON-RPC 2.0 errors sent with HTTP 200', async () => {
    const { port } = await serve((req, res) =>
      json(res, 200, {
        jsonrpc: '2.0',
        error: { code: -18, message: 'Requested wallet does not exist or is not loaded' },
        id: req.body.id,
      }),
    );
    const err = await failure(client(port, { wallet: 'w' }).call('getwalletinfo'));
    expect(err.code).toBe('WALLET_NOT_LOADED');
  });
});

describe('RpcClient against hostile or broken servers', () => {
  const BROKEN: { name: string; reply: (req: Seen, res: ServerResponse) => void; reason: RegExp }[] = [
    { name: 'a body that is not JSON', reply: (_q, res) => json(res, 200, '<html>hello</html>'), reason: /not JSON/ },
    { name: 'a JSON array', reply: (_q, res) => json(res, 200, '[1,2,3]'), reason: /not a JSON object/ },
    {
      name: 'neither result nor error',
      reply: (q, res) => json(res, 200, { id: q.body.id }),
      reason: /neither result nor error/,
    },
    {
      name: 'an answer to another request',
      reply: (q, res) => json(res, 200, { result: 1, error: null, id: q.body.id + 7 }),
      reason: /another request/,
    },
    {
      name: 'an error without code',
      reply: (q, res) => json(res, 500, { result: null, error: 'boom', id: q.body.id }),
      reason: /no numeric code/,
    },
  ];
  for (const b of BROKEN) {
    it(`reports ${b.name} as WALLET_RPC_ERROR`, async () => {
      const { port } = await serve(b.reply);
      const err = await failure(client(port).call('getblockchaininfo'));
      expect(err.code).toBe('WALLET_RPC_ERROR');
      expect((err.details as { reason: string }).reason).toMatch(b.reason);
    });
  }

  it('refuses a reply over the size limit', async () => {
    const { port } = await serve((q, res) =>
      json(res, 200, { result: 'x'.repeat(10_000), error: null, id: q.body.id }),
    );
    const err = await failure(client(port, { maxResponseBytes: 1000 }).call('getblock'));
    expect(err.code).toBe('WALLET_RPC_ERROR');
    expect(err.message).toMatch(/limit/);
  });

  it('refuses a reply whose declared length is over the limit without waiting for its body', async () => {
    const { port } = await serve((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000000' });
      res.write('{"result":"'); // and never more: only the declared length can refuse it in time
    });
    const started = Date.now();
    const err = await failure(client(port, { maxResponseBytes: 1000, timeoutMs: 20_000 }).call('getblock'));
    expect(err.code).toBe('WALLET_RPC_ERROR');
    expect(err.message).toMatch(/5000000 bytes is over the 1000-byte limit/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a port that speaks something other than HTTP as WALLET_RPC_ERROR', async () => {
    const tcp = createTcpServer((sock) => sock.end('SSH-2.0-OpenSSH_9.6\r\n'));
    tcp.listen(0, '127.0.0.1');
    await once(tcp, 'listening');
    servers.push({ close: () => tcp.close() });
    const addr = tcp.address();
    const err = await failure(
      client(typeof addr === 'object' && addr ? addr.port : 0, { retry: false }).call('getblockchaininfo'),
    );
    expect(err.code).toBe('WALLET_RPC_ERROR');
  });

  it('gives up on a server that never answers with WALLET_TIMEOUT', async () => {
    const { port } = await serve(() => undefined);
    const started = Date.now();
    const err = await failure(client(port, { timeoutMs: 300, retry: false }).call('getblockchaininfo'));
    expect(err.code).toBe('WALLET_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('says nobody answers on a closed port, after retrying a read for a bounded time', async () => {
    const port = await freePort();
    const started = Date.now();
    const err = await failure(
      client(port, { retry: { maxElapsedMs: 400, initialDelayMs: 50, maxDelayMs: 100 } }).call('getblockchaininfo'),
    );
    expect(err.code).toBe('WALLET_UNREACHABLE');
    expect(err.message).toBe(`No Litecoin daemon answers at 127.0.0.1:${port}. Is litecoind running, with server=1?`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('RpcClient retries', () => {
  function warmingUp(times: number): Handler {
    let left = times;
    return (q, res) => {
      if (left-- > 0)
        json(res, 500, { result: null, error: { code: -28, message: 'Loading block index...' }, id: q.body.id });
      else json(res, 200, { result: 'ready', error: null, id: q.body.id });
    };
  }

  it('retries a read-only call through warm-up until the daemon is ready', async () => {
    const { port, seen } = await serve(warmingUp(2));
    expect(await client(port).call('getblockchaininfo')).toBe('ready');
    expect(seen).toHaveLength(3);
  });

  it('retries a read-only call when the daemon is too busy (HTTP 503)', async () => {
    let first = true;
    const { port, seen } = await serve((q, res) => {
      if (first) {
        first = false;
        res.writeHead(503);
        res.end();
        return;
      }
      json(res, 200, { result: 7, error: null, id: q.body.id });
    });
    expect(await client(port).call('getblockcount')).toBe(7);
    expect(seen).toHaveLength(2);
  });

  for (const method of ['sendtoaddress', 'sendrawtransaction', 'getnewaddress', 'walletpassphrase']) {
    it(`never retries ${method}: it may have had an effect`, async () => {
      const { port, seen } = await serve(warmingUp(1));
      const err = await failure(client(port).call(method, ['x']));
      expect(err.code).toBe('WALLET_UNREACHABLE');
      expect(err.message).toMatch(/still starting/);
      expect(seen).toHaveLength(1);
    });
  }

  it('does not retry a read when told not to (status views)', async () => {
    const { port, seen } = await serve(warmingUp(1));
    const err = await failure(client(port).call('getblockchaininfo', [], { retry: false }));
    expect(err.code).toBe('WALLET_UNREACHABLE');
    expect(seen).toHaveLength(1);
  });
});

describe('RpcClient cookie auth', () => {
  it("reads the cookie again after a 401, so a restarted daemon's new cookie is picked up", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hashlock-cookie-'));
    try {
      const cookiePath = path.join(dir, '.cookie');
      let accepted = '__cookie__:aaaa';
      writeFileSync(cookiePath, accepted);
      const { port, seen } = await serve((q, res) => {
        if (q.authorization !== `Basic ${Buffer.from(accepted).toString('base64')}`) {
          res.writeHead(401);
          res.end();
          return;
        }
        json(res, 200, { result: 'ok', error: null, id: q.body.id });
      });
      const c = client(port, { auth: { cookiePath } });
      expect(await c.call('getblockcount')).toBe('ok');
      accepted = '__cookie__:bbbb';
      writeFileSync(cookiePath, accepted);
      // sendtoaddress too: a 401 is answered before the method runs, so one retry is safe.
      expect(await c.call('sendtoaddress', ['a', '1'])).toBe('ok');
      expect(seen.map((s) => s.authorization === `Basic ${Buffer.from('__cookie__:bbbb').toString('base64')}`)).toEqual(
        [false, false, true],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports WALLET_AUTH_FAILED when even a fresh cookie is refused', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hashlock-cookie-'));
    try {
      const cookiePath = path.join(dir, '.cookie');
      writeFileSync(cookiePath, '__cookie__:old');
      const { port, seen } = await serve((_q, res) => {
        res.writeHead(401);
        res.end();
      });
      const err = await failure(client(port, { auth: { cookiePath } }).call('getblockcount'));
      expect(err.code).toBe('WALLET_AUTH_FAILED');
      expect(err.message).toContain(cookiePath);
      expect(seen).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says the daemon is not running when the cookie file is missing', async () => {
    const err = await failure(
      client(await freePort(), { auth: { cookiePath: '/nonexistent/regtest/.cookie' }, retry: false }).call(
        'getblockcount',
      ),
    );
    expect(err.code).toBe('WALLET_UNREACHABLE');
    expect(err.message).toMatch(/no cookie file at \/nonexistent\/regtest\/\.cookie.*is litecoind running/);
  });
});
