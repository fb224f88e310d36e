// The registry's HTTP routes: Blockcore's PUT/GET bodies and codes, W3C DID resolution with its
// content types and 404/410/400/501/406, and bad bodies answered without storing anything.
import { describe, expect, it } from 'vitest';
import { DID_RESOLUTION } from '../../src-shared/identity/resolve.ts';
import type { HttpRequest, HttpRoute } from '../kernel/module.ts';
import { identityRoutes } from './http.ts';
import { testIdentity, testRegistry } from './testkit.ts';

const alice = testIdentity('http alice');

function setup() {
  const t = testRegistry();
  const routes = identityRoutes({ registry: t.registry, repo: t.repo });
  const route = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path)!;
  const req = (o: Partial<HttpRequest>): HttpRequest => ({
    method: 'GET',
    params: {},
    query: new URLSearchParams(),
    headers: {},
    body: '',
    ...o,
  });
  const put = (body: string) => route('PUT', '/api/identity').handle(req({ method: 'PUT', body }));
  const get = (address: string) => route('GET', '/api/identity/:address').handle(req({ params: { address } }));
  const resolve = (did: string, accept?: string) =>
    (route('GET', '/1.0/identifiers/:did') as HttpRoute).handle(
      req({ params: { did }, headers: accept ? { accept } : {} }),
    );
  return { ...t, put, get, resolve };
}

const body = (content: string) => JSON.stringify({ version: 4, content });

describe('PUT /api/identity', () => {
  it('stores a profile and answers with its address and status; the same again is unchanged', async () => {
    const s = setup();
    expect(await s.put(body(alice.profile(1)))).toMatchObject({
      status: 200,
      body: { id: alice.address, status: 'created' },
    });
    expect(await s.put(body(alice.profile(1)))).toMatchObject({ status: 200, body: { status: 'unchanged' } });
    expect(await s.put(body(alice.tombstone(2)))).toMatchObject({ status: 200, body: { status: 'deleted' } });
  });

  it('answers 409 for a stale or replayed record and 400 for a bad one, storing nothing', async () => {
    const s = setup();
    await s.put(body(alice.profile(5)));
    expect(await s.put(body(alice.profile(4)))).toMatchObject({ status: 409, body: { code: 'IAT_NOT_NEWER' } });
    const forged = alice.profile(6).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const bad = await s.put(body(forged));
    expect(bad.status).toBe(400);
    for (const text of ['not json', '{"version":3,"content":"x"}', '{"version":4}', '[]']) {
      expect((await s.put(text)).status).toBe(400);
    }
    expect((await s.put(JSON.stringify({ version: 4, content: 'x'.repeat(45_000) }))).status).toBe(413);
    expect(s.repo.get(alice.did)?.iat).toBe(5);
  });
});

describe('GET /api/identity/{address}', () => {
  it("returns Blockcore's body, tombstones included; 404 when none, 400 for a bad address", async () => {
    const s = setup();
    expect((await s.get(alice.address)).status).toBe(404);
    const content = alice.profile(7, { name: 'Alice' });
    await s.put(body(content));
    expect(await s.get(alice.address)).toMatchObject({
      status: 200,
      body: { id: alice.address, version: 4, payload: { name: 'Alice' }, content },
    });
    await s.put(body(alice.tombstone(8)));
    expect(await s.get(alice.address)).toMatchObject({ status: 200, body: { payload: { '@state': 999 } } });
    expect((await s.get('1BoatSLRHtKNngkdXEeobR76b53LETtpyT')).status).toBe(400);
  });
});

describe('GET /1.0/identifiers/{did}', () => {
  it('gives the DID document with the recovered key, or the full result when asked', async () => {
    const s = setup();
    await s.put(body(alice.profile(9)));
    const doc = await s.resolve(alice.did);
    expect(doc).toMatchObject({ status: 200, contentType: 'application/did+json', body: { id: alice.did } });
    const full = await s.resolve(alice.did, DID_RESOLUTION);
    expect(full).toMatchObject({
      status: 200,
      contentType: DID_RESOLUTION,
      body: { didDocumentMetadata: { deactivated: false } },
    });
  });

  it('answers 404, 410 after a delete, 400, 501 and 406 as the resolution spec says', async () => {
    const s = setup();
    expect((await s.resolve(alice.did)).status).toBe(404);
    await s.put(body(alice.profile(1)));
    await s.put(body(alice.tombstone(2)));
    expect(await s.resolve(alice.did)).toMatchObject({
      status: 410,
      body: { didDocument: null, didDocumentMetadata: { deactivated: true } },
    });
    expect((await s.resolve('did:is:notanaddress')).status).toBe(400);
    expect((await s.resolve('did:web:example.com')).status).toBe(501);
    expect((await s.resolve(alice.did, 'text/html')).status).toBe(406);
  });
});
