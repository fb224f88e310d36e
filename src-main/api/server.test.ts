// The transports against a real HTTP/WebSocket server on loopback. Handlers here are tiny
// services that count their calls, so each bad request can be shown to have changed nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiError } from '../../src-shared/api/errors.ts';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src-shared/api/client.ts';
import { createDispatcher } from './dispatcher.ts';
import type { Handlers } from '../kernel/module.ts';
import { createEventBus } from './events.ts';
import { MAX_BODY_BYTES, startApiServer, type ApiServer } from './server.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TOKEN = 'a'.repeat(64);
const quiet = { info() {}, warn() {}, error() {} };
let server: ApiServer;
let locks = 0;
let settingsChanges = 0;
const events = createEventBus();
const staticDir = mkdtempSync(path.join(os.tmpdir(), 'hl-static-'));
writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Hashlock</title>');

const handlers: Partial<Handlers> = {
  'vault.status': () => ({ state: 'locked' }),
  'vault.lock': () => {
    locks++;
    return { state: 'locked' };
  },
  'settings.set': () => {
    settingsChanges++;
    throw new ApiError('CONFLICT', 'not in this test');
  },
  'vault.unlock': () => {
    throw new ApiError('VAULT_WRONG_PASSWORD', 'wrong password');
  },
  'coins.list': () => [
    { ticker: 'not a valid ticker!', name: 'x', network: 'x', decimals: 8, blockTimeSec: 1, defaultConfirmations: 1 },
  ],
  'wallets.balance': () => {
    throw new Error('database exploded at /secret/path');
  },
};

beforeAll(async () => {
  server = await startApiServer({
    dispatcher: createDispatcher(handlers, quiet),
    events,
    token: TOKEN,
    port: 0,
    staticDir,
    routes: [
      { method: 'GET', path: '/api/echo/:word', handle: (r) => ({ status: 200, body: { word: r.params.word } }) },
      {
        method: 'PUT',
        path: '/api/echo',
        handle: (r) => ({ status: 201, contentType: 'text/plain', body: `got ${r.body.length} bytes` }),
      },
    ],
    log: quiet,
  });
});
afterAll(() => server.close());

