// Registry replication over the p2p host (docs/registry.md §7), shaped like identity's: our own
// and API statements are pushed on a gossip topic; every peer we connect to is reconciled (range-
// based set reconciliation over (iat, id)) and what we lack is fetched, records first so the
// statements attached to them find them. Blobs are served in chunks on their own protocol.
import { bytesToHex } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import { b64urlFromBytes, b64urlToBytes } from '../../src-shared/identity/jws.ts';
import { buildReconcileSet, type ReconcileSet } from '../../src-shared/identity/reconcile-set.ts';
import { reconcileWith, respondReconcile } from '../../src-shared/identity/reconcile.ts';
import { keyHintBytes, fetchResponseJson } from '../../src-shared/identity/replication.ts';
import { isConflictReason, reasonOf } from '../../src-shared/registry/errors.ts';
import { SHA512_HEX } from '../../src-shared/registry/fields.ts';
import { MAX_STATEMENT_CHARS, peekKind } from '../../src-shared/registry/statements.ts';
import { KeyedRateLimiter } from '../../src-shared/protocol/rate-limit.ts';
import type { Logger } from '../kernel/log.ts';
import { sleep } from '../kernel/time.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { BlobStore } from './blobs.ts';
import { OVERLAY_CHUNK, type OverlayPort } from './fetch.ts';
import type { Registry } from './registry.ts';
import type { RegistryRepo } from './repo.ts';

export const REGISTRY_TOPIC = '/hashlock/registry/statements/1';
export const RECONCILE_PROTOCOL = '/hashlock/registry/reconcile/1';
export const FETCH_PROTOCOL = '/hashlock/registry/fetch/1';
export const CONTENT_PROTOCOL = '/hashlock/registry/content/1';
const MAX_PUSH_BYTES = 20 * 1024;
const FETCH_BATCH = 512;

const WireStatement = z
  .object({ content: z.string().max(MAX_STATEMENT_CHARS), key: z.string().max(64).optional() })
  .strict();
type WireStatement = z.infer<typeof WireStatement>;
const PushMessage = WireStatement.extend({ v: z.literal(1) }).strict();
const FetchRequest = z.object({ v: z.literal(1), ids: z.array(z.string().max(64)).max(1024) }).strict();
const FetchResponse = z.object({ v: z.literal(1), records: z.array(WireStatement).max(1024) }).strict();
const ContentRequest = z
  .object({
    v: z.literal(1),
    hash: z.string().regex(SHA512_HEX),
    offset: z.number().int().min(0),
    length: z.number().int().min(1).max(OVERLAY_CHUNK),
  })
  .strict();
const ContentResponse = z.object({ v: z.literal(1), size: z.number().int().min(0), data: z.string() }).strict();

export interface RegistryReplication {
  start(): Promise<void>;
  stop(): void;
  syncWith(peerId: string): Promise<{ need: number; stored: number }>;
  readonly overlay: OverlayPort;
}

export interface ReplicationDeps {
  readonly p2p: P2pHost;
  readonly repo: RegistryRepo;
  readonly registry: Registry;
  readonly blobs: BlobStore;
  readonly log: Logger;
  readonly now: () => number;
  readonly resyncMs?: number;
}

const wireOf = (content: string, key: Uint8Array | undefined): WireStatement =>
  key ? { content, key: b64urlFromBytes(key) } : { content };

/** Ingests one statement from a peer; an invalid one is an offence, a conflict is not. */
async function ingestFrom(
  d: ReplicationDeps,
  peerId: string,
  w: WireStatement,
  where: 'push' | 'fetch',
): Promise<boolean> {
  try {
    const o = await d.registry.accept(w.content, {
      via: where === 'push' ? 'gossip' : 'sync',
      peerId,
      keyHint: keyHintBytes(w.key),
    });
    return o.status !== 'unchanged';
  } catch (err) {
    const reason = reasonOf(err);
    if (!isConflictReason(reason)) {
      d.p2p.penalize(
        peerId,
        where === 'push' ? 'malformed' : 'badResponse',
        `registry: ${reason ?? (err as Error).message}`,
      );
    }
    return false;
  }
}

