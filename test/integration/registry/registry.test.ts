// The content registry across real node processes (docs/registry.md): a record published at one
// node is witnessed by three until settled everywhere; another person co-signs it and adds a URI;
// a third node mirrors it by bucket rule and its overlay URI reaches the others; a URI that starts
// serving other bytes is marked bad; a record whose hash matches no URI is refused over the API.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../src-main/kernel/time.ts';
import { startContentServer } from '../../../src-main/registry/testkit.ts';
import { RegistryNode } from './registry-node.ts';

const root = mkdtempSync(path.join(tmpdir(), 'registry-int-'));
let server: Awaited<ReturnType<typeof startContentServer>>;
let ana: RegistryNode;
let bea: RegistryNode;
let cid: RegistryNode;
const nodes: RegistryNode[] = [];
const text = (s: string) => new TextEncoder().encode(s);
const sha512 = (b: Uint8Array) => createHash('sha512').update(b).digest('hex');

beforeAll(async () => {
  server = await startContentServer();
  const registry = { fetch: { allowHosts: [server.host], timeoutMs: 10_000, idleMs: 5_000 } };
  ana = await RegistryNode.start('ana', root, { registry });
  nodes.push(ana);
  [bea, cid] = await Promise.all([
    RegistryNode.start('bea', root, { registry, bootstrap: [ana.addr] }),
    RegistryNode.start('cid', root, { registry, bootstrap: [ana.addr] }),
  ]);
  nodes.push(bea, cid);
  await Promise.all([ana.withIdentity('Ana'), bea.withIdentity('Bea')]);
  for (const [a, b] of [
    [ana, bea],
    [ana, cid],
    [bea, cid],
  ] as const) {
    // A dial can lose a race with the other side's own dial on a loaded machine: dial again until linked.
    await waitFor(
      async () => {
        if ((await a.call('p2p.peers', {})).some((p) => p.peerId === b.peerId)) return true;
        await a.call('p2p.dial', { addr: b.addr }).catch(() => undefined);
        return false;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: `${a.name} connected to ${b.name}` },
    );
  }
}, 300_000);

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const story = text('Había una vez tres nodos que se vigilaban.\n');

describe('the registry over three node processes', () => {
  let id = '';

  it('publishes at ana and settles with three witnesses, seen settled at bea', async () => {
    server.bytes('/cuento.txt', story);
    const rec = await ana.call('registry.publish', {
      did: ana.did,
      name: 'Cuento de nodos',
      language: 'es',
      licence: { spdx: 'CC-BY-4.0' },
      format: 'text/plain',
      uris: [server.url('/cuento.txt')],
    });
    id = rec.id;
    expect(rec).toMatchObject({ hash: sha512(story), size: story.length, status: 'verified' });
    const atBea = await waitFor(
      async () => {
        const v = await bea.call('registry.get', { id }).catch(() => undefined);
        return v?.settled && v;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the record settled at bea' },
    );
    expect(new Set(atBea.witnessList.map((w) => w.node)).size).toBeGreaterThanOrEqual(3);
    expect(atBea.signer).toBe(ana.did);
  }, 120_000);

  it('bea co-signs and adds a URI; ana sees both', async () => {
    server.bytes('/espejo/cuento.txt', story);
    await bea.call('registry.cosign', { did: bea.did, id });
    await bea.call('registry.uri.add', { did: bea.did, hash: sha512(story), uri: server.url('/espejo/cuento.txt') });
    const atAna = await waitFor(
      async () => {
        const v = await ana.call('registry.get', { id });
        return v.cosigners === 1 && v.uris.some((u) => u.addedBy === bea.did) && v;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: "bea's co-signature and URI at ana" },
    );
    expect(atAna.cosignerList[0]).toMatchObject({ did: bea.did, party: false });
  }, 60_000);

  it('cid mirrors Spanish content by bucket rule and its overlay URI reaches ana', async () => {
    const rule = { all: [{ language: ['es'] }, { maxSize: 1_000_000 }] };
    const dry = await cid.call('registry.bucket.dryRun', { rule, maxBytes: 10_000_000 });
    expect(dry).toMatchObject({ count: 1, totalBytes: story.length, fits: true });
    await cid.call('registry.bucket.set', { rule, maxBytes: 10_000_000, enabled: true });
    const overlay = `hashlock://${cid.peerId}/${sha512(story)}`;
    await waitFor(async () => (await ana.call('registry.get', { id })).uris.some((u) => u.uri === overlay), {
      timeoutMs: 30_000,
      intervalMs: 250,
      what: "cid's mirror URI at ana",
    });
    const probed = await ana.call('registry.content.probe', { uri: overlay });
    expect(probed).toMatchObject({ hash: sha512(story), size: story.length });
  }, 60_000);

  it('a rule matching everything on a tiny quota is refused', async () => {
    await expect(
      cid.call('registry.bucket.set', { rule: { all: [] }, maxBytes: 10, enabled: true }),
    ).rejects.toMatchObject({
      details: { reason: 'BUCKET_TOO_BIG' },
    });
  });

  it('marks the original URI bad once it serves other bytes', async () => {
    server.bytes('/cuento.txt', text('otro cuento\n'));
    const v = await ana.call('registry.recheck', { id });
    expect(v.uris.find((u) => u.uri === server.url('/cuento.txt'))).toMatchObject({ state: 'bad' });
    expect(v.uris.find((u) => u.uri === server.url('/espejo/cuento.txt'))).toMatchObject({ state: 'ok' });
    expect(v.status).toBe('verified');
  }, 60_000);

  it('refuses over the API a record whose hash matches no URI, storing nothing', async () => {
    const before = await ana.call('registry.info', {});
    server.bytes('/falso.txt', text('falso\n'));
    await expect(
      ana.call('registry.publish', {
        did: ana.did,
        name: 'Falso',
        language: 'es',
        licence: { text: 'ninguna' },
        format: 'text/plain',
        uris: [server.url('/falso.txt')],
        hash: sha512(text('verdadero\n')),
        size: 6,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS', details: { reason: 'CONTENT_MISMATCH' } });
    expect(await ana.call('registry.info', {})).toMatchObject({
      records: before.records,
      statements: before.statements,
    });
  });
});
