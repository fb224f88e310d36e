// The member side's tables: communities this node is in, sealed secrets, epoch storage keys,
// messages (their plaintext sealed), the ciphertext log, read positions, join requests and notices.
// Plain rows in and out; sealing and parsing happen in the callers.
import type { Database } from 'better-sqlite3';
import { fromJson, toJson } from '../store/json.ts';
import type { CommunityData } from './record.ts';

export type CommunityState = 'joined' | 'requested' | 'removed';
export type RemovedReason = 'removed' | 'banned' | 'left';

export interface CommunityRow {
  id: string;
  topic: string;
  kind: 'community' | 'dm';
  me: string;
  state: CommunityState;
  removedReason: RemovedReason | null;
  swapId: string | null;
  peer: string | null;
  data: CommunityData;
  createdAt: number;
  updatedAt: number;
  lastMessageAt: number | null;
}

export interface MessageRow {
  id: string;
  did: string;
  device: string;
  seq: number;
  epoch: number;
  kind: string;
  ch: string | null;
  at: number;
  receivedAt: number;
  sealed: string;
}

export type EnvelopeStatus = 'pending' | 'held' | 'done' | 'refused';

export interface EnvelopeRow {
  rowid: number;
  community: string;
  hash: string;
  kind: string;
  epoch: number | null;
  branch: string | null;
  device: string | null;
  seq: number | null;
  status: EnvelopeStatus;
  receivedAt: number;
  body: string;
}

export interface RequestRow {
  id: string;
  did: string;
  inviteId: string | null;
  at: number;
  peer: string | null;
  status: 'pending' | 'admitted' | 'rejected';
  request: unknown;
}

type RawCommunity = Omit<CommunityRow, 'data' | 'removedReason' | 'swapId' | 'lastMessageAt'> & {
  data: string;
  removed_reason: RemovedReason | null;
  swap_id: string | null;
  created_at: number;
  updated_at: number;
  last_message_at: number | null;
};

const COMMUNITY_COLUMNS =
  'id, topic, kind, me, state, removed_reason, swap_id, peer, data, created_at, updated_at, last_message_at';
const ENVELOPE_COLUMNS =
  'rowid, community, hash, kind, epoch, branch, device, seq, status, received_at AS receivedAt, body';

/** Deep-frozen: a parsed `data` is shared between reads, so writing to it must fail loudly. */
function frozen<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) frozen(x);
    Object.freeze(v);
  }
  return v;
}

/**
 * Rows are read several times per received message (ingest, inbox, timeline, views): the `data`
 * column is parsed once per distinct text and shared, frozen, until the row changes.
 */
function dataParser() {
  const memo = new Map<string, { text: string; data: CommunityData }>();
  return (id: string, text: string): CommunityData => {
    const known = memo.get(id);
    if (known?.text === text) return known.data;
    const data = frozen(fromJson<CommunityData>(text));
    memo.set(id, { text, data });
    return data;
  };
}

function community(raw: RawCommunity | undefined, parse: ReturnType<typeof dataParser>): CommunityRow | undefined {
  if (!raw) return undefined;
  return {
    id: raw.id,
    topic: raw.topic,
    kind: raw.kind,
    me: raw.me,
    state: raw.state,
    removedReason: raw.removed_reason,
    swapId: raw.swap_id,
    peer: raw.peer,
    data: parse(raw.id, raw.data),
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
    lastMessageAt: raw.last_message_at,
  };
}

