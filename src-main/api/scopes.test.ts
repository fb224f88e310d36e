// Attack tests for token scopes over the real transports: a read-only token calling a trade or
// admin method, a revoked token (HTTP and an open WebSocket), a wrong token in the log.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { METHOD_NAMES, methodScope } from '../../src-shared/api/contract.ts';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src-shared/api/client.ts';
import { SCOPES } from '../../src-shared/api/scopes.ts';
import { openTestStore } from '../core/test-store.ts';
import type { Handlers } from '../kernel/module.ts';
import type { StoreDatabase } from '../store/index.ts';
import { createTokenService, type TokenService } from '../tokens/service.ts';
import { createDispatcher } from './dispatcher.ts';
import { createEventBus } from './events.ts';
import { startApiServer, type ApiServer } from './server.ts';

const FILE = 'f'.repeat(64);
const lines: string[] = [];
const log = {
  info: (m: string, d?: object) => lines.push(JSON.stringify({ m, ...d })),
  warn: (m: string, d?: object) => lines.push(JSON.stringify({ m, ...d })),
  error: (m: string, d?: object) => lines.push(JSON.stringify({ m, ...d })),
};
const ran: string[] = [];
const handlers: Partial<Handlers> = {
  'vault.status': () => (ran.push('vault.status'), { state: 'locked' }),
  'vault.lock': () => (ran.push('vault.lock'), { state: 'locked' }),
  'orders.cancel': () => {
    ran.push('orders.cancel');
    throw new Error('not in this test');
  },
};
let db: StoreDatabase;
let tokens: TokenService;
let server: ApiServer;

beforeAll(async () => {
  db = openTestStore();
  tokens = createTokenService({ db, fileToken: FILE, now: Date.now });
  server = await startApiServer({
    dispatcher: createDispatcher(handlers, log),
    events: createEventBus(),
    authority: tokens,
    port: 0,
    routes: [
      { method: 'GET', path: '/metrics', handle: () => ({ status: 200, contentType: 'text/plain', body: 'm 1\n' }) },
    ],
    log,
  });
});
afterAll(async () => {
  await server.close();
  db.close();
});
afterEach(() => {
  ran.length = 0;
});

async function rpc(
  token: string,
  method: string,
  params: object = method === 'cancelOrder' || method === 'orders.cancel' ? { orderId: 'a'.repeat(64) } : {},
) {
  const res = await fetch(`${server.url}/rpc`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return { status: res.status, body: (await res.json()) as { result?: unknown; error?: { data: { code: string } } } };
}

describe('every contract method has a scope', () => {
  it('is read, trade or admin, with trade and admin where money or the node changes', () => {
    for (const m of METHOD_NAMES) expect(SCOPES).toContain(methodScope(m));
    const expected = {
      'node.info': 'read',
      'orders.book': 'read',
      'orders.mine': 'read',
      'history.fills': 'read',
      'wallets.balances': 'read',
      'servicenode.list': 'read',
      'wallets.balance': 'read',
      'metrics.snapshot': 'read',
      'orders.make': 'trade',
      'orders.take': 'trade',
      'orders.cancel': 'trade',
      'swaps.start': 'trade',
      'swaps.abort': 'trade',
      'wallets.newAddress': 'trade',
      'vault.unlock': 'admin',
      'wallets.connect': 'admin',
      'settings.set': 'admin',
      'p2p.dial': 'admin',
      'tokens.list': 'admin',
      'tokens.create': 'admin',
    } as const;
    for (const [m, scope] of Object.entries(expected)) expect([m, methodScope(m as never)]).toEqual([m, scope]);
  });
});

describe('a read-only token', () => {
  it('reads', async () => {
    const { token } = tokens.create('reader', 'read');
    expect((await rpc(token, 'vault.status')).body.result).toEqual({ state: 'locked' });
  });

  it('calling a trade method gets FORBIDDEN and the handler never runs', async () => {
    const { token } = tokens.create('reader2', 'read');
    const r = await rpc(token, 'cancelOrder');
    expect(r.body.error?.data.code).toBe('FORBIDDEN');
    expect(ran).toEqual([]);
  });

  it('calling an admin method over WebSocket gets FORBIDDEN and the handler never runs', async () => {
    const { token } = tokens.create('reader3', 'read');
    const ws = await openWs(token);
    ws.send(JSON.stringify({ id: 1, method: 'vault.lock', params: {} }));
    expect((await next(ws)).error.code).toBe('FORBIDDEN');
    expect(ran).toEqual([]);
    ws.close();
  });

  it('may scrape /metrics, a GET route', async () => {
    const { token } = tokens.create('scraper', 'read');
    const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect([res.status, await res.text()]).toEqual([200, 'm 1\n']);
  });
});

describe('a trade token', () => {
  it('may trade but not administer the node', async () => {
    const { token } = tokens.create('trader', 'trade');
    expect((await rpc(token, 'cancelOrder')).body.error?.data.code).toBe('INTERNAL'); // reached the handler
    expect((await rpc(token, 'vault.lock')).body.error?.data.code).toBe('FORBIDDEN');
    expect(ran).toEqual(['orders.cancel']);
  });
});

describe('a revoked token', () => {
  it('is refused over HTTP with 401 from the next request on', async () => {
    const { token } = tokens.create('gone', 'admin');
    expect((await rpc(token, 'vault.lock')).status).toBe(200);
    tokens.revoke('gone');
    const r = await rpc(token, 'vault.status');
    expect([r.status, r.body.error?.data.code]).toEqual([401, 'UNAUTHORIZED']);
    const m = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect(m.status).toBe(401);
  });

  it('closes a WebSocket opened before the revocation, which then runs nothing', async () => {
    const { token } = tokens.create('gone-ws', 'admin');
    const ws = await openWs(token);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    tokens.revoke('gone-ws');
    expect(await closed).toBe(4401);
    await expect(openWs(token)).rejects.toThrow(/401/);
    expect(ran).toEqual([]);
  });
});

describe('the log', () => {
  it('names each request by token name and never prints a token in full', async () => {
    lines.length = 0;
    const { token } = tokens.create('logged', 'read');
    await rpc(token, 'vault.status');
    const wrong = `hl_${'z'.repeat(43)}`;
    await rpc(wrong, 'vault.status');
    const text = lines.join('\n');
    expect(text).toContain('"token":"logged"');
    expect(text).toContain('"method":"vault.status"');
    expect(text).toContain('"token":"hl_zzz…"'); // the refused token, by its hint
    for (const secret of [token, wrong, FILE]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(0, 12));
    }
  });
});

function openWs(token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws`, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${token}`]);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function next(ws: WebSocket): Promise<{ id: number; ok: boolean; error: { code: string } }> {
  return new Promise((r) => ws.once('message', (d) => r(JSON.parse(String(d)))));
}
