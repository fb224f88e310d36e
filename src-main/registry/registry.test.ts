// The registry on nodes in one process (fake p2p net, a real HTTP server): acceptance in the
// specified order, witnesses to settlement, co-signatures, added URIs, a URI going bad, buckets,
// and the hostile inputs of docs/registry.md §9, each refused with nothing stored.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { reasonOf } from '../../src-shared/registry/errors.ts';
import { signStatement } from '../../src-shared/registry/statements.ts';
import { waitFor } from '../kernel/time.ts';
import { createTestNet, startContentServer, testPerson } from './testkit.ts';

const sha512 = (b: Uint8Array) => createHash('sha512').update(b).digest('hex');
const text = (s: string) => new TextEncoder().encode(s);
const ana = testPerson('ana');
const bea = testPerson('bea');
const mallory = testPerson('mallory');

let server: Awaited<ReturnType<typeof startContentServer>>;
beforeAll(async () => {
  server = await startContentServer();
});
afterAll(() => server.close());

let net: ReturnType<typeof createTestNet>;
afterEach(() => net.close());

const fields = (body: Uint8Array, uris: string[]) => ({
  name: 'Cuento corto',
  language: 'es-MX',
  licence: { spdx: 'CC-BY-4.0' },
  format: 'text/plain',
  uris,
  hash: sha512(body),
  size: body.length,
});

async function refusal(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return reasonOf(err) ?? (err as Error).message;
  }
  return 'accepted';
}

function fetchPolicy(over: Record<string, unknown> = {}) {
  return { fetch: { allowHosts: [server.host], timeoutMs: 8_000, idleMs: 3_000, ...over } };
}

describe('publishing and settlement', () => {
  it('publishes a record, witnesses it on three nodes until settled, and shows co-signatures and added URIs', async () => {
    net = createTestNet(fetchPolicy());
    const body = text('Había una vez un nodo.\n');
    server.bytes('/cuento.txt', body);
    server.bytes('/mirror/cuento.txt', body);
    const a = await net.node('Ana', [ana]);
    const b = await net.node('Bea', [bea]);
    const c = await net.node('Cid');
    net.net.connect(a.peerId, b.peerId);
    net.net.connect(b.peerId, c.peerId);
    net.net.connect(a.peerId, c.peerId);

    const rec = await a.call('registry.publish', { did: ana.did, ...fields(body, [server.url('/cuento.txt')]) });
    expect(rec.status).toBe('verified');
    // Its own node witnessed it on acceptance (the others may already have too).
    const nodeDid = (await a.call('registry.info', {})).did;
    expect(rec.witnessList.map((w) => w.node)).toContain(nodeDid);
    expect(rec.uris[0]).toMatchObject({ state: 'ok' });

    const settled = await waitFor(
      async () => {
        const v = await a.call('registry.get', { id: rec.id });
        return v.settled && v;
      },
      { timeoutMs: 10_000, what: 'three witnesses at ana' },
    );
    expect(new Set(settled.witnessList.map((w) => w.node)).size).toBe(3);
    expect(settled.acceptedAt).toBe(Math.min(...settled.witnessList.map((w) => w.at)));

    const cosigned = await waitFor(() => b.repo.record(rec.id), { timeoutMs: 5_000, what: 'the record at bea' }).then(
      () => b.call('registry.cosign', { did: bea.did, id: rec.id }),
    );
    expect(cosigned.cosignerList.map((x) => x.did)).toEqual([bea.did]);
    await b.call('registry.uri.add', { did: bea.did, hash: rec.hash, uri: server.url('/mirror/cuento.txt') });
    const atA = await waitFor(
      async () => {
        const v = await a.call('registry.get', { id: rec.id });
        return v.cosigners === 1 && v.uris.length === 2 && v;
      },
      { timeoutMs: 5_000, what: "bea's co-signature and URI at ana" },
    );
    expect(atA.uris[1]).toMatchObject({ uri: server.url('/mirror/cuento.txt'), addedBy: bea.did });
  });

  it('a node that joins later catches up by reconciliation', async () => {
    net = createTestNet(fetchPolicy());
    const body = text('tarde\n');
    server.bytes('/tarde.txt', body);
    const a = await net.node('Ana', [ana]);
    const rec = await a.call('registry.publish', { did: ana.did, ...fields(body, [server.url('/tarde.txt')]) });
    await a.call('registry.trust.set', { did: ana.did, subject: bea.did, level: 'trust', languages: ['es'] });
    const d = await net.node('Dee');
    net.net.connect(a.peerId, d.peerId);
    const got = await waitFor(() => d.repo.record(rec.id)?.status === 'verified' && d.repo.record(rec.id), {
      timeoutMs: 5_000,
      what: 'the record verified at dee',
    });
    expect(got.hash).toBe(rec.hash);
    expect(d.repo.trustSlot(ana.did, bea.did)?.level).toBe('trust');
  });
});