export function createCommunityRepo(db: Database) {
  const q = {
    byId: db.prepare<[string], RawCommunity>(`SELECT ${COMMUNITY_COLUMNS} FROM community WHERE id = ?`),
    byTopic: db.prepare<[string], RawCommunity>(`SELECT ${COMMUNITY_COLUMNS} FROM community WHERE topic = ?`),
    bySwap: db.prepare<[string], RawCommunity>(`SELECT ${COMMUNITY_COLUMNS} FROM community WHERE swap_id = ?`),
    all: db.prepare<[], RawCommunity>(`SELECT ${COMMUNITY_COLUMNS} FROM community ORDER BY created_at`),
    upsert: db.prepare(
      `INSERT INTO community (${COMMUNITY_COLUMNS}) VALUES (@id, @topic, @kind, @me, @state, @removedReason, @swapId, @peer, @data, @createdAt, @updatedAt, @lastMessageAt)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, me = excluded.me, state = excluded.state,
         removed_reason = excluded.removed_reason, swap_id = excluded.swap_id, peer = excluded.peer, data = excluded.data,
         updated_at = excluded.updated_at,
         last_message_at = COALESCE(MAX(community.last_message_at, excluded.last_message_at), community.last_message_at, excluded.last_message_at)`,
    ),
    touch: db.prepare<[{ id: string; at: number }]>(
      'UPDATE community SET last_message_at = @at WHERE id = @id AND (last_message_at IS NULL OR last_message_at < @at)',
    ),
    secretGet: db.prepare<[string, string], { sealed: string }>(
      'SELECT sealed FROM community_secret WHERE community = ? AND name = ?',
    ),
    secretPut: db.prepare<[string, string, string]>(
      'INSERT INTO community_secret (community, name, sealed) VALUES (?, ?, ?) ON CONFLICT (community, name) DO UPDATE SET sealed = excluded.sealed',
    ),
    secretDelete: db.prepare<[string, string]>('DELETE FROM community_secret WHERE community = ? AND name = ?'),
    secretNames: db.prepare<[string, string], { name: string }>(
      "SELECT name FROM community_secret WHERE community = ? AND name LIKE ? || '%'",
    ),
    epochPut: db.prepare<[string, number, string, string, string, number]>(
      'INSERT OR IGNORE INTO community_epoch (community, epoch, tag, storage_key, storage_secret, at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    epochRecent: db.prepare<[string, number], { epoch: number; tag: string; storage_secret: string }>(
      'SELECT epoch, tag, storage_secret FROM community_epoch WHERE community = ? ORDER BY epoch DESC, at DESC LIMIT ?',
    ),
    epochKey: db.prepare<[string, number, string], { storage_key: string }>(
      'SELECT storage_key FROM community_epoch WHERE community = ? AND epoch = ? AND tag = ?',
    ),
    epochNewest: db.prepare<[string], { epoch: number | null }>(
      'SELECT MAX(epoch) AS epoch FROM community_epoch WHERE community = ?',
    ),
    epochPrune: db.prepare<[string, number]>('DELETE FROM community_epoch WHERE community = ? AND epoch < ?'),
    msgInsert: db.prepare(
      `INSERT OR IGNORE INTO community_message (community, id, did, device, seq, epoch, kind, ch, at, received_at, sealed)
       VALUES (@community, @id, @did, @device, @seq, @epoch, @kind, @ch, @at, @receivedAt, @sealed)`,
    ),
    msgAll: db.prepare<[string], MessageRow>(
      'SELECT id, did, device, seq, epoch, kind, ch, at, received_at AS receivedAt, sealed FROM community_message WHERE community = ?',
    ),
    msgSlot: db.prepare<[string, string, number], MessageRow>(
      'SELECT id, did, device, seq, epoch, kind, ch, at, received_at AS receivedAt, sealed FROM community_message WHERE community = ? AND device = ? AND seq = ?',
    ),
    msgCount: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM community_message WHERE community = ?'),
    envInsert: db.prepare(
      `INSERT OR IGNORE INTO community_envelope (community, hash, kind, epoch, branch, device, seq, status, received_at, body)
       VALUES (@community, @hash, @kind, @epoch, @branch, @device, @seq, @status, @receivedAt, @body)`,
    ),
    envByHash: db.prepare<[string, string], EnvelopeRow>(
      `SELECT ${ENVELOPE_COLUMNS} FROM community_envelope WHERE community = ? AND hash = ?`,
    ),
    envStatusOf: db.prepare<[string, string], { status: EnvelopeStatus }>(
      'SELECT status FROM community_envelope WHERE community = ? AND hash = ?',
    ),
    envStatus: db.prepare<[string, string | null, number | null, number]>(
      'UPDATE community_envelope SET status = ?, device = COALESCE(?, device), seq = COALESCE(?, seq) WHERE rowid = ?',
    ),
    envForget: db.prepare<[number]>("DELETE FROM community_envelope WHERE rowid = ? AND kind = 'join'"),
    envTodo: db.prepare<[string], EnvelopeRow>(
      `SELECT ${ENVELOPE_COLUMNS} FROM community_envelope WHERE community = ? AND status IN ('pending', 'held') ORDER BY rowid LIMIT 5000`,
    ),
    envSince: db.prepare<[string, number, number, number], EnvelopeRow>(
      `SELECT ${ENVELOPE_COLUMNS} FROM community_envelope WHERE community = ? AND rowid > ? AND received_at >= ? AND status IN ('done', 'held') AND kind != 'join' ORDER BY rowid LIMIT ?`,
    ),
    envRange: db.prepare<[string, string, number, number], EnvelopeRow>(
      `SELECT ${ENVELOPE_COLUMNS} FROM community_envelope WHERE community = ? AND device = ? AND seq BETWEEN ? AND ? AND status = 'done' ORDER BY seq LIMIT 512`,
    ),
    envCommits: db.prepare<[string, number], EnvelopeRow>(
      `SELECT ${ENVELOPE_COLUMNS} FROM community_envelope WHERE community = ? AND kind = 'commit' AND status = 'done' AND epoch >= ? ORDER BY epoch, rowid LIMIT 256`,
    ),
    envWelcome: db.prepare<[string, string], EnvelopeRow>(
      `SELECT ${ENVELOPE_COLUMNS} FROM community_envelope WHERE community = ? AND kind = 'welcome' AND json_extract(body, '$.to') = ? LIMIT 1`,
    ),
    envMineInBranches: db.prepare<[string, string, string], EnvelopeRow>(
      `SELECT ${ENVELOPE_COLUMNS} FROM community_envelope WHERE community = ? AND device = ? AND kind = 'msg' AND status = 'done' AND branch IN (SELECT value FROM json_each(?))`,
    ),
    readGet: db.prepare<[string, string], { message: string | null; at: number | null }>(
      'SELECT message, at FROM community_read WHERE community = ? AND channel = ?',
    ),
    readSet: db.prepare<[string, string, string, number]>(
      'INSERT INTO community_read (community, channel, message, at) VALUES (?, ?, ?, ?) ON CONFLICT (community, channel) DO UPDATE SET message = excluded.message, at = excluded.at',
    ),
    reqUpsert: db.prepare(
      `INSERT INTO community_request (community, id, did, invite_id, at, peer, status, request) VALUES (@community, @id, @did, @inviteId, @at, @peer, @status, @request)
       ON CONFLICT (community, id) DO NOTHING`,
    ),
    reqStatus: db.prepare<[string, string, string]>(
      'UPDATE community_request SET status = ? WHERE community = ? AND id = ?',
    ),
    reqGet: db.prepare<[string, string], Omit<RequestRow, 'request'> & { request: string }>(
      'SELECT id, did, invite_id AS inviteId, at, peer, status, request FROM community_request WHERE community = ? AND id = ?',
    ),
    reqPending: db.prepare<[string], Omit<RequestRow, 'request'> & { request: string }>(
      "SELECT id, did, invite_id AS inviteId, at, peer, status, request FROM community_request WHERE community = ? AND status = 'pending' ORDER BY at",
    ),
    noticeInsert: db.prepare<[string, string, number, number, string]>(
      'INSERT OR IGNORE INTO community_notice (community, id, epoch, at, data) VALUES (?, ?, ?, ?, ?)',
    ),
    noticeAll: db.prepare<[string], { data: string }>(
      'SELECT data FROM community_notice WHERE community = ? ORDER BY at, id',
    ),
  };

  const parse = dataParser();
  // One transaction function for every caller: better-sqlite3 builds a wrapper (four variants)
  // for each db.transaction call, which cost as much as the commit itself once per kept message.
  const inTransaction = db.transaction((fn: () => unknown) => fn());
  return {
    get: (id: string) => community(q.byId.get(id), parse),
    byTopic: (topic: string) => community(q.byTopic.get(topic), parse),
    bySwap: (swapId: string) => community(q.bySwap.get(swapId), parse),
    all: () => q.all.all().map((r) => community(r, parse)!),
    /** Saves a row; `lastMessageAt` only ever moves forward (a stale copy saved later keeps the newer time). */
    save(row: CommunityRow): void {
      q.upsert.run({ ...row, data: toJson(row.data) });
    },
    /** Moves `lastMessageAt` forward to `at` without reading or rewriting the row (once per received post). */
    touch: (id: string, at: number) => void q.touch.run({ id, at }),
    secret: {
      get: (community: string, name: string) => q.secretGet.get(community, name)?.sealed,
      put: (community: string, name: string, sealed: string) => void q.secretPut.run(community, name, sealed),
      delete: (community: string, name: string) => void q.secretDelete.run(community, name),
      names: (community: string, prefix: string) => q.secretNames.all(community, prefix).map((r) => r.name),
    },
    epochs: {
      put: (community: string, epoch: number, tag: string, key: string, sealedSecret: string, at: number) =>
        void q.epochPut.run(community, epoch, tag, key, sealedSecret, at),
      /** The newest epochs this node was in, with their sealed storage secrets. */
      recent: (community: string, limit: number) =>
        q.epochRecent
          .all(community, limit)
          .map((r) => ({ epoch: r.epoch, tag: r.tag, sealedSecret: r.storage_secret })),
      keyOf: (community: string, epoch: number, tag: string) => q.epochKey.get(community, epoch, tag)?.storage_key,
      newest: (community: string) => q.epochNewest.get(community)?.epoch ?? 0,
      prune: (community: string, below: number) => void q.epochPrune.run(community, below),
    },
    messages: {
      insert: (community: string, m: MessageRow) => q.msgInsert.run({ community, ...m }).changes > 0,
      all: (community: string) => q.msgAll.all(community),
      slot: (community: string, device: string, seq: number) => q.msgSlot.get(community, device, seq),
      count: (community: string) => q.msgCount.get(community)!.n,
    },
    envelopes: {
      /** The new row's id, or undefined when this envelope was already here. */
      insert(e: Omit<EnvelopeRow, 'rowid'>): number | undefined {
        const r = q.envInsert.run(e);
        return r.changes > 0 ? Number(r.lastInsertRowid) : undefined;
      },
      byHash: (community: string, hash: string) => q.envByHash.get(community, hash),
      /** The status alone (the body, which byHash copies out, is not read): once per envelope processed. */
      statusOf: (community: string, hash: string) => q.envStatusOf.get(community, hash)?.status,
      setStatus: (rowid: number, status: EnvelopeStatus, slot?: { device: string; seq: number }) =>
        void q.envStatus.run(status, slot?.device ?? null, slot?.seq ?? null, rowid),
      /** Forgets a join request put off by the community's rate limit: the joiner's next ask is taken afresh. */
      forgetJoin: (rowid: number) => void q.envForget.run(rowid),
      todo: (community: string) => q.envTodo.all(community),
      since: (community: string, after: number, at: number, limit: number) =>
        q.envSince.all(community, after, at, limit),
      range: (community: string, device: string, from: number, to: number) =>
        q.envRange.all(community, device, from, to),
      commitsFrom: (community: string, epoch: number) => q.envCommits.all(community, epoch),
      welcome: (community: string, to: string) => q.envWelcome.get(community, to),
      mineInBranches: (community: string, device: string, branches: readonly string[]) =>
        q.envMineInBranches.all(community, device, JSON.stringify(branches)),
    },
    reads: {
      get: (community: string, channel: string) => q.readGet.get(community, channel),
      set: (community: string, channel: string, message: string, at: number) =>
        void q.readSet.run(community, channel, message, at),
    },
    requests: {
      add: (community: string, r: RequestRow) =>
        q.reqUpsert.run({ community, ...r, request: toJson(r.request) }).changes > 0,
      get(community: string, id: string): RequestRow | undefined {
        const r = q.reqGet.get(community, id);
        return r && { ...r, request: fromJson(r.request) };
      },
      pending: (community: string): RequestRow[] =>
        q.reqPending.all(community).map((r) => ({ ...r, request: fromJson(r.request) })),
      setStatus: (community: string, id: string, status: RequestRow['status']) =>
        void q.reqStatus.run(status, community, id),
    },
    notices: {
      add: (community: string, id: string, epoch: number, at: number, data: unknown) =>
        q.noticeInsert.run(community, id, epoch, at, toJson(data)).changes > 0,
      all: (community: string) => q.noticeAll.all(community).map((r) => fromJson<unknown>(r.data)),
    },
    transaction: <T>(fn: () => T): T => inTransaction(fn) as T,
  };
}

export type CommunityRepo = ReturnType<typeof createCommunityRepo>;