/** Fetches statements by id from a peer; an answer off its schema is an offence. */
async function fetchBatch(p2p: P2pHost, peerId: string, ids: string[]): Promise<WireStatement[] | undefined> {
  const raw = await p2p.request(peerId, FETCH_PROTOCOL, { v: 1, ids }, { timeoutMs: 30_000 });
  const parsed = FetchResponse.safeParse(raw);
  if (!parsed.success) {
    p2p.penalize(peerId, 'badResponse', 'registry fetch answer does not match its schema');
    return undefined;
  }
  return parsed.data.records;
}

/** Content chunks asked of peers (the overlay a download reads through). */
function contentOverlay(p2p: P2pHost): OverlayPort {
  return {
    async chunk(peerId, hash, offset, length, timeoutMs) {
      // The host's request budget per peer (docs/p2p.md) refuses bursts; back off and ask again.
      for (let attempt = 0; ; attempt++) {
        try {
          const raw = await p2p.request(peerId, CONTENT_PROTOCOL, { v: 1, hash, offset, length }, { timeoutMs });
          const parsed = ContentResponse.safeParse(raw);
          const data = parsed.success ? b64urlToBytes(parsed.data.data) : undefined;
          if (!parsed.success || !data || data.length > length) {
            p2p.penalize(peerId, 'badResponse', 'registry content answer is malformed');
            throw new ApiError('PEER_REFUSED', 'the peer sent a malformed content chunk');
          }
          return { size: parsed.data.size, data };
        } catch (err) {
          if (attempt >= 4 || !/rate|limit|refused/i.test((err as Error).message)) throw err;
          await sleep(250 * (attempt + 1));
        }
      }
    },
  };
}

/** Answers a peer's fetch: the statements asked for that this node holds. */
function serveFetch(repo: RegistryRepo, req: unknown) {
  const parsed = FetchRequest.safeParse(req);
  if (!parsed.success) throw new ApiError('INVALID_PARAMS', 'not a registry fetch request');
  const out: WireStatement[] = [];
  for (const id of parsed.data.ids) {
    const bytes = b64urlToBytes(id);
    const s = bytes?.length === 32 ? repo.statement(bytesToHex(bytes)) : undefined;
    if (s) out.push(wireOf(s.content, s.publicKey));
  }
  return fetchResponseJson(out);
}

/** Answers a peer's content request: a chunk of content this node holds. */
function serveContent(d: ReplicationDeps, req: unknown) {
  const parsed = ContentRequest.safeParse(req);
  if (!parsed.success) throw new ApiError('INVALID_PARAMS', 'not a registry content request');
  const { hash, offset, length } = parsed.data;
  const chunk = d.repo.blob(hash) ? d.blobs.read(hash, offset, length) : undefined;
  if (!chunk) throw new ApiError('NOT_FOUND', 'this node does not hold that content');
  return { v: 1, size: chunk.size, data: b64urlFromBytes(chunk.data) };
}

/** Statements peers push on the topic: size- and rate-limited per peer, parsed, then ingested. */
function pushReceiver(d: ReplicationDeps) {
  const perPeer = new KeyedRateLimiter({ capacity: 500, refillPerSec: 50 });
  return (from: string, data: Uint8Array): void => {
    if (data.length > MAX_PUSH_BYTES) return d.p2p.penalize(from, 'oversize', `registry push of ${data.length} bytes`);
    if (!perPeer.take(from, d.now()))
      return d.p2p.penalize(from, 'rateLimited', 'registry: too many statements pushed');
    let msg: z.infer<typeof PushMessage>;
    try {
      msg = PushMessage.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data)));
    } catch {
      return d.p2p.penalize(from, 'malformed', 'registry push is not a push message');
    }
    void ingestFrom(d, from, msg, 'push');
  };
}

