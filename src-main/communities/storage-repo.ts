// A storage node's tables: per granted topic its grant, the epoch keys admins announced, its own
// sequence counter and byte count; per item the ciphertext envelope under its seq. Knows topics,
// kinds, epochs, sizes and times, never a name, a member or a plaintext.
import type { Database } from 'better-sqlite3';
import type { SignedGrant, StorageTopicState, StoredItem } from '../../src-shared/communities/storage.ts';
import type { Envelope } from '../../src-shared/communities/envelope.ts';
import { fromJson, toJson } from '../store/json.ts';

interface RawTopic {
  topic: string;
  grant_json: string;
  epoch_keys: string;
  newest_epoch: number;
  seq: number;
  bytes: number;
  knocks: number;
}

/** Epoch keys kept per topic: the serve window is 64 epochs, and branches add a few. */
const MAX_EPOCH_KEYS = 256;

/** A topic's row as the storage rules see it. */
const topicOf = (r: RawTopic | undefined): StorageTopicState | undefined =>
  r && {
    grant: fromJson<SignedGrant>(r.grant_json),
    epochKeys: new Map(Object.entries(fromJson<Record<string, string>>(r.epoch_keys))),
    newestEpoch: r.newest_epoch,
    seq: r.seq,
    bytes: r.bytes,
    knocks: r.knocks,
  };

/** The SQL, prepared once per database. */
function statements(db: Database) {
  return {
    topic: db.prepare<[string], RawTopic>(
      'SELECT topic, grant_json, epoch_keys, newest_epoch, seq, bytes, knocks FROM storage_topic WHERE topic = ?',
    ),
    topics: db.prepare<[], RawTopic>(
      'SELECT topic, grant_json, epoch_keys, newest_epoch, seq, bytes, knocks FROM storage_topic ORDER BY topic',
    ),
    count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM storage_topic'),
    put: db.prepare(
      `INSERT INTO storage_topic (topic, grant_json, epoch_keys, newest_epoch, seq, bytes, knocks, updated_at)
       VALUES (@topic, @grant, @keys, @newestEpoch, @seq, @bytes, @knocks, @at)
       ON CONFLICT (topic) DO UPDATE SET grant_json = excluded.grant_json, epoch_keys = excluded.epoch_keys,
         newest_epoch = excluded.newest_epoch, seq = excluded.seq, bytes = excluded.bytes, knocks = excluded.knocks,
         updated_at = excluded.updated_at`,
    ),
    insert: db.prepare(
      `INSERT OR IGNORE INTO storage_item (topic, seq, kind, size, at, hash, welcome_to, envelope)
       VALUES (@topic, @seq, @kind, @size, @at, @hash, @welcomeTo, @envelope)`,
    ),
    byHash: db.prepare<[string, string], { seq: number }>('SELECT seq FROM storage_item WHERE topic = ? AND hash = ?'),
    page: db.prepare<[string, number, number], { seq: number; envelope: string }>(
      'SELECT seq, envelope FROM storage_item WHERE topic = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    floor: db.prepare<[string], { seq: number | null }>('SELECT MIN(seq) AS seq FROM storage_item WHERE topic = ?'),
    welcome: db.prepare<[string, string], { envelope: string }>(
      'SELECT envelope FROM storage_item WHERE topic = ? AND welcome_to = ? ORDER BY seq DESC LIMIT 1',
    ),
    expired: db.prepare<[string, number], { size: number; kind: string }>(
      'SELECT size, kind FROM storage_item WHERE topic = ? AND at < ?',
    ),
    purge: db.prepare<[string, number]>('DELETE FROM storage_item WHERE topic = ? AND at < ?'),
    stats: db.prepare<[string], { items: number; oldest: number | null; newest: number | null }>(
      'SELECT COUNT(*) AS items, MIN(at) AS oldest, MAX(at) AS newest FROM storage_item WHERE topic = ?',
    ),
  };
}

export function createStorageRepo(db: Database) {
  const q = statements(db);

  const put = (topic: string, s: StorageTopicState, at: number) => {
    const keys = [...s.epochKeys].sort(([a], [b]) => Number(a.split(':')[0]) - Number(b.split(':')[0]));
    q.put.run({
      topic,
      grant: toJson(s.grant),
      keys: toJson(Object.fromEntries(keys.slice(-MAX_EPOCH_KEYS))),
      newestEpoch: s.newestEpoch,
      seq: s.seq,
      bytes: s.bytes,
      knocks: s.knocks,
      at,
    });
  };

  return {
    topic: (topic: string) => topicOf(q.topic.get(topic)),
    topics: () => q.topics.all().map((r) => ({ topic: r.topic, state: topicOf(r)! })),
    count: () => q.count.get()!.n,
    put,
    /** Stores an item under the state's new seq, all or nothing. */
    store(
      topic: string,
      s: StorageTopicState,
      item: { seq: number; envelope: Envelope; size: number; hash: string; at: number },
    ) {
      db.transaction(() => {
        q.insert.run({
          topic,
          seq: item.seq,
          kind: item.envelope.kind,
          size: item.size,
          at: item.at,
          hash: item.hash,
          welcomeTo: item.envelope.kind === 'welcome' ? (item.envelope.to ?? null) : null,
          envelope: toJson(item.envelope),
        });
        put(topic, s, item.at);
      })();
    },
    seqOfHash: (topic: string, hash: string) => q.byHash.get(topic, hash)?.seq,
    page(topic: string, after: number, limit: number): StoredItem[] {
      return q.page.all(topic, after, limit).map((r) => ({ seq: r.seq, envelope: fromJson<Envelope>(r.envelope) }));
    },
    floor: (topic: string) => q.floor.get(topic)?.seq ?? undefined,
    welcome: (topic: string, to: string) => {
      const r = q.welcome.get(topic, to);
      return r ? fromJson<Envelope>(r.envelope) : undefined;
    },
    /** Deletes items stored before `cutoff`; returns the bytes and knocks freed. */
    purge(topic: string, cutoff: number): { bytes: number; knocks: number } {
      return db.transaction(() => {
        const gone = q.expired.all(topic, cutoff);
        q.purge.run(topic, cutoff);
        return {
          bytes: gone.filter((g) => g.kind !== 'join').reduce((n, g) => n + g.size, 0),
          knocks: gone.filter((g) => g.kind === 'join').length,
        };
      })();
    },
    stats: (topic: string) => q.stats.get(topic)!,
  };
}

export type StorageRepo = ReturnType<typeof createStorageRepo>;
