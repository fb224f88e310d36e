// Identity replication over the p2p host (docs/identity.md §5): our own writes are pushed on the
// gossip topic; a node catches up with every peer it connects to by range-based set
// reconciliation and fetches only what it lacks, verified off-thread and stored in batches.
// Everything a peer sends is schema-checked, verified and judged like any other record;
// offences are scored, floods of new identities are rate-limited per peer.
import { bytesToHex } from '@noble/hashes/utils.js';
import { ApiError } from '../../src-shared/api/errors.ts';
import { b64urlFromBytes, b64urlToBytes } from '../../src-shared/identity/jws.ts';
import { buildReconcileSet, type ReconcileSet } from '../../src-shared/identity/reconcile-set.ts';
import {
  RESPONDER_MAX_BYTES,
  reconcileWith,
  respondReconcile,
  type ReconcileOutcome,
} from '../../src-shared/identity/reconcile.ts';
import {
  FETCH_FRAME_CAPS,
  FETCH_PROTOCOL,
  FETCH_PROTOCOL_V1,
  FetchRequest,
  FetchRequestV1,
  MAX_FETCH2_RESPONSE_BYTES,
  MAX_FETCH_IDS_V1,
  FetchResponse,
  IDENTITY_TOPIC,
  MAX_PUSH_BYTES,
  PushMessage,
  RECONCILE_PROTOCOL,
  keyHintBytes,
  offenceFor,
  fetchResponseJson,
  type WireRecord,
} from '../../src-shared/identity/replication.ts';
import { addressOfDid } from '../../src-shared/identity/verify.ts';
import { KeyedRateLimiter, type TokenBucketConfig } from '../../src-shared/protocol/rate-limit.ts';
import type { Logger } from '../kernel/log.ts';
import { peerFailure, type Offence, type P2pHost } from '../p2p/index.ts';
import { sleep } from '../kernel/time.ts';
import type { IngestSource, Registry } from './registry.ts';
import type { IdentityRepo } from './repo.ts';
import { nodeWireIdOf } from './secp-verify.ts';
import { START_POOL_JOBS, type VerifyPool, type VerifyResult } from './verify-pool.ts';

export const LOOKUP_PROTOCOL = '/hashlock/identity/lookup/1';
const MAX_LOOKUP_DIDS = 64;
/**
 * Records fetched, verifying or waiting ahead of the batch being stored (bounds the memory held):
 * at least this many, and at least 3 batches.
 */
const FETCH_AHEAD_RECORDS = 8192;
/**
 * Fetches asked at once: while this node verifies and stores one answer, the serving node already
 * prepares the next (reads and encodes ~2.7 MB).
 */
const FETCHES_ON_WIRE = 2;
/**
 * Verified records stored in one transaction. Record ids and DIDs are random keys, so a commit
 * rewrites most index pages it touches: 1,024 a commit wrote 1.8 GB for 100,000 records, 8,192
 * a commit 0.5 GB (docs/identity.md §12).
 */
const STORE_RECORDS = 8192;

/**
 * Where one catch-up session's time went (logged with its end): reconciliation, which the first
 * fetches already overlap; fetches (one after the other) and verifications (in the pool, several
 * batches at once) overlap with storing; waitMs is this thread waiting for the next verified
 * batch. One per session: sessions with different peers run at once.
 */
type Timing = ReturnType<typeof newTiming>;
const newTiming = () => ({ reconcileMs: 0, fetchMs: 0, verifyMs: 0, waitMs: 0, storeMs: 0 });

/** One session's fetching: ids go in as reconciliation finds them (fetchAndStore). */
interface FetchPipeline {
  add(ids: readonly string[]): void;
  end(): void;
  abort(): void;
  readonly stored: Promise<number>;
}