export function createReplication(d: ReplicationDeps): RegistryReplication {
  const syncing = new Map<string, Promise<{ need: number; stored: number }>>();
  const lastSync = new Map<string, number>();
  const offs: Array<() => void> = [];
  let set: ReconcileSet | undefined;
  let stopped = false;
  const resyncMs = d.resyncMs ?? 5 * 60_000;
  const reconcileSet = () => (set ??= buildReconcileSet(d.repo.reconcileItems()));

  const onPush = pushReceiver(d);

  async function session(peerId: string): Promise<{ need: number; stored: number }> {
    const outcome = await reconcileWith(reconcileSet(), (m) =>
      d.p2p.request(peerId, RECONCILE_PROTOCOL, m, { timeoutMs: 30_000 }),
    );
    const got: WireStatement[] = [];
    for (let i = 0; i < outcome.need.length; i += FETCH_BATCH) {
      const batch = await fetchBatch(d.p2p, peerId, outcome.need.slice(i, i + FETCH_BATCH));
      if (!batch) break;
      got.push(...batch);
    }
    // Records first, trust any time, then what hangs on records (URIs, co-signatures, witnesses).
    const order = { record: 0, trust: 1, uri: 2, cosign: 3, witness: 4 } as const;
    got.sort((a, b) => (order[peekKind(a.content) ?? 'witness'] ?? 5) - (order[peekKind(b.content) ?? 'witness'] ?? 5));
    let stored = 0;
    for (const w of got) if (await ingestFrom(d, peerId, w, 'fetch')) stored++;
    lastSync.set(peerId, d.now());
    if (outcome.need.length > 0) d.log.info('registry catch-up', { peerId, need: outcome.need.length, stored });
    return { need: outcome.need.length, stored };
  }

  const syncWith = (peerId: string) => {
    let running = syncing.get(peerId);
    if (!running) {
      running = session(peerId).finally(() => syncing.delete(peerId));
      syncing.set(peerId, running);
    }
    return running;
  };

  function syncInBackground(peerId: string): void {
    if (stopped || syncing.has(peerId) || d.p2p.isBanned(peerId)) return;
    const last = lastSync.get(peerId);
    if (last !== undefined && d.now() - last < resyncMs) return;
    syncWith(peerId).catch((err: unknown) =>
      d.log.info('registry catch-up failed', { peerId, error: (err as Error).message }),
    );
  }

  return {
    overlay: contentOverlay(d.p2p),
    syncWith,
    async start() {
      offs.push(
        d.registry.onChange((c) => {
          set = undefined;
          if (c.via !== 'self' && c.via !== 'api') return;
          const data = new TextEncoder().encode(
            JSON.stringify({ v: 1, ...wireOf(c.statement.content, c.statement.publicKey) }),
          );
          d.p2p.publish(REGISTRY_TOPIC, data).catch((err: unknown) => {
            d.log.info('could not push a registry statement', { error: (err as Error).message });
          });
        }),
      );
      offs.push(d.p2p.subscribe(REGISTRY_TOPIC, (m) => onPush(m.from, m.data)));
      await d.p2p.handleRequest(RECONCILE_PROTOCOL, async (req) => respondReconcile(reconcileSet(), req));
      await d.p2p.handleRequest(FETCH_PROTOCOL, async (req) => serveFetch(d.repo, req));
      await d.p2p.handleRequest(CONTENT_PROTOCOL, async (req) => serveContent(d, req));
      offs.push(d.p2p.onPeersChanged((peers) => peers.forEach((p) => syncInBackground(p.peerId))));
      for (const p of d.p2p.peers()) syncInBackground(p.peerId);
    },
    stop() {
      stopped = true;
      for (const off of offs.splice(0)) off();
    },
  };
}
