// Members catching up from each other over /hashlock/communities/sync/1 (docs §13). Serving: a
// request proves membership of a recent epoch with that epoch's storage-auth key; the answer is
// ciphertext from this node's log, capped in bytes. Asking: commits first (from our head epoch),
// then everything received since we were last in step, then the device seq ranges the timeline
// reports as gaps. Everything fetched goes through the same ingest as gossip.
import { ApiError } from '../../src-shared/api/errors.ts';
import { Envelope } from '../../src-shared/communities/envelope.ts';
import {
  makeProof,
  MAX_RANGE,
  SYNC_PROTOCOL,
  SyncReply,
  SyncRequest,
  VerifiedProofs,
  verifyProof,
} from '../../src-shared/communities/sync.ts';
import type { Proof } from '../../src-shared/communities/sync.ts';
import { storageKeyFromSecret } from '../../src-shared/communities/storage.ts';
import type { Gap } from '../../src-shared/communities/timeline.ts';
import { errorText } from '../kernel/log.ts';
import type { Delivery } from './delivery.ts';
import type { Env } from './env.ts';
import type { Ingest, Source } from './ingest.ts';
import { remoteCode } from './storage-client.ts';
import type { CommunityRow, EnvelopeRow } from './repo.ts';

/** What an answer may hold: under the p2p host's 1 MiB response cap with room for framing. */
const MAX_REPLY_BYTES = 900 * 1024;
const SINCE_MARGIN_MS = 10 * 60_000;
const PAGE = 256;
const MAX_PAGES = 200;
const REQUEST_TIMEOUT_MS = 8000;
/** How many of our epochs, newest first, a request may try to prove to a peer that is behind. */
const PROOF_TRIES = 8;
/** A sync proof is made again after this long (a server takes one up to SERVE_SKEW_MS old). */
const PROOF_REUSE_MS = 60_000;

function reply(rows: readonly EnvelopeRow[], cursor: (r: EnvelopeRow) => number, limit: number): SyncReply {
  const items: Envelope[] = [];
  let bytes = 0;
  let last: EnvelopeRow | undefined;
  for (const r of rows) {
    if (bytes + r.body.length > MAX_REPLY_BYTES && items.length > 0) break;
    bytes += r.body.length;
    items.push(JSON.parse(r.body) as Envelope);
    last = r;
  }
  const cut = items.length < rows.length || rows.length >= limit;
  return { items, next: cut && last ? cursor(last) : null };
}

/** Answers members' requests from this node's log. */
export function serveSync(env: Env, ingest: Ingest) {
  const verified = new VerifiedProofs();
  return async (raw: unknown, ctx: { peerId: string }): Promise<SyncReply> => {
    const parsed = SyncRequest.safeParse(raw);
    if (!parsed.success) throw new ApiError('BAD_REQUEST', 'Not a community sync request.');
    const r = parsed.data;
    if (r.t === 'deliver') {
      await ingest.take(r.envelope.topic, r.envelope, { peer: ctx.peerId, via: 'deliver' });
      return { items: [], next: null };
    }
    const row = env.repo.byTopic(r.topic);
    if (!row) throw new ApiError('NOT_FOUND', 'This node is not in that community.');
    if (r.t === 'welcome') {
      const w = env.repo.envelopes.welcome(row.id, r.to);
      return { items: w ? [JSON.parse(w.body) as Envelope] : [], next: null };
    }
    const verdict = verifyProof(
      r.topic,
      r.t,
      r.proof,
      {
        keyOf: (e, b) => env.repo.epochs.keyOf(row.id, e, b),
        newestEpoch: env.repo.epochs.newest(row.id),
        verified,
      },
      env.now(),
    );
    // The code goes first in the message: answers over the network carry no details.
    if (!verdict.ok) throw new ApiError('PEER_REFUSED', `${verdict.code}: ${verdict.reason}`, { code: verdict.code });
    switch (r.t) {
      case 'commits':
        return reply(env.repo.envelopes.commitsFrom(row.id, r.epoch), () => 0, PAGE);
      case 'since': {
        const rows = env.repo.envelopes.since(row.id, r.after ?? 0, r.after === null ? r.at : 0, r.limit);
        return reply(rows, (x) => x.rowid, r.limit);
      }
      case 'range': {
        if (r.to < r.from || r.to - r.from >= MAX_RANGE) throw new ApiError('BAD_REQUEST', 'The range is too long.');
        return reply(env.repo.envelopes.range(row.id, r.device, r.from, r.to), () => 0, MAX_RANGE);
      }
    }
  };
}

