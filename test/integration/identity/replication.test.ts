// Identity across real node processes: one node's create, update, delete and recreate reach the
// others over the overlay and resolve there by HTTP (DID resolution, Blockcore REST); a node that
// was down while an identity changed catches up when it returns and never brings the old profile
// back; a record PUT into one node's registry reaches the others; the CLI drives all of it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DID_RESOLUTION } from '../../../src-shared/identity/resolve.ts';
import { testIdentity } from '../../../src-main/identity/testkit.ts';
import { IdNode, startMesh, until } from './id-node.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'hl-identity-it-'));
let a: IdNode;
let b: IdNode;
let c: IdNode;

beforeAll(async () => {
  [a, b, c] = (await startMesh(root, ['a', 'b', 'c'])) as [IdNode, IdNode, IdNode];
}, 240_000);

afterAll(async () => {
  await Promise.all([a, b, c].map((n) => n?.stop()));
  rmSync(root, { recursive: true, force: true });
});

/** What node `n` resolves for `did`: the HTTP status and the profile name, if any. */
async function resolved(n: IdNode, did: string) {
  const res = await n.http('GET', `/1.0/identifiers/${encodeURIComponent(did)}`, { accept: DID_RESOLUTION });
  const rest = await n.http('GET', `/api/identity/${did.slice('did:is:'.length)}`);
  const body =
    rest.status === 200 ? ((await rest.json()) as { payload: { name: string | null; iat: number } }) : undefined;
  return { status: res.status, name: body?.payload.name ?? null, iat: body?.payload.iat ?? null };
}

describe('identity across node processes', () => {
  let did: string;

  it('a created profile resolves on every node, with the key recovered from its signature', async () => {
    const view = await a.call('identity.create', { label: 'it', profile: { name: 'Ada', title: 'maker' } });
    did = view.did;
    for (const n of [b, c]) {
      await until(`${n.name} to resolve ${did}`, async () => (await resolved(n, did)).status === 200);
      const doc = (await (await n.http('GET', `/1.0/identifiers/${did}`)).json()) as {
        id: string;
        verificationMethod: Array<{ publicKeyJwk: { crv: string } }>;
      };
      expect(doc.id).toBe(did);
      expect(doc.verificationMethod[0]!.publicKeyJwk.crv).toBe('secp256k1');
    }
    expect((await b.call('identity.get', { did })).seen).toMatchObject({ via: expect.stringMatching(/gossip|sync/) });
  }, 120_000);

  it('an update reaches the others; a node down during a delete and a recreate catches up without resurrecting', async () => {
    await a.call('identity.update', { did, profile: { name: 'Ada 2' } });
    await until('b and c to see the update', async () =>
      (await Promise.all([b, c].map((n) => resolved(n, did)))).every((r) => r.name === 'Ada 2'),
    );
    await c.stop();
    const deleted = await a.call('identity.delete', { did });
    await until('b to see the delete', async () => (await resolved(b, did)).status === 410);
    await c.start();
    await until('c to catch up on the delete', async () => (await resolved(c, did)).status === 410, 60_000);
    // Its old copy (Ada 2) never comes back, wherever it is pushed.
    const stale = await c.call('identity.get', { did });
    expect(stale).toMatchObject({ deleted: true, iat: deleted.iat });
    await c.stop();
    const back = await a.call('identity.recreate', { did, profile: { name: 'Ada again' } });
    await c.start();
    await until('c to catch up on the recreate', async () => (await resolved(c, did)).name === 'Ada again', 60_000);
    expect((await c.call('identity.get', { did })).iat).toBe(back.iat);
    const status = await c.call('identity.sync.status', {});
    expect(status.peersReconciled).toBeGreaterThan(0);
  }, 240_000);

  it('a record PUT into one registry reaches the others; a stale or forged one is refused everywhere', async () => {
    const eve = testIdentity(`integration eve ${Date.now()}`);
    const put = (n: IdNode, content: string) =>
      n.http('PUT', '/api/identity', { body: JSON.stringify({ version: 4, content }) });
    const first = await put(b, eve.profile(2_000, { name: 'Eve' }));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ id: eve.address, status: 'created' });
    await until('a to hold eve', async () => (await resolved(a, eve.did)).name === 'Eve');
    expect((await put(a, eve.profile(1_000, { name: 'Old Eve' }))).status).toBe(409);
    const forged = eve.profile(3_000, { name: 'Mallory' }).replace(/.{8}$/, 'AAAAAAAA');
    expect((await put(a, forged)).status).toBe(400);
    expect((await resolved(a, eve.did)).name).toBe('Eve');
  }, 120_000);

  it('the CLI creates, resolves and lists identities', async () => {
    const cli = (...args: string[]) => b.cli(args);
    const created = (await cli('identity', 'create', '--profile', '{"name":"Cli Bee"}', '--label', 'cli')) as {
      did: string;
    };
    const res = (await cli('identity', 'resolve', '--did', created.did)) as { status: number };
    expect(res.status).toBe(200);
    const list = (await cli('identity', 'list', '--mine', 'true')) as { items: Array<{ label: string }> };
    expect(list.items.map((i) => i.label)).toContain('cli');
    const links = (await cli('identity', 'links', 'list', '--did', created.did)) as { links: unknown[] };
    expect(links.links).toEqual([]);
    await expect(cli('identity', 'publish', '--content', 'not.a.jws')).rejects.toMatchObject({
      stderr: expect.stringMatching(/INVALID_PARAMS/),
    });
  }, 120_000);
});