async function rpc(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/rpc`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, any> | null };
}

describe('JSON-RPC over HTTP', () => {
  it('answers a valid call', async () => {
    const r = await rpc({ jsonrpc: '2.0', id: 7, method: 'vault.status', params: {} });
    expect(r.body).toEqual({ jsonrpc: '2.0', id: 7, result: { state: 'locked' } });
  });

  it('refuses a request without the token, or with a wrong one, and runs nothing', async () => {
    const before = locks;
    for (const auth of ['', 'Bearer nope', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const r = await rpc({ jsonrpc: '2.0', id: 1, method: 'vault.lock' }, { Authorization: auth });
      expect(r.status).toBe(401);
      expect(r.body?.error.data.code).toBe('UNAUTHORIZED');
    }
    expect(locks).toBe(before);
  });

  it('refuses a request whose id is an object or a list, answering id null and running nothing', async () => {
    const before = locks;
    for (const id of [{ a: 1 }, [1], true]) {
      const r = await rpc({ jsonrpc: '2.0', id, method: 'vault.lock' });
      expect(r.body).toMatchObject({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600, data: { code: 'BAD_REQUEST' } },
      });
      expect(r.body?.error.message).toMatch(/id must be a string, a number or null/);
    }
    expect(locks).toBe(before);
  });

  it('refuses a declared Content-Length over the cap before any of the body arrives', async () => {
    const { request } = await import('node:http');
    const url = new URL(server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: '/rpc',
          method: 'POST',
          headers: {
            Host: url.host,
            'Content-Type': 'application/json',
            Authorization: `Bearer ${TOKEN}`,
            'Content-Length': String(MAX_BODY_BYTES + 1),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      // Only the headers are sent: a server that waits for the body never answers.
      req.flushHeaders();
      setTimeout(() => reject(new Error('no answer before the body was sent')), 3000).unref();
    });
    expect(status).toBe(413);
  });

  it('refuses params carrying a __proto__, constructor or prototype key at any depth, and runs nothing', async () => {
    const before = locks;
    for (const [body, key] of [
      ['{"jsonrpc":"2.0","id":3,"method":"vault.lock","params":{"__proto__":{"x":1}}}', '__proto__'],
      ['{"jsonrpc":"2.0","id":3,"method":"settings.set","params":{"confirmations":{"__proto__":3}}}', '__proto__'],
      [
        '{"jsonrpc":"2.0","id":3,"method":"settings.set","params":{"confirmations":{"DEVA":2,"__proto__":{"DEVB":1}}}}',
        '__proto__',
      ],
      ['{"jsonrpc":"2.0","id":3,"method":"settings.set","params":{"confirmations":{"prototype":3}}}', 'prototype'],
      ['{"jsonrpc":"2.0","id":3,"method":"vault.lock","params":{"constructor":{"prototype":{}}}}', 'constructor'],
    ]) {
      const r = await rpc(body);
      expect(r.body).toMatchObject({ id: 3, error: { data: { code: 'INVALID_PARAMS' } } });
      expect(r.body?.error.message).toContain(`the key "${key}" is not allowed`);
    }
    expect(locks).toBe(before);
    expect(settingsChanges).toBe(0);
  });

  it('gives a parse error for bad JSON', async () => {
    const r = await rpc('{"jsonrpc": "2.0", "method": ');
    expect(r.body?.error.code).toBe(-32700);
  });

  it('gives METHOD_NOT_FOUND for an unknown method', async () => {
    const r = await rpc({ jsonrpc: '2.0', id: 2, method: 'vault.steal' });
    expect(r.body?.error).toMatchObject({ code: -32601, data: { code: 'METHOD_NOT_FOUND' } });
  });

  it('gives INVALID_PARAMS for wrong params and runs nothing', async () => {
    const before = locks;
    const r = await rpc({ jsonrpc: '2.0', id: 3, method: 'vault.lock', params: { force: true } });
    expect(r.body?.error).toMatchObject({ code: -32602, data: { code: 'INVALID_PARAMS' } });
    expect(r.body?.error.message).toMatch(/Unrecognized key/);
    const positional = await rpc({ jsonrpc: '2.0', id: 4, method: 'vault.lock', params: [1] });
    expect(positional.body?.error.data.code).toBe('INVALID_PARAMS');
    expect(locks).toBe(before);
  });

  it('passes service errors through with their code', async () => {
    const r = await rpc({ jsonrpc: '2.0', id: 5, method: 'vault.unlock', params: { password: 'x' } });
    expect(r.body?.error).toMatchObject({
      code: -32000,
      message: 'wrong password',
      data: { code: 'VAULT_WRONG_PASSWORD' },
    });
  });

  it('hides internal errors and contract-breaking results behind INTERNAL', async () => {
    const crash = await rpc({ jsonrpc: '2.0', id: 6, method: 'wallets.balance', params: { ticker: 'DEVA' } });
    expect(crash.body?.error.data.code).toBe('INTERNAL');
    expect(JSON.stringify(crash.body)).not.toContain('/secret/path');
    const broken = await rpc({ jsonrpc: '2.0', id: 7, method: 'coins.list' });
    expect(broken.body?.error.data.code).toBe('INTERNAL');
  });

  it('rejects malformed envelopes, oversize bodies, wrong content type and foreign origins', async () => {
    expect((await rpc({ id: 1, method: 'vault.status' })).body?.error.data.code).toBe('BAD_REQUEST');
    expect((await rpc([])).body?.error.data.code).toBe('BAD_REQUEST');
    expect((await rpc('"just a string"')).body?.error.data.code).toBe('BAD_REQUEST');
    const huge = await fetch(`${server.url}/rpc`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: 'x'.repeat(MAX_BODY_BYTES + 10),
    }).catch((e: unknown) => e);
    if (huge instanceof Response) expect(huge.status).toBe(413);
    else expect(String(huge)).toMatch(/fetch failed|socket|reset/i);
    expect(
      (await rpc({ jsonrpc: '2.0', id: 1, method: 'vault.status' }, { 'Content-Type': 'text/plain' })).status,
    ).toBe(415);
    expect(
      (await rpc({ jsonrpc: '2.0', id: 1, method: 'vault.status' }, { Origin: 'https://evil.example' })).status,
    ).toBe(403);
  });

  it('answers batches and stays silent for notifications', async () => {
    const r = await rpc([
      { jsonrpc: '2.0', id: 1, method: 'vault.status' },
      { jsonrpc: '2.0', method: 'vault.status' },
      { jsonrpc: '2.0', id: 2, method: 'nope' },
    ]);
    expect(r.body).toHaveLength(2);
  });

  it('refuses requests whose Host is not loopback (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/rpc',
          method: 'POST',
          headers: { Host: 'evil.example', Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.end('{}');
    });
    expect(status).toBe(421);
  });
});

describe('static renderer', () => {
  it('serves index.html with the CSP and never leaves its folder', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(await res.text()).toContain('<title>Hashlock</title>');
    const escape = await fetch(`${server.url}/..%2f..%2fetc%2fpasswd`);
    expect(await escape.text()).not.toMatch(/root:/);
  });
});

function openWs(protocols: string[], origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws`, protocols, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function nextMessage(ws: WebSocket): Promise<any> {
  return new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
}

describe('WebSocket', () => {
  it('needs the token subprotocol and a same-origin page', async () => {
    await expect(openWs([WS_PROTOCOL])).rejects.toThrow(/401/);
    await expect(openWs([WS_PROTOCOL, `${WS_TOKEN_PREFIX}wrong`])).rejects.toThrow(/401/);
    await expect(openWs([WS_PROTOCOL, WS_TOKEN_PREFIX + TOKEN], 'https://evil.example')).rejects.toThrow(/403/);
  });

  it('answers calls, reports bad frames and pushes events', async () => {
    const ws = await openWs([WS_PROTOCOL, WS_TOKEN_PREFIX + TOKEN], server.url);
    expect(ws.protocol).toBe(WS_PROTOCOL);
    ws.send(JSON.stringify({ id: 1, method: 'vault.status', params: {} }));
    expect(await nextMessage(ws)).toEqual({ id: 1, ok: true, result: { state: 'locked' } });
    ws.send('not json');
    expect(await nextMessage(ws)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    ws.send(JSON.stringify({ id: 2, method: 'vault.lock', params: { extra: 1 } }));
    expect(await nextMessage(ws)).toMatchObject({ id: 2, ok: false, error: { code: 'INVALID_PARAMS' } });
    const pushed = nextMessage(ws);
    events.emit('vault.state', { state: 'unlocked' });
    expect(await pushed).toEqual({ event: 'vault.state', data: { state: 'unlocked' } });
    ws.close();
  });
});

describe('module routes', () => {
  const call = (method: string, p: string, init: { token?: string; body?: string } = {}) =>
    fetch(`${server.url}${p}`, {
      method,
      headers: init.token === undefined ? {} : { Authorization: `Bearer ${init.token}` },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });

  it('serve with the token, decoding named parts, and pass the body', async () => {
    const get = await call('GET', '/api/echo/did%3Ais%3AP1', { token: TOKEN });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ word: 'did:is:P1' });
    const put = await call('PUT', '/api/echo', { token: TOKEN, body: 'hello' });
    expect(put.status).toBe(201);
    expect(put.headers.get('content-type')).toBe('text/plain');
    expect(await put.text()).toBe('got 5 bytes');
  });

  it('refuse a request without the token or with a wrong one', async () => {
    expect((await call('GET', '/api/echo/x')).status).toBe(401);
    expect((await call('GET', '/api/echo/x', { token: 'nope' })).status).toBe(401);
  });
});
