// Acceptance (docs/registry.md §4): every statement, wherever it comes from, is verified, judged
// in the specified order and stored in one transaction, or refused with a reason and nothing
// stored. Records from the API must show their content first; records from peers are stored
// unverified and checked by the witness queue. The trust graph is kept in memory beside the store.
import { ApiError } from '../../src-shared/api/errors.ts';
import type { KeyCache, Sha256Verifier } from '../../src-shared/identity/verify.ts';
import { reasonOf, registryError, registryFail } from '../../src-shared/registry/errors.ts';
import { parseContentUri } from '../../src-shared/registry/fields.ts';
import {
  signStatement,
  verifyStatement,
  type Statement,
  type StatementOf,
  type StatementSigner,
} from '../../src-shared/registry/statements.ts';
import { createTrustGraph, trustReplaces, type TrustGraph } from '../../src-shared/registry/trust.ts';
import type { Logger } from '../kernel/log.ts';
import type { BlobStore } from './blobs.ts';
import { fetchContent, uriStateOf, type FetchPolicy, type OverlayPort, type Sink } from './fetch.ts';
import type { RecordRow, RegistryRepo, Via } from './repo.ts';

export interface Source {
  readonly via: Via;
  readonly peerId?: string;
  readonly keyHint?: Uint8Array;
}

export interface Outcome {
  readonly id: string;
  readonly kind: Statement['kind'];
  readonly status: 'created' | 'updated' | 'unchanged';
  readonly statement: Statement;
}

export interface Change {
  readonly statement: Statement;
  readonly via: Via;
}

export interface RegistryDeps {
  readonly repo: RegistryRepo;
  readonly blobs: BlobStore;
  readonly policy: FetchPolicy;
  readonly overlay: OverlayPort;
  readonly nodeKey: StatementSigner;
  /** This node's peer id: its own hashlock:// URIs are served from its blobs, never fetched. */
  readonly selfPeerId: string;
  readonly witness: { enabled: boolean; maxBytes: number };
  readonly keys: KeyCache;
  readonly verifier?: Sha256Verifier;
  readonly log: Logger;
  readonly now: () => number;
}

export interface Registry {
  readonly graph: TrustGraph;
  accept(content: string, source: Source): Promise<Outcome>;
  /** Fetches `uri` into a blob if it yields `expected`; the blob is kept only when verified. */
  fetchToBlob(uri: string, expected: { hash: string; size: number }, source: 'upload' | 'mirror'): Promise<void>;
  /** Checks an unverified record's content (the witness queue), or every URI of a content again. */
  checkContent(hash: string): Promise<'verified' | 'unverified' | 'mismatch'>;
  /** A verified blob of `hash` is now held: its records are verified and witnessed. */
  blobStored(hash: string): Promise<void>;
  onChange(listener: (c: Change) => void): () => void;
}

const isLocal = (via: Via) => via === 'self' || via === 'api';

