// Checking linked domains: a served credential for the DID verifies; another DID's, a bad file, a
// 404, a redirect and an oversize file fail; private addresses are never fetched outside test
// networks (by literal or by a name that resolves to one); an unreachable origin is "not checked".
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { didConfiguration, signDomainLinkage } from '../../src-shared/identity/domain.ts';
import { checkDomain, DEFAULT_DOMAIN_FETCH, isPrivateAddress } from './links-check.ts';
import { testIdentity } from './testkit.ts';

const ORIGIN = 'https://alice.example';
const NOW = 1_800_000_000_000;
const alice = testIdentity('domain alice');
const bob = testIdentity('domain bob');
const files: Record<string, { status: number; body: string; headers?: Record<string, string> }> = {};
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const f = files[req.url ?? ''] ?? { status: 404, body: 'no' };
    res.writeHead(f.status, { 'content-type': 'application/json', ...f.headers });
    res.end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const config = (jwts: string[]) => JSON.stringify(didConfiguration(jwts));
const cred = (who: typeof alice, origin = ORIGIN) => signDomainLinkage(who.did, origin, NOW - 1000, 30, who.signer);

function serve(path: string, status: number, body: string, headers?: Record<string, string>) {
  files[`${path}/.well-known/did-configuration.json`] = { status, body, headers };
}

const check = (path: string, opts: Partial<typeof DEFAULT_DOMAIN_FETCH> = {}) =>
  checkDomain(
    alice.did,
    ORIGIN,
    { ...DEFAULT_DOMAIN_FETCH, allowPrivate: true, testOrigins: { [ORIGIN]: `${base}${path}` }, ...opts },
    NOW,
  );

describe('linked domains', () => {
  it('verify when the origin serves a valid credential for the DID', async () => {
    serve('/ok', 200, config([cred(bob), cred(alice)]));
    expect(await check('/ok')).toMatchObject({ state: 'verified' });
  });

  it.each([
    ['only another DID', () => serve('/other', 200, config([cred(bob)])), '/other'],
    [
      'a credential for another origin',
      () => serve('/origin', 200, config([cred(alice, 'https://evil.example')])),
      '/origin',
    ],
    ['not JSON', () => serve('/text', 200, 'hello'), '/text'],
    ['not a DID configuration', () => serve('/shape', 200, '{"linked_dids":[]}'), '/shape'],
    ['a 404', () => undefined, '/missing'],
    ['a redirect', () => serve('/moved', 302, '', { location: 'https://elsewhere.example/' }), '/moved'],
  ])('fail when the origin serves %s', async (_name, arrange, path) => {
    arrange();
    expect(await check(path)).toMatchObject({ state: 'failed' });
  });

  it('do not read more than the size cap', async () => {
    serve('/big', 200, JSON.stringify({ pad: 'x'.repeat(200_000) }));
    expect(await check('/big', { maxBytes: 1024 })).toMatchObject({
      state: 'failed',
      detail: expect.stringMatching(/over 1024 bytes/),
    });
  });

  it('never fetch a private address outside test networks, by literal or by name', async () => {
    serve('/ok', 200, config([cred(alice)]));
    expect(await check('/ok', { allowPrivate: false })).toMatchObject({
      state: 'not-checked',
      detail: expect.stringMatching(/private/),
    });
    const byName = await checkDomain(
      alice.did,
      ORIGIN,
      {
        ...DEFAULT_DOMAIN_FETCH,
        testOrigins: { [ORIGIN]: base.replace('127.0.0.1', 'localhost') + '/ok' },
      },
      NOW,
    );
    expect(byName).toMatchObject({ state: 'not-checked', detail: expect.stringMatching(/private/) });
  });

  it('are "not checked" when the origin cannot be reached', async () => {
    const r = await checkDomain(
      alice.did,
      ORIGIN,
      {
        ...DEFAULT_DOMAIN_FETCH,
        allowPrivate: true,
        timeoutMs: 2000,
        testOrigins: { [ORIGIN]: 'http://127.0.0.1:1' },
      },
      NOW,
    );
    expect(r.state).toBe('not-checked');
  });
});

describe('private addresses', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:10.0.0.1', true],
    ['8.8.8.8', false],
    ['2606:4700::1111', false],
    ['not an ip', true],
  ])('%s is private: %s', (ip, yes) => {
    expect(isPrivateAddress(ip)).toBe(yes);
  });
});
