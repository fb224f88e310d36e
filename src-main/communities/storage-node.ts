// The storage-node role (docs §14): any node whose config enables it keeps ciphertext for the
// communities whose owners grant it a topic. It stores only envelopes signed with a key of an
// epoch an admin announced, within the grant's quota and size cap, and serves pages only to
// members of a recent epoch; it also keeps what it hears on the granted topics' gossip. It learns
// topics, kinds, epochs, sizes and timing — never names, members or content.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { ApiError } from '../../src-shared/api/errors.ts';
import { decodeEnvelope, encodeEnvelope } from '../../src-shared/communities/envelope.ts';
import type { Envelope } from '../../src-shared/communities/envelope.ts';
import { bytesToHex, hexToBytes } from '../../src-shared/communities/ids.ts';
import {
  acceptGrant,
  addEpochKey,
  checkServe,
  checkStore,
  openTopic,
  retentionCutoff,
  servePage,
  storageKeyFromSeed,
} from '../../src-shared/communities/storage.ts';
import type { Page, SignedGrant, StorageKey } from '../../src-shared/communities/storage.ts';
import { signReceipt, STORE_PROTOCOL, StoreRequest } from '../../src-shared/communities/sync.ts';
import type { Receipt, StorageInfo } from '../../src-shared/communities/sync.ts';
import type { StorageReport } from '../../src-shared/communities/views.ts';
import type { z } from 'zod';
import { errorText, type Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { CommunitiesConfig } from './config.ts';
import type { StorageRepo } from './storage-repo.ts';

const MAX_REPLY_BYTES = 900 * 1024;
const SWEEP_MS = 60 * 60_000;

/** The node's receipt key, kept beside its data (like its peer key): stable across restarts. */
export function loadReceiptKey(dataDir: string): StorageKey {
  const file = path.join(dataDir, 'communities-storage.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return storageKeyFromSeed(hexToBytes(readFileSync(file, 'utf8').trim()));
}

export interface StorageNodeDeps {
  repo: StorageRepo;
  p2p: Pick<P2pHost, 'peerId' | 'handleRequest' | 'subscribe'>;
  config: CommunitiesConfig['storage'];
  key: StorageKey;
  log: Logger;
  now: () => number;
}

export function createStorageNode(d: StorageNodeDeps) {
  const subscriptions = new Map<string, () => void>();
  let sweeper: ReturnType<typeof setInterval> | undefined;

  const info = (): StorageInfo => ({
    v: 1,
    key: d.key.publicKey,
    quotaBytes: d.config.quotaBytesPerCommunity,
    maxEnvelopeBytes: d.config.maxEnvelopeBytes,
    maxRetentionDays: d.config.maxRetentionDays,
  });

  function grant(signed: SignedGrant): { ok: true } {
    const g = signed.grant;
    if (g.node !== d.p2p.peerId) throw refused('grant-node', 'the grant names another node');
    const current = d.repo.topic(g.topic);
    const verdict = acceptGrant(current?.grant, signed);
    if (!verdict.ok) throw refused(verdict.code, verdict.reason);
    if (!current && d.repo.count() >= d.config.maxCommunities)
      throw refused('node-full', 'this node keeps no more communities');
    // The node's own limits bound what any grant asks for.
    const bounded: SignedGrant = {
      ...signed,
      grant: {
        ...g,
        quotaBytes: Math.min(g.quotaBytes, d.config.quotaBytesPerCommunity),
        maxEnvelopeBytes: Math.min(g.maxEnvelopeBytes, d.config.maxEnvelopeBytes),
        retentionDays: Math.min(g.retentionDays, d.config.maxRetentionDays),
      },
    };
    d.repo.put(g.topic, current ? { ...current, grant: bounded } : openTopic(bounded), d.now());
    listen(g.topic);
    return { ok: true };
  }

  /** Keeps an envelope; the same one twice keeps its first seq. */
  function store(envelope: Envelope): { seq: number; receipt: Receipt } {
    const state = d.repo.topic(envelope.topic);
    if (!state) throw refused('not-granted', 'this node keeps nothing for that topic');
    const bytes = encodeEnvelope(envelope);
    const hash = bytesToHex(sha256(bytes));
    const known = d.repo.seqOfHash(envelope.topic, hash);
    const seq =
      known ??
      (() => {
        const r = checkStore(state, envelope, bytes.length);
        if (!r.ok) throw refused(r.code, r.reason);
        d.repo.store(envelope.topic, r.state, { seq: r.seq, envelope, size: bytes.length, hash, at: d.now() });
        return r.seq;
      })();
    return { seq, receipt: signReceipt({ topic: envelope.topic, seq, hash }, d.key) };
  }

  function serve(request: z.infer<typeof StoreRequest> & { t: 'serve' }): Page {
    const r = request.request;
    const state = d.repo.topic(r.topic);
    if (!state) throw refused('not-granted', 'this node keeps nothing for that topic');
    const verdict = checkServe(state, r, d.now());
    if (!verdict.ok) throw refused(verdict.code, verdict.reason);
    const items = d.repo.page(r.topic, r.after, r.limit);
    const page = servePage(items, r, state.seq, {
      maxBytes: MAX_REPLY_BYTES,
      sizeOf: (i) => JSON.stringify(i.envelope).length + 32,
    });
    return { ...page, floor: d.repo.floor(r.topic) ?? state.seq + 1 };
  }

  function listen(topic: string): void {
    if (subscriptions.has(topic)) return;
    const off = d.p2p.subscribe(topic, (msg) => {
      try {
        store(decodeEnvelope(msg.data));
      } catch {
        // Gossip the node may not keep (no epoch key yet, over quota) is simply not kept.
      }
    });
    subscriptions.set(topic, off);
  }

  function sweep(): void {
    for (const { topic, state } of d.repo.topics()) {
      const freed = d.repo.purge(topic, retentionCutoff(state.grant.grant, d.now()));
      if (freed.bytes > 0 || freed.knocks > 0)
        d.repo.put(topic, { ...state, bytes: state.bytes - freed.bytes, knocks: state.knocks - freed.knocks }, d.now());
    }
  }

  async function handle(raw: unknown): Promise<unknown> {
    const parsed = StoreRequest.safeParse(raw);
    if (!parsed.success) throw new ApiError('BAD_REQUEST', 'Not a storage request.');
    const r = parsed.data;
    switch (r.t) {
      case 'info':
        return info();
      case 'grant':
        return grant(r.grant);
      case 'epochKey': {
        const state = d.repo.topic(r.epochKey.epochKey.topic);
        if (!state) throw refused('not-granted', 'this node keeps nothing for that topic');
        const out = addEpochKey(state, r.epochKey);
        if (!out.verdict.ok) throw refused(out.verdict.code, out.verdict.reason);
        d.repo.put(r.epochKey.epochKey.topic, out.state, d.now());
        return { ok: true };
      }
      case 'store':
        return store(r.envelope);
      case 'serve':
        return serve(r);
      case 'welcome': {
        const w = d.repo.welcome(r.topic, r.to);
        return { items: w ? [w] : [] };
      }
    }
  }

  return {
    async start(): Promise<void> {
      await d.p2p.handleRequest(STORE_PROTOCOL, (raw) => handle(raw));
      for (const { topic } of d.repo.topics()) listen(topic);
      sweep();
      sweeper = setInterval(() => {
        try {
          sweep();
        } catch (err) {
          d.log.warn('communities storage: retention sweep failed', { error: errorText(err) });
        }
      }, SWEEP_MS);
      sweeper.unref?.();
    },
    stop(): void {
      if (sweeper) clearInterval(sweeper);
      for (const off of subscriptions.values()) off();
      subscriptions.clear();
    },
    info,
    sweep,
    report(): z.input<typeof StorageReport> {
      const topics = d.repo.topics().map(({ topic, state }) => {
        const stats = d.repo.stats(topic);
        return {
          topic,
          items: stats.items,
          bytes: state.bytes,
          quotaBytes: state.grant.grant.quotaBytes,
          retentionDays: state.grant.grant.retentionDays,
          knocks: state.knocks,
          oldestAt: stats.oldest,
          newestAt: stats.newest,
          epoch: state.newestEpoch,
        };
      });
      return {
        enabled: true,
        key: d.key.publicKey,
        peerId: d.p2p.peerId,
        topics,
        totalBytes: topics.reduce((n, t) => n + t.bytes, 0),
        quotaBytesPerCommunity: d.config.quotaBytesPerCommunity,
      };
    },
  };
}

export type StorageNode = ReturnType<typeof createStorageNode>;

/** The core's code goes first in the message: answers over the network carry no details. */
function refused(code: string, message: string): ApiError {
  return new ApiError('PEER_REFUSED', `${code}: ${message}`, { code });
}