export function createRegistry(d: RegistryDeps): Registry {
  const graph = createTrustGraph();
  for (const t of d.repo.trustAll()) {
    const s = verifyStatement(t.content, { keys: d.keys, verifier: d.verifier, keyHint: t.publicKey });
    if (s.kind === 'trust') graph.set(s.signer, s.payload.subject, s.payload.level, s.payload.languages);
  }
  const listeners = new Set<(c: Change) => void>();
  const emit = (c: Change) => {
    for (const l of listeners) {
      try {
        l(c);
      } catch (err) {
        d.log.warn('registry listener failed', { error: (err as Error).message });
      }
    }
  };

  /** Tries URIs in order until one yields the content; marks every URI it tried. */
  async function fetchFirst(
    hash: string,
    size: number,
    uris: readonly string[],
    sink?: () => Sink & { abort(): void; commit(h: string): void },
  ) {
    const tried: Array<{
      uri: string;
      state: 'ok' | 'bad' | 'unreachable' | 'refused';
      detail: string | null;
      err?: unknown;
    }> = [];
    for (const uri of uris) {
      const incoming = sink?.();
      try {
        await fetchContent(uri, { hash, size }, d.policy, { overlay: d.overlay, sink: incoming });
        incoming?.commit(hash);
        tried.push({ uri, state: 'ok', detail: null });
        return { ok: true as const, tried };
      } catch (err) {
        incoming?.abort();
        tried.push({ uri, ...uriStateOf(err), err });
      }
    }
    return { ok: false as const, tried };
  }

  function refusalOf(tried: ReadonlyArray<{ uri: string; err?: unknown }>): ApiError {
    const reasons = new Set(tried.map((t) => reasonOf(t.err)));
    if (tried.length === 1 || reasons.size === 1) {
      const first = tried[0]!.err;
      if (first instanceof ApiError) {
        const details = {
          ...(first.details as object),
          uris: tried.map((t) => ({ uri: t.uri, reason: reasonOf(t.err), message: (t.err as Error).message })),
        };
        return new ApiError(first.code, first.message, details);
      }
    }
    return registryError('CONTENT_UNREACHABLE', 'no URI of the record yields content with its hash', {
      uris: tried.map((t) => ({ uri: t.uri, reason: reasonOf(t.err), message: (t.err as Error).message })),
    });
  }

  function markTried(hash: string, tried: ReadonlyArray<{ uri: string; state: string; detail: string | null }>) {
    const at = d.now();
    for (const t of tried) d.repo.setUri(hash, t.uri, t.state as never, at, t.detail);
  }

  async function acceptRecord(s: StatementOf<'record'>, source: Source): Promise<'created' | 'unchanged'> {
    const p = s.payload;
    let status: 'verified' | 'unverified' = 'unverified';
    let tried: Awaited<ReturnType<typeof fetchFirst>>['tried'] = [];
    if (d.repo.contentVerified(p.hash)) status = 'verified';
    else if (isLocal(source.via)) {
      const r = await fetchFirst(p.hash, p.size, p.uris);
      if (!r.ok) throw refusalOf(r.tried);
      status = 'verified';
      tried = r.tried;
    }
    const stored = d.repo.transaction(() => {
      if (d.repo.statement(s.id)) return false;
      d.repo.insertStatement(s, source.via, source.peerId ?? null, d.now());
      d.repo.insertRecord(s, status, d.now());
      // Our own overlay URI of a blob we hold is served from disk: it is known good.
      for (const uri of p.uris) {
        const own = ownServed(uri, p.hash);
        d.repo.addUri(p.hash, uri, null, own ? 'ok' : 'unchecked', own ? d.now() : null, null);
      }
      markTried(p.hash, tried);
      return true;
    });
    return stored ? 'created' : 'unchanged';
  }

  async function acceptUri(s: StatementOf<'uri'>, source: Source): Promise<'created' | 'unchanged'> {
    const p = s.payload;
    const records = d.repo.recordsOfHash(p.hash);
    if (records.length === 0) registryFail('RECORD_UNKNOWN', 'no record of this content is stored here');
    if (d.repo.uri(p.hash, p.uri)?.addedBy) registryFail('DUPLICATE', 'this URI was already added');
    let state: 'unchecked' | 'ok' = 'unchecked';
    const ours = ownServed(p.uri, p.hash);
    if (ours) state = 'ok';
    else if (isLocal(source.via)) {
      await fetchContent(p.uri, { hash: p.hash, size: records[0]!.size }, d.policy, { overlay: d.overlay });
      state = 'ok';
    }
    return d.repo.transaction(() => {
      if (d.repo.statement(s.id)) return 'unchanged';
      d.repo.insertStatement(s, source.via, source.peerId ?? null, d.now());
      d.repo.addUri(p.hash, p.uri, s.id, state, state === 'ok' ? d.now() : null, null);
      if (state === 'ok') d.repo.setUri(p.hash, p.uri, 'ok', d.now(), null);
      return 'created';
    });
  }

  function acceptAttached(s: StatementOf<'cosign'> | StatementOf<'witness'>, source: Source): 'created' {
    const record = d.repo.record(s.payload.record);
    if (!record) registryFail('RECORD_UNKNOWN', 'the record it names is not stored here');
    if (record.hash !== s.payload.hash) {
      registryFail(s.kind === 'cosign' ? 'COSIGN_INVALID' : 'WITNESS_INVALID', "the hash is not the record's");
    }
    if (s.kind === 'cosign' && s.signer === record.signer)
      registryFail('COSIGN_SELF', "a record's signer does not co-sign it");
    if (d.repo.hasSignerRecord(s.kind, s.signer, record.id))
      registryFail('DUPLICATE', `${s.signer} already signed this record`);
    d.repo.transaction(() => d.repo.insertStatement(s, source.via, source.peerId ?? null, d.now()));
    return 'created';
  }

  function acceptTrust(s: StatementOf<'trust'>, source: Source): 'created' | 'updated' {
    const p = s.payload;
    const stored = d.repo.trustSlot(s.signer, p.subject);
    const incoming = { iat: s.iat, level: p.level, id: s.id };
    if (stored && !trustReplaces({ iat: stored.iat, level: stored.level as never, id: stored.id }, incoming)) {
      registryFail('STALE', 'a newer trust statement for this pair is stored');
    }
    d.repo.transaction(() => d.repo.replaceTrust(s, source.via, source.peerId ?? null, d.now()));
    graph.set(s.signer, p.subject, p.level, p.languages);
    return stored ? 'updated' : 'created';
  }

  async function witness(record: RecordRow | StatementOf<'record'>): Promise<void> {
    if (!d.witness.enabled) return;
    const id = record.id;
    const hash = 'hash' in record ? record.hash : record.payload.hash;
    if (d.repo.hasSignerRecord('witness', d.nodeKey.did, id)) return;
    const content = signStatement('witness', { record: id, hash }, d.nodeKey, d.now());
    await accept(content, { via: 'self' }).catch((err: unknown) => {
      if (reasonOf(err) !== 'DUPLICATE')
        d.log.warn('could not witness a record', { id, error: (err as Error).message });
    });
  }

  async function accept(content: string, source: Source): Promise<Outcome> {
    const s = verifyStatement(content, { keys: d.keys, verifier: d.verifier, keyHint: source.keyHint });
    if (d.repo.statement(s.id)) return { id: s.id, kind: s.kind, status: 'unchanged', statement: s };
    let status: Outcome['status'];
    switch (s.kind) {
      case 'record':
        status = await acceptRecord(s, source);
        break;
      case 'uri':
        status = await acceptUri(s, source);
        break;
      case 'cosign':
      case 'witness':
        status = acceptAttached(s, source);
        break;
      case 'trust':
        status = acceptTrust(s, source);
        break;
    }
    if (status !== 'unchanged') {
      emit({ statement: s, via: source.via });
      if (s.kind === 'record' && d.repo.record(s.id)?.status === 'verified') await witness(s);
    }
    return { id: s.id, kind: s.kind, status, statement: s };
  }

  /** Our own overlay URI of a blob we hold: served from disk, never fetched from ourselves. */
  function ownServed(uri: string, hash: string): boolean {
    const u = parseContentUri(uri);
    return 'scheme' in u && u.scheme === 'hashlock' && u.peerId === d.selfPeerId && d.blobs.has(hash);
  }

  async function checkContent(hash: string): Promise<'verified' | 'unverified' | 'mismatch'> {
    const records = d.repo.recordsOfHash(hash);
    if (records.length === 0) registryFail('NOT_FOUND', 'no record of this content');
    const size = records[0]!.size;
    const uris = d.repo
      .uris(hash)
      .map((u) => u.uri)
      .filter((u) => !('problem' in parseContentUri(u)));
    const tried: Array<{ uri: string; state: string; detail: string | null }> = [];
    for (const uri of uris) {
      if (ownServed(uri, hash)) {
        tried.push({ uri, state: 'ok', detail: null });
        continue;
      }
      try {
        await fetchContent(uri, { hash, size }, d.policy, { overlay: d.overlay });
        tried.push({ uri, state: 'ok', detail: null });
      } catch (err) {
        tried.push({ uri, ...uriStateOf(err) });
      }
    }
    markTried(hash, tried);
    const anyOk = tried.some((t) => t.state === 'ok') || d.blobs.has(hash);
    const anyBad = tried.some((t) => t.state === 'bad');
    const status = anyOk
      ? 'verified'
      : anyBad
        ? 'mismatch'
        : records.some((r) => r.status === 'verified')
          ? 'verified'
          : 'unverified';
    d.repo.setStatusOfHash(hash, status);
    if (status === 'verified' && size <= d.witness.maxBytes) {
      for (const r of d.repo.recordsOfHash(hash)) await witness(r);
    }
    return status;
  }

  return {
    graph,
    accept,
    async fetchToBlob(uri, expected, source) {
      if (d.blobs.has(expected.hash)) {
        d.repo.addBlob(expected.hash, expected.size, source, d.now());
        return;
      }
      const r = await fetchFirst(expected.hash, expected.size, [uri], () => d.blobs.receive());
      if (!r.ok) throw refusalOf(r.tried);
      d.repo.addBlob(expected.hash, expected.size, source, d.now());
    },
    checkContent,
    async blobStored(hash) {
      d.repo.setStatusOfHash(hash, 'verified');
      for (const r of d.repo.recordsOfHash(hash)) await witness(r);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
