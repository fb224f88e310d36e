// The node's administration surface against real node processes: /metrics scraped with a named
// read token, `hashlock node status`, token scopes over HTTP and WebSocket (a read token trying
// to trade, a revoked token, an open socket closed by its revocation), the sampled history, and
// a log that names each request's token without ever printing one.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../../src-shared/api/client.ts';
import { NodeProc } from '../../support/node-proc.ts';

const run = promisify(execFile);
const BIN = path.resolve('bin/hashlock');
let root: string;
let a: NodeProc;
let b: NodeProc;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hashlock-admin-'));
  const config = { metrics: { sampleSec: 1 } };
  a = await NodeProc.create({ name: 'a', dataDir: path.join(root, 'a'), password: 'admin test a', config });
  b = await NodeProc.create({ name: 'b', dataDir: path.join(root, 'b'), password: 'admin test b', config });
  await a.start();
  b.bootstrap = [a.addr];
  await b.start();
  await a.until(
    () => a.call('p2p.peers', {}),
    (p) => p.length === 1,
    'a sees b',
  );
});

afterAll(async () => {
  await Promise.all([a?.kill(), b?.kill()]);
  await rm(root, { recursive: true, force: true });
});

const scrape = (token?: string) =>
  fetch(`${a.url}/metrics`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
const create = async (name: string, scope: 'read' | 'trade' | 'admin') =>
  (await a.call('tokens.create', { name, scope })).token;
/** The CLI as a user runs it; a loaded machine takes long to load it, so it gets its own time. */
const cli = async (args: string[]) => (await run(BIN, [...args, '--data-dir', a.dataDir], { timeout: 170_000 })).stdout;

async function rpc(token: string, method: string, params: object) {
  const res = await fetch(`${a.url}/rpc`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return { status: res.status, body: (await res.json()) as { result?: unknown; error?: { data: { code: string } } } };
}

function openWs(token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${a.apiPort}/api/ws`, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${token}`]);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('GET /metrics', () => {
  it('serves Prometheus text to a read token: peers, traffic, messages and store size per domain', async () => {
    const token = await create('scraper', 'read');
    // The peers' first requests (service-node list, book snapshot) are the traffic counted.
    await a.until(
      () => a.call('metrics.snapshot', {}),
      (x) => (x.families.find((f) => f.name === 'hashlock_p2p_traffic_bytes_total')?.series.length ?? 0) > 0,
      'some p2p traffic counted',
    );
    const res = await scrape(token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE hashlock_p2p_peers gauge\nhashlock_p2p_peers 1\n');
    expect(text).toMatch(/^hashlock_store_bytes\{domain="metrics"\} \d+$/m);
    expect(text).toMatch(/^hashlock_store_bytes\{domain="swaps"\} \d+$/m);
    expect(text).toMatch(/^hashlock_p2p_traffic_bytes_total\{direction="(in|out)",protocol="[^"]+"\} \d+$/m);
    expect(text).toContain('# TYPE hashlock_process_cpu_seconds_total counter');
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#')))
      expect(line).toMatch(/^hashlock_[a-z0-9_]+(\{[^}]*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/);
  });

  it('refuses a scrape without a token or with a wrong one', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('hl_' + 'x'.repeat(43))).status).toBe(401);
  });
});

describe('hashlock node status', () => {
  it('prints the node, its peer with its score, and store per domain', async () => {
    const stdout = await cli(['node', 'status']);
    expect(stdout).toMatch(/^Hashlock \S+ on devnet \(trader\)/);
    expect(stdout).toContain(`peers (1; ban at`);
    expect(stdout).toMatch(new RegExp(`${b.peerId}\\s+(inbound|outbound)\\s+score 0\\.0`));
    expect(stdout).toMatch(/store per domain\n(\s+\S+\s+[\d.]+ (B|KiB|MiB)\n)+/);
  });
});

describe('token scopes', () => {
  it('a read token calling a trade method over HTTP gets FORBIDDEN', async () => {
    const token = await create('bot-read', 'read');
    const r = await rpc(token, 'cancelOrder', { orderId: 'a'.repeat(64) });
    expect(r.body.error?.data.code).toBe('FORBIDDEN');
    expect((await rpc(token, 'node.info', {})).body.result).toMatchObject({ network: 'devnet' });
  });

  it('a read token calling an admin method over WebSocket gets FORBIDDEN, and the settings stay as they were', async () => {
    const token = await create('ui-read', 'read');
    const ws = await openWs(token);
    const reply = new Promise<{ ok: boolean; error?: { code: string } }>((r) =>
      ws.on('message', (d) => {
        const f = JSON.parse(String(d)) as { id?: number };
        if (f.id === 1) r(f as never);
      }),
    );
    const before = await a.call('settings.get', {});
    ws.send(
      JSON.stringify({ id: 1, method: 'settings.set', params: { theme: before.theme === 'dark' ? 'light' : 'dark' } }),
    );
    expect((await reply).error?.code).toBe('FORBIDDEN');
    ws.close();
    expect(await a.call('settings.get', {})).toEqual(before);
  });

  it('a revoked token is refused from its next request, and its open WebSocket is closed', async () => {
    const token = await create('temp', 'admin');
    const ws = await openWs(token);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    expect((await scrape(token)).status).toBe(200);
    const revoked = JSON.parse(await cli(['tokens', 'revoke', '--name', 'temp'])) as { revokedAt?: number };
    expect(revoked.revokedAt).toBeGreaterThan(0);
    expect(await closed).toBe(4401);
    expect((await scrape(token)).status).toBe(401);
    expect((await rpc(token, 'node.info', {})).status).toBe(401);
  });

  it('the file token keeps working as the admin token "default"', async () => {
    const list = await rpc(a.token, 'tokens.list', {});
    expect((list.body.result as Array<{ name: string }>).map((t) => t.name).sort()).toEqual([
      'bot-read',
      'scraper',
      'temp',
      'ui-read',
    ]);
  });
});

describe('the history and the log', () => {
  it('keeps sampled history the dashboard can chart', async () => {
    const h = await a.until(
      () => a.call('metrics.history', { range: '1h', names: ['hashlock_p2p_peers', 'hashlock_store_bytes'] }),
      (x) => x.points.filter((p) => p.values.hashlock_p2p_peers === 1).length >= 3,
      'three samples with the peer',
    );
    expect(h.resolutionSec).toBe(0);
    expect(Object.keys(h.points.at(-1)!.values)).toContain('hashlock_store_bytes{domain="swaps"}');
  });

  it('names each request by token and never prints a token in full', async () => {
    const token = await create('audited', 'read');
    await rpc(token, 'node.info', {});
    await scrape('hl_' + 'q'.repeat(43));
    // node.log also holds the process's stdout, where `hashlock node` prints the UI link with the
    // file token for the person who started it; the log lines are the JSON ones.
    const log = (await readFile(a.logFile, 'utf8'))
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .join('\n');
    expect(log).toMatch(/"msg":"api call","token":"audited","method":"node.info"/);
    expect(log).toContain('"token":"hl_qqq…"');
    for (const secret of [token, a.token]) expect(log).not.toContain(secret.slice(0, 16));
  });
});