export interface CatchUp {
  /** Catches one community up; concurrent calls for the same community share one run. */
  run(id: string, hint?: string): Promise<void>;
  /** Asks peers for the Welcome of a join that waits. */
  askWelcome(row: CommunityRow): Promise<void>;
  /** Resolves when no catch-up runs. */
  idle(): Promise<void>;
}

type Signed = Extract<SyncRequest, { proof: Proof }>;
type Unsigned = Signed extends infer R ? (R extends Signed ? Omit<R, 'proof'> : never) : never;

/**
 * One sync request to one peer: asked (a bad answer scores the peer), proved as a member of one of
 * our recent epochs, and what came back taken in through the ingest.
 */
function syncRequests(env: Env, ingest: Ingest) {
  async function ask(peer: string, body: SyncRequest): Promise<{ reply?: SyncReply; code?: string }> {
    try {
      const answer = await env.p2p.request(peer, SYNC_PROTOCOL, body, { timeoutMs: REQUEST_TIMEOUT_MS });
      const parsed = SyncReply.safeParse(answer);
      if (parsed.success) return { reply: parsed.data };
      env.score(peer, 'badResponse', 'a malformed sync answer');
      return {};
    } catch (err) {
      env.log.info('communities: a member did not answer a sync request', { peerId: peer, error: errorText(err) });
      return { code: remoteCode(err) };
    }
  }

  /** Proofs made lately, by topic, request kind and epoch: one signature serves a catch-up's pages. */
  const proofs = new Map<string, { proof: Proof; madeAt: number }>();
  function proofFor(topic: string, t: Unsigned['t'], e: { epoch: number; tag: string; sealedSecret: string }): Proof {
    // Locked, nothing is reused: the secret cannot be opened, and a locked node asks nothing.
    if (!env.unlocked()) proofs.clear();
    const now = env.now();
    const k = `${topic} ${t} ${e.epoch} ${e.tag}`;
    const known = proofs.get(k);
    // Well inside the skew a server allows (SERVE_SKEW_MS): the proof is still good when it arrives.
    if (known && now - known.madeAt >= 0 && now - known.madeAt < PROOF_REUSE_MS) return known.proof;
    const key = storageKeyFromSecret(env.sealer.openBytes(e.sealedSecret));
    const proof = makeProof(topic, t, { epoch: e.epoch, branch: e.tag }, now, key);
    if (proofs.size >= 256) proofs.delete(proofs.keys().next().value!);
    proofs.set(k, { proof, madeAt: now });
    return proof;
  }

  /**
   * Asks with a proof of our newest epoch; a peer that has not seen it (it is behind, or was
   * removed before it) gets a proof of an older epoch we were in.
   */
  async function askAs(peer: string, id: string, body: Unsigned): Promise<SyncReply | undefined> {
    const row = env.repo.get(id);
    if (!row) return undefined;
    for (const e of env.repo.epochs.recent(id, PROOF_TRIES)) {
      const r = await ask(peer, { ...body, proof: proofFor(row.topic, body.t, e) } as Signed);
      if (r.reply || r.code !== 'unknown-epoch') return r.reply;
    }
    return undefined;
  }

  async function takeAll(row: CommunityRow, items: readonly Envelope[], peer: string): Promise<void> {
    const source: Source = { peer, via: 'sync' };
    // A member relays what it received; one that relays another topic's envelope is lying.
    const foreign = items.findIndex((item) => item.topic !== row.topic);
    if (foreign >= 0) env.score(peer, 'badResponse', 'a sync answer with another topic');
    // Parsed by the sync answer's schema already: the ingest checks each again and keeps the page at once.
    await ingest.takePage(row.topic, foreign >= 0 ? items.slice(0, foreign) : items, source);
    // Once per page, before the next page is asked for or `syncedAt` saved: the ratchet advances
    // of the page are sealed (received messages otherwise seal at most once a second, groups.ts).
    await env.groups.run(row.id, () => env.groups.flush(row.id));
  }

  return { ask, askAs, takeAll };
}