describe('hostile input (docs/registry.md §9)', () => {
  async function oneNode(over: Record<string, unknown> = {}) {
    net = createTestNet(fetchPolicy(over));
    return net.node('Ana', [ana]);
  }
  const nothingStored = (n: Awaited<ReturnType<typeof oneNode>>) => {
    expect(n.repo.counts()).toEqual({ statements: 0, records: 0 });
    expect(n.files()).toEqual([]);
  };

  it('refuses a record whose hash matches no URI, storing nothing', async () => {
    const n = await oneNode();
    server.bytes('/other.txt', text('not the same\n'));
    const body = text('the real thing\n');
    expect(
      await refusal(n.call('registry.publish', { did: ana.did, ...fields(body, [server.url('/other.txt')]) })),
    ).toMatch(/CONTENT_MISMATCH|SIZE_MISMATCH/);
    nothingStored(n);
  });

  it('refuses a redirect to a private address', async () => {
    const n = await oneNode();
    server.route('/redirect', (_req, res) => res.writeHead(302, { Location: 'http://10.1.2.3/secret' }).end());
    server.route('/redirect-local', (_req, res) => res.writeHead(301, { Location: 'http://localhost:9/x' }).end());
    const body = text('x');
    expect(
      await refusal(n.call('registry.publish', { did: ana.did, ...fields(body, [server.url('/redirect')]) })),
    ).toBe('ADDRESS_REFUSED');
    expect(await refusal(n.call('registry.content.probe', { uri: server.url('/redirect-local') }))).toBe(
      'ADDRESS_REFUSED',
    );
    expect(await refusal(n.call('registry.content.probe', { uri: 'http://192.168.1.1/router' }))).toBe(
      'ADDRESS_REFUSED',
    );
    nothingStored(n);
  });

  it('cuts a body that stalls (idle) and one that drips past the total deadline', async () => {
    const n = await oneNode({ timeoutMs: 1_500, idleMs: 300 });
    server.route('/stall', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('a');
    });
    const drip = (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200);
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write('b')), 100);
    };
    server.route('/drip', drip);
    const body = text('a'.repeat(100));
    expect(await refusal(n.call('registry.publish', { did: ana.did, ...fields(body, [server.url('/stall')]) }))).toBe(
      'FETCH_TIMEOUT',
    );
    expect(await refusal(n.call('registry.publish', { did: ana.did, ...fields(body, [server.url('/drip')]) }))).toBe(
      'FETCH_TIMEOUT',
    );
    nothingStored(n);
  });

  it('stops an endless body at the first byte past the record size, and refuses huge files before reading', async () => {
    const n = await oneNode({ maxBytes: 64 * 1024 });
    server.route('/endless', (_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(16 * 1024, 7);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    server.route('/huge', (_req, res) => res.writeHead(200, { 'Content-Length': String(10 * 1024 ** 3) }).end());
    const body = text('z'.repeat(1000));
    expect(await refusal(n.call('registry.publish', { did: ana.did, ...fields(body, [server.url('/endless')]) }))).toBe(
      'SIZE_MISMATCH',
    );
    expect(await refusal(n.call('registry.content.probe', { uri: server.url('/endless') }))).toBe('CONTENT_TOO_LARGE');
    expect(await refusal(n.call('registry.content.probe', { uri: server.url('/huge') }))).toBe('CONTENT_TOO_LARGE');
    nothingStored(n);
  });

  it('refuses forged, self and dangling co-signatures', async () => {
    const n = await oneNode();
    const body = text('acuerdo\n');
    server.bytes('/acuerdo.txt', body);
    const rec = await n.call('registry.publish', { did: ana.did, ...fields(body, [server.url('/acuerdo.txt')]) });
    const before = n.repo.counts();
    // Mallory signs a co-signature naming bea as the signer: the key is not bea's.
    const forged = signStatement(
      'cosign',
      { record: rec.id, hash: rec.hash },
      { did: bea.did, signDigest: mallory.signer.signDigest },
      1,
    );
    expect(await refusal(n.call('registry.submit', { content: forged }))).toBe('SIGNATURE_WRONG_KEY');
    const self = signStatement(
      'cosign',
      { record: rec.id, hash: rec.hash },
      { did: ana.did, signDigest: ana.signer.signDigest },
      1,
    );
    expect(await refusal(n.call('registry.submit', { content: self }))).toBe('COSIGN_SELF');
    const dangling = signStatement(
      'cosign',
      { record: 'ab'.repeat(32), hash: rec.hash },
      { did: bea.did, signDigest: bea.signer.signDigest },
      1,
    );
    expect(await refusal(n.call('registry.submit', { content: dangling }))).toBe('RECORD_UNKNOWN');
    const otherHash = signStatement(
      'cosign',
      { record: rec.id, hash: 'cd'.repeat(64) },
      { did: bea.did, signDigest: bea.signer.signDigest },
      1,
    );
    expect(await refusal(n.call('registry.submit', { content: otherHash }))).toBe('COSIGN_INVALID');
    expect(n.repo.counts()).toEqual(before);
  });

  it('answers trust queries over loops', async () => {
    const n = await oneNode();
    const signer = (p: ReturnType<typeof testPerson>) => ({ did: p.did, signDigest: p.signer.signDigest });
    const carl = testPerson('carl');
    for (const [from, to] of [
      [ana, bea],
      [bea, carl],
      [carl, ana],
      [carl, bea],
    ] as const) {
      await n.call('registry.submit', {
        content: signStatement('trust', { subject: to.did, level: 'trust', languages: null }, signer(from), 1),
      });
    }
    const r = await n.call('registry.trust.query', { depth: 5, language: 'es' });
    expect(r.items.map((x) => [x.did, x.depth])).toEqual(
      [
        [bea.did, 1],
        [carl.did, 2],
      ].sort((x, y) => (x[1] as number) - (y[1] as number) || (x[0] as string).localeCompare(y[0] as string)),
    );
    const stale = signStatement('trust', { subject: bea.did, level: 'friend', languages: null }, signer(ana), 0);
    expect(await refusal(n.call('registry.submit', { content: stale }))).toBe('STALE');
  });

  it('refuses a bucket rule that matches everything on a small quota, mirroring nothing', async () => {
    const n = await oneNode();
    const body = text('q'.repeat(5000));
    server.bytes('/big.txt', body);
    await n.call('registry.publish', { did: ana.did, ...fields(body, [server.url('/big.txt')]) });
    const dry = await n.call('registry.bucket.dryRun', { rule: { all: [] }, maxBytes: 1000 });
    expect(dry).toMatchObject({ count: 1, totalBytes: 5000, fits: false });
    expect(dry.reason).toMatch(/quota/);
    expect(await refusal(n.call('registry.bucket.set', { rule: { all: [] }, maxBytes: 1000, enabled: true }))).toBe(
      'BUCKET_TOO_BIG',
    );
    expect((await n.call('registry.bucket.get', {})).enabled).toBe(false);
    expect(n.files()).toEqual([]);
  });
});

