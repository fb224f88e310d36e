// The registry on the node: acceptance, replication, witnessing, URI re-checks, the bucket and
// local content, wired together, and the handlers of the registry.* contract methods.
import type { Handlers } from '../kernel/module.ts';
import type { Identities } from '../identity/index.ts';
import { createSecpVerifier } from '../identity/index.ts';
import { createKeyCache } from '../../src-shared/identity/verify.ts';
import type { BucketView } from '../../src-shared/registry/contract.ts';
import { registryFail } from '../../src-shared/registry/errors.ts';
import { checkLanguageTag, languageRangeProblem, overlayUri } from '../../src-shared/registry/fields.ts';
import { signStatement, type StatementSigner } from '../../src-shared/registry/statements.ts';
import type { Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/index.ts';
import { createBlobStore } from './blobs.ts';
import { createBucket } from './bucket.ts';
import type { RegistryConfig } from './config.ts';
import { createContentIntake } from './content.ts';
import { fetchContent } from './fetch.ts';
import { loadNodeKey } from './node-key.ts';
import { createRegistry, type Change } from './registry.ts';
import { createReplication } from './replication.ts';
import type { RegistryRepo } from './repo.ts';
import { createViews } from './views.ts';
import { createWatcher } from './watcher.ts';

export interface RegistryNodeDeps {
  readonly repo: RegistryRepo;
  readonly identities: Identities;
  readonly p2p: P2pHost;
  readonly config: RegistryConfig;
  readonly dataDir: string;
  readonly log: Logger;
  readonly now: () => number;
  readonly emit: {
    updated: (e: { id: string; kind: Change['statement']['kind']; hash: string | null }) => void;
    bucket: (e: BucketView) => void;
  };
}

type RegistryHandlers = Pick<Handlers, Extract<keyof Handlers, `registry.${string}`>>;

export function createRegistryNode(d: RegistryNodeDeps) {
  const blobs = createBlobStore(d.dataDir);
  const nodeKey = loadNodeKey(d.dataDir);
  const overlayRef: { chunk?: import('./fetch.ts').OverlayPort['chunk'] } = {};
  const registry = createRegistry({
    repo: d.repo,
    blobs,
    policy: d.config.fetch,
    overlay: { chunk: (...a) => overlayRef.chunk!(...a) },
    nodeKey,
    selfPeerId: d.p2p.peerId,
    witness: d.config.witness,
    keys: createKeyCache(),
    verifier: createSecpVerifier(),
    log: d.log,
    now: d.now,
  });
  const replication = createReplication({ p2p: d.p2p, repo: d.repo, registry, blobs, log: d.log, now: d.now });
  overlayRef.chunk = replication.overlay.chunk;
  const views = createViews({
    repo: d.repo,
    blobs,
    graph: registry.graph,
    identities: d.identities,
    settleWitnesses: d.config.settleWitnesses,
    trustDepth: d.config.trustDepth,
  });
  const bucket = createBucket({
    repo: d.repo,
    registry,
    blobs,
    graph: registry.graph,
    nodeKey,
    peerId: () => d.p2p.peerId,
    settleWitnesses: d.config.settleWitnesses,
    retryMs: d.config.recheckMs,
    log: d.log,
    now: d.now,
    onStatus: d.emit.bucket,
  });
  const watcher = createWatcher({ repo: d.repo, registry, config: d.config, log: d.log, now: d.now });
  const content = createContentIntake({
    blobs,
    repo: d.repo,
    maxBytes: d.config.fetch.maxBytes,
    peerId: () => d.p2p.peerId,
    now: d.now,
    stored: (hash) => registry.blobStored(hash),
  });

  /** One of our identities as a statement signer (the vault signs). */
  function signerFor(did: string): StatementSigner {
    if (!d.identities.mine().some((m) => m.did === did))
      registryFail('NOT_FOUND', `${did} is not one of this node's identities`);
    return { did, signDigest: (digest) => d.identities.sign(did, digest) };
  }

  const recordView = async (id: string) => {
    const r = d.repo.record(id) ?? d.repo.recordsOfHash(id)[0];
    if (!r) registryFail('NOT_FOUND', 'no such record here');
    return views.record(r);
  };

  const handlers: RegistryHandlers = {
    'registry.info': () => {
      const c = d.repo.counts();
      return {
        did: nodeKey.did,
        peerId: d.p2p.peerId,
        records: c.records,
        statements: c.statements,
        trustEdges: registry.graph.size,
        settleWitnesses: d.config.settleWitnesses,
      };
    },
    'registry.publish': async (p) => {
      const signer = signerFor(p.did);
      checkLanguageTag(p.language);
      let { hash, size } = p;
      let uris = p.uris ?? [];
      if (hash === undefined || size === undefined) {
        if (hash !== undefined && d.repo.blob(hash)) size = d.repo.blob(hash)!.size;
        else {
          if (uris.length === 0) registryFail('URI_INVALID', 'give a URI, or the hash of an uploaded file');
          const probed = await fetchContent(uris[0]!, { hash }, d.config.fetch, { overlay: replication.overlay });
          hash = probed.hash;
          size = probed.size;
        }
      }
      if (uris.length === 0) {
        if (!d.repo.blob(hash)) registryFail('URI_INVALID', 'no URI given and this node does not hold the content');
        uris = [overlayUri(d.p2p.peerId, hash)];
      }
      const content = signStatement(
        'record',
        {
          hash,
          size,
          name: p.name,
          language: p.language,
          licence: p.licence,
          format: p.format,
          uris,
          relations: p.relations ?? [],
          parties: p.parties ?? [],
        },
        signer,
        d.now(),
      );
      const o = await registry.accept(content, { via: 'self' });
      return recordView(o.id);
    },
    'registry.submit': async (p) => {
      const o = await registry.accept(p.content, { via: 'api' });
      return { id: o.id, kind: o.kind, status: o.status };
    },
    'registry.cosign': async (p) => {
      const r = d.repo.record(p.id);
      if (!r) registryFail('NOT_FOUND', 'no such record here');
      await registry.accept(signStatement('cosign', { record: r.id, hash: r.hash }, signerFor(p.did), d.now()), {
        via: 'self',
      });
      return recordView(r.id);
    },
    'registry.uri.add': async (p) => {
      const o = await registry.accept(signStatement('uri', { hash: p.hash, uri: p.uri }, signerFor(p.did), d.now()), {
        via: 'self',
      });
      return { id: o.id, kind: o.kind, status: o.status };
    },
    'registry.search': async (p) => {
      if (p.language) {
        const problem = languageRangeProblem(p.language);
        if (problem) registryFail('LANGUAGE_INVALID', problem);
      }
      const limit = p.limit ?? 50;
      const m = p.cursor ? /^(\d+):([0-9a-f]{64})$/.exec(p.cursor) : null;
      const s = views.session();
      const items = [];
      let before = m ? { receivedAt: Number(m[1]), id: m[2]! } : undefined;
      let last: { receivedAt: number; id: string } | undefined;
      // Trust filtering happens after SQL: scan in pages until the page is full or rows run out.
      for (let scanned = 0; items.length < limit && scanned < 5_000;) {
        const rows = d.repo.search({ ...p, before, limit: Math.max(limit, 100) });
        if (rows.length === 0) break;
        for (const r of rows) {
          scanned++;
          last = { receivedAt: r.receivedAt, id: r.id };
          if (p.trustDepth !== undefined) {
            const reached = s.trustedFor(r.language).get(r.signer);
            if (!s.mine.includes(r.signer) && (!reached || reached.depth > p.trustDepth)) continue;
          }
          items.push(await views.summary(r, s));
          if (items.length === limit) break;
        }
        before = last;
      }
      return { items, cursor: items.length === limit && last ? `${last.receivedAt}:${last.id}` : null };
    },
    'registry.get': (p) => recordView(p.id),
    'registry.recheck': async (p) => {
      const r = d.repo.record(p.id);
      if (!r) registryFail('NOT_FOUND', 'no such record here');
      await registry.checkContent(r.hash);
      return recordView(r.id);
    },
    'registry.trust.set': async (p) => {
      const content = signStatement(
        'trust',
        { subject: p.subject, level: p.level, languages: p.languages ?? null },
        signerFor(p.did),
        Math.max(d.now(), (d.repo.trustSlot(p.did, p.subject)?.iat ?? -1) + 1),
      );
      await registry.accept(content, { via: 'self' });
      return views.trust(d.repo.trustSlot(p.did, p.subject)!, views.session());
    },
    'registry.trust.list': async (p) => {
      const dids = p.did ? [p.did] : views.roots();
      const s = views.session();
      const items = await Promise.all(dids.flatMap((did) => d.repo.trustBySigner(did)).map((t) => views.trust(t, s)));
      const trustedBy = await Promise.all(
        dids.flatMap((did) => d.repo.trustBySubject(did)).map((t) => views.trust(t, s)),
      );
      return { items, trustedBy };
    },
    'registry.trust.query': async (p) => {
      if (p.language) checkLanguageTag(p.language);
      const roots = p.roots ?? views.roots();
      const reached = registry.graph.trustedFor(roots, p.language, p.depth);
      const s = views.session();
      const items = await Promise.all(
        [...reached].map(async ([did, r]) => ({ did, name: await s.name(did), depth: r.depth, via: r.via })),
      );
      return { items: items.sort((a, b) => a.depth - b.depth || a.did.localeCompare(b.did)) };
    },
    'registry.bucket.get': () => bucket.view(),
    'registry.bucket.dryRun': (p) => bucket.dryRun(p),
    'registry.bucket.set': (p) => bucket.set(p),
    'registry.content.upload': (p) => content.upload(p),
    'registry.content.add': (p) => content.addFile(p.path),
    'registry.content.probe': async (p) => fetchContent(p.uri, {}, d.config.fetch, { overlay: replication.overlay }),
  };

  return {
    handlers,
    async start() {
      registry.onChange((c) => {
        const p = c.statement.payload as { hash?: string };
        d.emit.updated({ id: c.statement.id, kind: c.statement.kind, hash: p.hash ?? null });
        if (c.statement.kind === 'record') {
          bucket.kick();
          if (c.via === 'gossip' || c.via === 'sync') watcher.queue(p.hash!);
        }
        if (c.statement.kind === 'cosign' || c.statement.kind === 'witness' || c.statement.kind === 'trust')
          bucket.kick();
      });
      await replication.start();
      watcher.start();
      bucket.kick();
    },
    async stop() {
      replication.stop();
      content.abortAll();
      await watcher.stop();
      await bucket.stop();
    },
  };
}