export interface ReplicationOptions {
  /** New DIDs a peer may push by gossip: beyond it, pushes of unknown identities are dropped and scored. */
  readonly newPerPeer: TokenBucketConfig;
  /** Records one peer may hand us in one catch-up. */
  readonly maxFetchPerSession: number;
  /** A peer is reconciled again after this long (heals missed gossip). */
  readonly resyncMs: number;
  /**
   * Ids asked in one fetch (at most MAX_FETCH_IDS). 4,096 profiles of ~550 bytes are a ~2.7 MB
   * answer, inside fetch/2's cap with room for larger records (what does not fit is asked again).
   */
  readonly fetchBatch: number;
  /** Bytes of one reconciliation answer we give (RESPONDER_MAX_BYTES; smaller in tests, for more rounds). */
  readonly reconcileAnswerBytes: number;
}

export const DEFAULT_REPLICATION: ReplicationOptions = {
  newPerPeer: { capacity: 60, refillPerSec: 1 },
  maxFetchPerSession: 250_000,
  resyncMs: 5 * 60_000,
  fetchBatch: 4096,
  reconcileAnswerBytes: RESPONDER_MAX_BYTES,
};

export interface SyncStatus {
  peersReconciled: number;
  recordsFetched: number;
  lastSyncAt: number | null;
  lastError: string | null;
}

export interface Replication {
  start(): Promise<void>;
  stop(): void;
  /** Catches up with one peer now (also run on every new connection). */
  syncWith(peerId: string): Promise<{ need: number; stored: number }>;
  /** Asks connected peers for the profiles of these DIDs and stores what verifies. */
  lookup(dids: readonly string[]): Promise<number>;
  status(): SyncStatus;
}

export interface ReplicationDeps {
  readonly p2p: P2pHost;
  readonly repo: IdentityRepo;
  readonly registry: Registry;
  readonly pool: VerifyPool;
  /** The signer's key of a DID as this node knows it (hints for the pool's workers). */
  readonly knownKey: (address: string) => Uint8Array | undefined;
  readonly log: Logger;
  readonly now: () => number;
  readonly options?: Partial<ReplicationOptions>;
  readonly onSync?: (e: {
    phase: 'reconciling' | 'fetching' | 'done' | 'failed';
    need: number;
    fetched: number;
  }) => void;
}

const wireRecordOf = (content: string, key: Uint8Array | undefined): WireRecord =>
  key ? { content, key: b64urlFromBytes(key) } : { content };