describe('URIs and buckets', () => {
  it('publishes an uploaded file served by its own node, its overlay URI known good', async () => {
    net = createTestNet(fetchPolicy());
    const n = await net.node('Ana', [ana]);
    const body = text('subido desde un archivo\n');
    const half = Math.floor(body.length / 2);
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
    const first = await n.call('registry.content.upload', { data: b64(body.subarray(0, half)), done: false });
    const up = await n.call('registry.content.upload', {
      uploadId: first.uploadId,
      data: b64(body.subarray(half)),
      done: true,
    });
    expect(up).toMatchObject({ hash: sha512(body), size: body.length, uri: `hashlock://${n.peerId}/${sha512(body)}` });
    const rec = await n.call('registry.publish', {
      did: ana.did,
      ...fields(body, []),
      uris: undefined,
      language: 'es-419',
    });
    expect(rec).toMatchObject({ status: 'verified', mirrored: true, language: 'es-419' });
    expect(rec.uris).toEqual([expect.objectContaining({ uri: up.uri, state: 'ok' })]);
    const found = await n.call('registry.search', { language: 'ES' });
    expect(found.items.map((i) => i.id)).toEqual([rec.id]);
  });

  it('marks a URI that starts serving other bytes as bad, keeping it', async () => {
    net = createTestNet(fetchPolicy());
    const n = await net.node('Ana', [ana]);
    const body = text('versión 1\n');
    server.bytes('/v.txt', body);
    const rec = await n.call('registry.publish', { did: ana.did, ...fields(body, [server.url('/v.txt')]) });
    server.bytes('/v.txt', text('versión 2\n'));
    const after = await n.call('registry.recheck', { id: rec.id });
    expect(after.uris).toEqual([expect.objectContaining({ uri: server.url('/v.txt'), state: 'bad' })]);
    expect(after.status).toBe('mismatch');
  });

  it('a bucket mirrors by rule, serves over the overlay and its URI reaches the publisher', async () => {
    net = createTestNet(fetchPolicy());
    const es = text('contenido en español\n');
    const fr = text('contenu en français\n');
    server.bytes('/es.txt', es);
    server.bytes('/fr.txt', fr);
    const a = await net.node('Ana', [ana]);
    const m = await net.node('Mia');
    net.net.connect(a.peerId, m.peerId);
    const esRec = await a.call('registry.publish', { did: ana.did, ...fields(es, [server.url('/es.txt')]) });
    await a.call('registry.publish', { did: ana.did, ...fields(fr, [server.url('/fr.txt')]), language: 'fr' });
    await waitFor(() => m.repo.counts().records === 2, { timeoutMs: 5_000, what: 'both records at mia' });
    const rule = { all: [{ language: ['es'] }, { maxSize: 1000 }] };
    const dry = await m.call('registry.bucket.dryRun', { rule, maxBytes: 10_000 });
    expect(dry).toMatchObject({ count: 1, totalBytes: es.length, fits: true });
    await m.call('registry.bucket.set', { rule, maxBytes: 10_000, enabled: true });
    const overlay = `hashlock://${m.peerId}/${esRec.hash}`;
    const seen = await waitFor(
      async () => {
        const v = await a.call('registry.get', { id: esRec.id });
        return v.uris.some((u) => u.uri === overlay) && v;
      },
      { timeoutMs: 5_000, what: "the mirror's URI at ana" },
    );
    expect(seen.uris.find((u) => u.uri === overlay)?.addedBy).toBe((await m.call('registry.info', {})).did);
    expect((await m.call('registry.bucket.get', {})).mirrored).toBe(1);
    // The overlay URI serves the bytes: the publisher's server goes away and ana fetches from mia.
    server.bytes('/es.txt', text('gone'));
    const probed = await a.call('registry.content.probe', { uri: overlay });
    expect(probed).toMatchObject({ hash: esRec.hash, size: es.length });
  });
});