type SyncRequests = ReturnType<typeof syncRequests>;

/** Asks for the device seq ranges the timeline reports missing, each from the first peer that has it. */
async function fillGaps(
  sync: SyncRequests,
  gaps: readonly Gap[],
  row: CommunityRow,
  peers: readonly string[],
): Promise<void> {
  for (const gap of gaps.slice(0, 32)) {
    for (const peer of peers.slice(0, 2)) {
      const to = Math.min(gap.to, gap.from + MAX_RANGE - 1);
      const r = await sync.askAs(peer, row.id, {
        v: 1,
        t: 'range',
        topic: row.topic,
        device: gap.device,
        from: gap.from,
        to,
      });
      if (r && r.items.length > 0) {
        await sync.takeAll(row, r.items, peer);
        break;
      }
    }
  }
}

export function createCatchUp(
  env: Env,
  d: {
    ingest: Ingest;
    delivery: Delivery;
    gaps: (id: string) => Gap[];
    fromStorage: (row: CommunityRow) => Promise<void>;
  },
): CatchUp {
  const running = new Map<string, Promise<void>>();
  const sync = syncRequests(env, d.ingest);
  const { ask, askAs, takeAll } = sync;

  async function once(id: string, hint?: string): Promise<void> {
    if (!env.unlocked()) return;
    const start = env.now();
    const row = env.repo.get(id);
    if (!row || row.state !== 'joined') return;
    const peers = [...new Set([...(hint ? [hint] : []), ...(await d.delivery.peersFor(row, 4))])];
    for (const peer of peers.slice(0, 3)) {
      const epoch = env.repo.get(id)?.data.epoch ?? row.data.epoch;
      const r = await askAs(peer, id, { v: 1, t: 'commits', topic: row.topic, epoch });
      if (r) await takeAll(row, r.items, peer);
    }
    const fresh = env.repo.get(id);
    if (fresh?.state === 'joined') await d.fromStorage(fresh);
    const since = Math.max(0, (row.data.syncedAt ?? row.createdAt) - SINCE_MARGIN_MS);
    // From the first two peers that answer: one that is offline (a member gone too, a storage node
    // down) does not use up a turn, or a member back in relay mode might ask only the absent and
    // wait for the next round (syncEveryMs, minutes) to hear from the one who wrote.
    let answered = 0;
    for (const peer of peers) {
      if (answered >= 2) break;
      let after: number | null = null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const r = await askAs(peer, id, { v: 1, t: 'since', topic: row.topic, after, at: since, limit: PAGE });
        if (!r) break;
        if (page === 0) answered++;
        await takeAll(row, r.items, peer);
        if (r.next === null) break;
        after = r.next;
      }
    }
    await fillGaps(sync, d.gaps(row.id), row, peers);
    const latest = env.repo.get(id);
    if (latest) env.repo.save({ ...latest, data: { ...latest.data, syncedAt: start } });
  }

  return {
    run(id, hint) {
      const known = running.get(id);
      if (known) return known;
      const p = once(id, hint)
        .catch((err: unknown) =>
          env.log.warn('communities: catching up failed', { community: id, error: errorText(err) }),
        )
        .finally(() => running.delete(id));
      running.set(id, p);
      return p;
    },
    async idle() {
      await Promise.allSettled([...running.values()]);
    },
    async askWelcome(row) {
      const kpRef = row.data.join?.kpRef;
      if (!kpRef) return;
      for (const peer of await d.delivery.peersFor(row, 4)) {
        const r = await ask(peer, { v: 1, t: 'welcome', topic: row.topic, to: kpRef });
        if (r.reply && r.reply.items.length > 0) {
          await takeAll(row, r.reply.items.slice(0, 1), peer);
          return;
        }
      }
    },
  };
}