export function createReplication(d: ReplicationDeps): Replication {
  const opts = { ...DEFAULT_REPLICATION, ...d.options };
  const newDids = new KeyedRateLimiter(opts.newPerPeer);
  const status: SyncStatus = { peersReconciled: 0, recordsFetched: 0, lastSyncAt: null, lastError: null };
  const syncing = new Map<string, Promise<{ need: number; stored: number }>>();
  const lastSync = new Map<string, number>();
  let set: ReconcileSet | undefined;
  let stopped = false;
  const offs: Array<() => void> = [];

  const reconcileSet = (): ReconcileSet => (set ??= buildReconcileSet(d.repo.reconcileItems()));

  /** On the host's one count per peer (docs/p2p.md): enough points and the host bans the peer. */
  const penalize = (peerId: string, offence: Offence, detail: string) =>
    d.p2p.penalize(peerId, offence, `identity: ${detail}`);

  function onPush(from: string, data: Uint8Array): void {
    if (data.length > MAX_PUSH_BYTES) return penalize(from, 'oversize', `identity push of ${data.length} bytes`);
    let msg: PushMessage;
    try {
      msg = PushMessage.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data)));
    } catch {
      return penalize(from, 'malformed', 'identity push is not a push message');
    }
    const did = pushedDid(msg.content);
    if (did !== undefined && !d.repo.get(did) && !newDids.take(from, d.now())) {
      return penalize(from, 'rateLimited', 'too many new identities pushed');
    }
    const outcome = d.registry.ingest(msg.content, { via: 'gossip', peerId: from, keyHint: keyHintBytes(msg.key) });
    if (outcome.stored) return;
    const offence = offenceFor(outcome.reason, 'push');
    if (offence) penalize(from, offence, `${outcome.reason}: ${outcome.message.slice(0, 120)}`);
  }

  /**
   * Fetches, verifies and stores the ids handed to `add` as reconciliation finds them (round by
   * round: the first fetch leaves after the first answer, not after the last); `end` says no more
   * will come, `abort` stops asking. `stored` settles once everything asked is stored.
   */
  function fetchAndStore(peerId: string, timing: Timing): FetchPipeline {
    const size = opts.fetchBatch;
    const ahead = Math.max(3, Math.ceil(FETCH_AHEAD_RECORDS / size));
    // Three stages overlap: batches are fetched one after the other and each goes to the pool's
    // workers as it arrives, up to `ahead` batches ahead of this thread, which stores them in
    // order, STORE_RECORDS at a time (storing is this thread's work, verifying the workers').
    const progress = { fetched: 0, stop: false };
    let accepted = 0;
    let ended = false;
    const waiting: string[] = []; // found, not yet asked for
    const queue: Array<Promise<VerifyResult[] | undefined>> = []; // asked, not yet stored
    let wake: (() => void) | undefined;
    // Settled answers, in launch order: fetch n is asked once answer n - FETCHES_ON_WIRE is in.
    const settled: Promise<unknown>[] = [];
    const launch = (ids: readonly string[]): Promise<VerifyResult[] | undefined> => {
      const gate = settled.length >= FETCHES_ON_WIRE ? settled[settled.length - FETCHES_ON_WIRE]! : Promise.resolve();
      const answer = gate.then(() => (progress.stop ? undefined : timedFetch(peerId, ids, timing)));
      // A refused or failed answer ends the session: no further batch is asked for (the one
      // already on the wire beside it is the most a lying peer gets asked after its lie).
      settled.push(
        answer.then(
          (a) => void (progress.stop ||= a === undefined),
          () => void (progress.stop = true),
        ),
      );
      const results = answer.then((a) => {
        if (a === undefined) return undefined;
        progress.fetched += a.length;
        d.onSync?.({ phase: 'fetching', need: accepted, fetched: progress.fetched });
        return verifyWire(a, timing);
      });
      results.catch(() => undefined); // awaited in order below; after a failure the rest are dropped
      return results;
    };
    /** Asks for what is found while fewer than `ahead` batches wait; a short batch only at the end. */
    const pump = () => {
      while (!progress.stop && queue.length < ahead && (waiting.length >= size || (ended && waiting.length > 0))) {
        queue.push(launch(waiting.splice(0, size)));
      }
      wake?.();
    };
    const run = async (): Promise<number> => {
      let stored = 0;
      let pending: VerifyResult[] = [];
      try {
        for (;;) {
          if (queue.length === 0) {
            if (progress.stop || (ended && waiting.length === 0)) break;
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
            continue;
          }
          const t0 = performance.now();
          const results = await queue.shift()!;
          timing.waitMs += performance.now() - t0;
          if (results === undefined) break;
          pump();
          pending = pending.concat(results);
          if (pending.length >= STORE_RECORDS) {
            stored += storeVerified(peerId, pending, timing);
            pending = [];
          }
        }
      } finally {
        progress.stop = true;
        // What verified before a failed or refused fetch is stored all the same.
        stored += storeVerified(peerId, pending, timing);
        status.recordsFetched += progress.fetched;
      }
      return stored;
    };
    const stored = run();
    stored.catch(() => undefined); // awaited by the session once reconciliation is over
    return {
      add(ids) {
        const take = ids.slice(0, Math.max(0, opts.maxFetchPerSession - accepted));
        // A bulk catch-up: the pool's workers start while the first fetch is on the wire.
        if (accepted < START_POOL_JOBS && accepted + take.length >= START_POOL_JOBS) d.pool.warm();
        accepted += take.length;
        for (const id of take) waiting.push(id);
        pump();
      },
      end() {
        ended = true;
        pump();
      },
      abort() {
        progress.stop = true;
        wake?.();
      },
      stored,
    };
  }

  async function timedFetch(peerId: string, ids: readonly string[], timing: Timing): Promise<WireRecord[] | undefined> {
    const t0 = performance.now();
    try {
      return await fetchWithRetry(peerId, ids);
    } finally {
      timing.fetchMs += performance.now() - t0;
    }
  }

  /** A fetch that timed out or lost its connection is asked once more before the session gives up. */
  async function fetchWithRetry(peerId: string, ids: readonly string[]): Promise<WireRecord[] | undefined> {
    try {
      return await fetchEither(peerId, ids);
    } catch (err) {
      const reason = peerFailure(err)?.reason;
      if (reason === undefined || !['timeout', 'reset', 'unreachable'].includes(reason)) throw err;
      await sleep(1000);
      return fetchEither(peerId, ids);
    }
  }

  /** Peers that do not serve fetch/2 (older nodes): asked with fetch/1, 1,024 ids at a time. */
  const fetchV1Only = new Set<string>();

  async function fetchEither(peerId: string, ids: readonly string[]): Promise<WireRecord[] | undefined> {
    if (!fetchV1Only.has(peerId)) {
      try {
        return await fetchOnce(peerId, ids, FETCH_PROTOCOL);
      } catch (err) {
        if (peerFailure(err)?.reason !== 'unsupported') throw err;
        fetchV1Only.add(peerId);
      }
    }
    const out: WireRecord[] = [];
    for (let i = 0; i < ids.length; i += MAX_FETCH_IDS_V1) {
      const part = await fetchOnce(peerId, ids.slice(i, i + MAX_FETCH_IDS_V1), FETCH_PROTOCOL_V1);
      if (part === undefined) return undefined;
      out.push(...part);
    }
    return out;
  }

  /** One fetch request; what is missing from the answer is asked for again, once. */
  async function fetchOnce(
    peerId: string,
    ids: readonly string[],
    protocol: typeof FETCH_PROTOCOL | typeof FETCH_PROTOCOL_V1,
  ): Promise<WireRecord[] | undefined> {
    const out: WireRecord[] = [];
    let ask = ids.slice();
    const caps = protocol === FETCH_PROTOCOL ? FETCH_FRAME_CAPS : {};
    for (let attempt = 0; attempt < 2 && ask.length > 0; attempt++) {
      const raw = await d.p2p.request(peerId, protocol, { v: 1, ids: ask }, { timeoutMs: 30_000, ...caps });
      const parsed = FetchResponse.safeParse(raw);
      if (!parsed.success) {
        penalize(peerId, 'badResponse', 'identity fetch answer does not match its schema');
        return undefined;
      }
      const asked = new Set(ask);
      for (const r of parsed.data.records) {
        const id = nodeWireIdOf(r.content);
        if (id === undefined || !asked.delete(id)) {
          penalize(peerId, 'badResponse', 'identity fetch answer holds a record that was not asked for');
          return undefined;
        }
        out.push(r);
      }
      // A peer that answers nothing has nothing more for us (records replaced meanwhile).
      if (parsed.data.records.length === 0) break;
      ask = [...asked];
    }
    return out;
  }

  /** Verifies a peer's records in the pool (with their key hints, else the key we know). */
  function verifyWire(records: readonly WireRecord[], timing: Timing): Promise<VerifyResult[]> {
    const jobs = records.map((r) => {
      const hint = keyHintBytes(r.key) ?? knownKeyOf(r.content);
      return { content: r.content, ...(hint ? { keyHint: hint } : {}) };
    });
    const t0 = performance.now();
    return d.pool.verify(jobs).finally(() => (timing.verifyMs += performance.now() - t0));
  }

  /** Stores what verified, in one transaction; what did not verify is scored as the peer's offence. */
  function storeVerified(peerId: string, results: readonly VerifyResult[], timing: Timing): number {
    const t0 = performance.now();
    const source: IngestSource = { via: 'sync', peerId };
    const good = [];
    for (const r of results) {
      if (r.ok) good.push({ record: r.record, source });
      else {
        const offence = offenceFor(r.reason, 'fetch');
        if (offence) penalize(peerId, offence, `fetched record refused: ${r.reason}`);
      }
    }
    // In DID order the inserts walk the slot and DID indexes' pages in turn instead of at random
    // (~10 % less CPU); the sort is stable, so one DID's records keep their order between them.
    good.sort((a, b) => (a.record.did < b.record.did ? -1 : a.record.did > b.record.did ? 1 : 0));
    const n = d.registry.ingestVerified(good).filter((o) => o.stored).length;
    timing.storeMs += performance.now() - t0;
    return n;
  }

  function knownKeyOf(content: string): Uint8Array | undefined {
    const did = pushedDid(content);
    const address = did && addressOfDid(did);
    return address ? d.knownKey(address) : undefined;
  }

  async function session(peerId: string): Promise<{ need: number; stored: number }> {
    d.onSync?.({ phase: 'reconciling', need: 0, fetched: 0 });
    const t0 = performance.now();
    const timing = newTiming();
    try {
      const pipeline = fetchAndStore(peerId, timing);
      let outcome: ReconcileOutcome;
      try {
        outcome = await reconcileWith(
          reconcileSet(),
          (message) => d.p2p.request(peerId, RECONCILE_PROTOCOL, message, { timeoutMs: 30_000 }),
          { onRound: (round) => pipeline.add(round.need) },
        );
      } catch (err) {
        pipeline.abort();
        await pipeline.stored.catch(() => undefined); // what verified is kept; the session failed
        throw err;
      }
      timing.reconcileMs = performance.now() - t0;
      pipeline.end();
      const stored = await pipeline.stored;
      status.peersReconciled++;
      status.lastSyncAt = d.now();
      lastSync.set(peerId, d.now());
      d.onSync?.({ phase: 'done', need: outcome.need.length, fetched: stored });
      d.log.info('identity catch-up done', {
        peerId,
        need: outcome.need.length,
        stored,
        rounds: outcome.rounds,
        ms: Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, Math.round(v)])),
      });
      return { need: outcome.need.length, stored };
    } catch (err) {
      status.lastError = `${peerId.slice(0, 16)}…: ${(err as Error).message}`;
      d.onSync?.({ phase: 'failed', need: 0, fetched: 0 });
      if (
        err instanceof ApiError &&
        (err as { details?: { reason?: string } }).details?.reason === 'RECONCILE_INVALID'
      ) {
        penalize(peerId, 'malformed', (err as Error).message);
      }
      throw err;
    }
  }

  // One catch-up at a time: sessions with several peers at once would fetch the same records
  // from each of them.
  let queue: Promise<unknown> = Promise.resolve();
  const syncWith = (peerId: string) => {
    let running = syncing.get(peerId);
    if (!running) {
      const mine = queue.then(() => session(peerId));
      queue = mine.catch(() => undefined);
      running = mine.finally(() => syncing.delete(peerId));
      syncing.set(peerId, running);
    }
    return running;
  };

  const failures = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    if (stopped) return;
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    t.unref();
    timers.add(t);
  };
  const connected = (peerId: string) => d.p2p.peers().some((p) => p.peerId === peerId);

  function syncInBackground(peerId: string, force = false): void {
    if (stopped || syncing.has(peerId) || d.p2p.isBanned(peerId)) return;
    const last = lastSync.get(peerId);
    if (!force && last !== undefined && d.now() - last < opts.resyncMs) return;
    syncWith(peerId).then(
      () => failures.delete(peerId),
      (err: unknown) => {
        const n = (failures.get(peerId) ?? 0) + 1;
        failures.set(peerId, n);
        const wait = Math.min(60_000, 2_000 * 2 ** Math.min(n, 5));
        d.log.info('identity catch-up failed; trying again later', { peerId, error: (err as Error).message, wait });
        // A peer still there is tried again after a while, longer after each failure.
        later(wait, () => {
          if (connected(peerId)) syncInBackground(peerId, true);
        });
      },
    );
  }

  /** Now and then, one connected peer is reconciled again: it heals gossip this node missed. */
  function antiEntropy(): void {
    const peers = d.p2p.peers();
    const peer = peers[Math.floor(Math.random() * peers.length)];
    if (peer) syncInBackground(peer.peerId, true);
    later(opts.resyncMs, antiEntropy);
  }

  return {
    async start() {
      offs.push(
        d.registry.onChange((c) => {
          set = undefined;
          if (c.via === 'self' || c.via === 'api' || c.via === 'http') {
            const data = new TextEncoder().encode(JSON.stringify({ v: 1, ...wireRecordOf(c.content, c.publicKey) }));
            d.p2p.publish(IDENTITY_TOPIC, data).catch((err: unknown) => {
              d.log.info('could not push an identity record', { error: (err as Error).message });
            });
          }
        }),
      );
      offs.push(d.p2p.subscribe(IDENTITY_TOPIC, (m) => onPush(m.from, m.data)));
      await d.p2p.handleRequest(RECONCILE_PROTOCOL, async (req) =>
        respondReconcile(reconcileSet(), req, { maxBytes: opts.reconcileAnswerBytes }),
      );
      const serveFetch = (schema: typeof FetchRequest, maxBytes?: number) => async (req: unknown) => {
        const parsed = schema.safeParse(req);
        if (!parsed.success) throw new ApiError('INVALID_PARAMS', 'not an identity fetch request');
        const ids = parsed.data.ids.map((id) => b64urlToBytes(id)).filter((b) => b?.length === 32);
        const rows = d.repo.wireByIds(ids.map((b) => bytesToHex(b!)));
        return fetchResponseJson(
          rows.map((r) => wireRecordOf(r.content, r.publicKey)),
          maxBytes,
        );
      };
      await d.p2p.handleRequest(FETCH_PROTOCOL, serveFetch(FetchRequest, MAX_FETCH2_RESPONSE_BYTES), FETCH_FRAME_CAPS);
      await d.p2p.handleRequest(FETCH_PROTOCOL_V1, serveFetch(FetchRequestV1));
      await d.p2p.handleRequest(LOOKUP_PROTOCOL, async (req) => {
        const dids = (req as { dids?: unknown } | null)?.dids;
        if (!Array.isArray(dids) || dids.length > MAX_LOOKUP_DIDS || dids.some((x) => typeof x !== 'string')) {
          throw new ApiError('INVALID_PARAMS', `an identity lookup names at most ${MAX_LOOKUP_DIDS} DIDs`);
        }
        const records: WireRecord[] = [];
        for (const did of dids as string[]) {
          const rec = addressOfDid(did) ? d.repo.get(did) : undefined;
          if (rec) records.push(wireRecordOf(rec.content, rec.publicKey));
        }
        return fetchResponseJson(records);
      });
      offs.push(
        d.p2p.onPeersChanged((peers) => {
          for (const p of peers) syncInBackground(p.peerId);
        }),
      );
      for (const p of d.p2p.peers()) syncInBackground(p.peerId);
      later(opts.resyncMs, antiEntropy);
    },
    stop() {
      stopped = true;
      for (const off of offs.splice(0)) off();
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
    syncWith,
    async lookup(dids) {
      let stored = 0;
      for (const peer of d.p2p.peers()) {
        for (let i = 0; i < dids.length; i += MAX_LOOKUP_DIDS) {
          try {
            const asked = dids.slice(i, i + MAX_LOOKUP_DIDS);
            const raw = await d.p2p.request(peer.peerId, LOOKUP_PROTOCOL, { v: 1, dids: asked });
            const parsed = FetchResponse.safeParse(raw);
            if (!parsed.success || parsed.data.records.some((r) => !asked.includes(pushedDid(r.content) ?? ''))) {
              penalize(peer.peerId, 'badResponse', 'identity lookup answer holds what was not asked for');
              continue;
            }
            const timing = newTiming(); // a lookup is no session: its times are not logged
            stored += storeVerified(peer.peerId, await verifyWire(parsed.data.records, timing), timing);
          } catch (err) {
            d.log.info('identity lookup failed', { peerId: peer.peerId, error: (err as Error).message });
          }
        }
      }
      return stored;
    },
    status: () => ({ ...status }),
  };
}

/** The DID a record names in its kid (JWS) or identifier (revocation), read without verifying. */
function pushedDid(content: string): string | undefined {
  try {
    if (content.startsWith('{')) {
      const id = (JSON.parse(content) as { identifier?: unknown }).identifier;
      return typeof id === 'string' ? id : undefined;
    }
    const header = JSON.parse(new TextDecoder().decode(b64urlToBytes(content.slice(0, content.indexOf('.')))!)) as {
      kid?: unknown;
    };
    return typeof header.kid === 'string' ? `did:is:${header.kid}` : undefined;
  } catch {
    return undefined;
  }
}
