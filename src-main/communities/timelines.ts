// Decrypted messages per community, kept in memory while the vault is unlocked, and the timeline
// the pure core builds from them (order, gaps, follow-ups folded in). A live post is told to the
// UI at once; the timeline is rebuilt at most every REBUILD_MS (longer when rebuilds are slow; the
// causal order is extended incrementally, timeline.ts CausalOrder), after which unread counts,
// gaps and the posts that follow-ups changed are told. A catch-up of thousands rebuilds once.
import type { Dep, Inner } from '../../src-shared/communities/envelope.ts';
import { roleOf } from '../../src-shared/communities/roles.ts';
import { buildTimeline, CausalOrder, unreadCount } from '../../src-shared/communities/timeline.ts';
import type { Received, Timeline, TimelineMessage } from '../../src-shared/communities/timeline.ts';
import { MAX_DEPS } from '../../src-shared/communities/envelope.ts';
import type { Env } from './env.ts';
import type { CommunityRow } from './repo.ts';

const REBUILD_MS = 100;
/**
 * A rebuild is O(messages): with a long history arriving (a catch-up of thousands) rebuilds are
 * spaced so that they take at most a tenth of the time, instead of one per REBUILD_MS (at a fifth
 * they were ~5% of a 10,000-message catch-up; a 50 ms rebuild is now followed by 450 ms without one).
 */
const BUSY_RATIO = 9;
/** More changed posts than this in one rebuild (a catch-up): clients refetch instead of hearing each. */
const MAX_TOLD = 50;

interface Entry {
  received: Received[];
  /** The causal order, extended as messages come rather than rebuilt for each timeline. */
  order: CausalOrder;
  ids: Set<string>;
  /** device → its latest message seen: what the next message of ours depends on. */
  heads: Map<string, { seq: number; epoch: number; at: number }>;
  built?: Timeline;
  /** Posts already told to clients, so a rebuild tells only changes. */
  told: Map<string, string>;
  lastUnread: Map<string, string>;
  /** Whether `told` holds the posts of the first build (loaded from the store, not news). */
  primed: boolean;
}

export interface Timelines {
  /** Adds a decrypted message; `live` posts are told to clients right away. */
  add(id: string, r: Received, live: boolean): void;
  timeline(id: string): Timeline;
  /**
   * Reads the stored messages in, once (as the first `add` does): called before a catch-up page's
   * messages are written, so that they are news when added, not taken in silently with the rest.
   */
  open(id: string): void;
  /** Our next message's causal links: the latest message of up to MAX_DEPS other devices. */
  deps(id: string, ownDevice: string | undefined): Dep[];
  has(id: string, messageId: string): boolean;
  find(id: string, messageId: string): Received | undefined;
  unread(row: CommunityRow): { total: number; mentions: number; perChannel: Map<string, number> };
  /** Forgets what is in memory (vault locked). */
  clear(): void;
}

export function createTimelines(env: Env): Timelines {
  const entries = new Map<string, Entry>();
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const load = (id: string): Entry => {
    const known = entries.get(id);
    if (known) return known;
    const e: Entry = {
      received: [],
      order: new CausalOrder(),
      ids: new Set(),
      heads: new Map(),
      told: new Map(),
      lastUnread: new Map(),
      primed: false,
    };
    for (const m of env.repo.messages.all(id)) {
      const inner = JSON.parse(env.sealer.openText(m.sealed)) as Inner;
      push(e, { id: m.id, did: m.did, device: m.device, epoch: m.epoch, inner });
    }
    entries.set(id, e);
    return e;
  };

  const push = (e: Entry, r: Received) => {
    e.received.push(r);
    e.order.add(r);
    e.ids.add(r.id);
    const head = e.heads.get(r.device);
    if (!head || r.inner.seq > head.seq) e.heads.set(r.device, { seq: r.inner.seq, epoch: r.epoch, at: r.inner.at });
    e.built = undefined;
  };

  const build = (id: string, e: Entry): Timeline => {
    if (e.built) return e.built;
    const row = env.repo.get(id);
    const descriptor = row?.data.descriptor?.descriptor;
    e.built = buildTimeline(
      e.received,
      {
        joinedEpoch: row?.data.joinedEpoch ?? 0,
        me: row?.me ?? '',
        roleOf: (did) => (descriptor ? roleOf(descriptor, did) : 'member'),
      },
      e.order,
    );
    return e.built;
  };

  const unreadOf = (row: CommunityRow, t: Timeline) => {
    const perChannel = new Map<string, number>();
    let total = 0;
    let mentions = 0;
    for (const ch of row.data.descriptor?.descriptor.channels ?? []) {
      const view = t.channels.get(ch.id) ?? [];
      const read = env.repo.reads.get(row.id, ch.id);
      const n = unreadCount(
        view,
        read ? { id: read.message ?? undefined, at: read.at ?? undefined } : undefined,
        row.me,
      );
      perChannel.set(ch.id, n);
      total += n;
      if (n > 0) mentions += view.slice(-n).filter((m) => m.mentionsMe && m.did !== row.me).length;
    }
    return { total, mentions, perChannel };
  };

  const tell = (id: string) => {
    const e = entries.get(id);
    const row = env.repo.get(id);
    if (!e || !row) return;
    const t = build(id, e);
    const changed: TimelineMessage[] = [];
    for (const view of t.channels.values()) {
      for (const m of view) {
        const sig = signature(m);
        if (e.told.get(m.id) === sig) continue;
        e.told.set(m.id, sig);
        changed.push(m);
      }
    }
    if (e.primed && changed.length <= MAX_TOLD)
      for (const m of changed) env.emit('communities.message', { id, message: m });
    else if (e.primed) env.emit('communities.updated', { id, reason: 'messages' });
    e.primed = true;
    const u = unreadOf(row, t);
    for (const [channel, unread] of u.perChannel) {
      const key = `${unread}`;
      if (e.lastUnread.get(channel) === key) continue;
      e.lastUnread.set(channel, key);
      env.emit('communities.unread', { id, channel, unread, mentions: u.mentions });
    }
    if (t.gaps.length > 0)
      for (const ch of row.data.descriptor?.descriptor.channels ?? [])
        env.emit('communities.gaps', { id, channel: ch.id, gaps: t.gaps.slice(0, 200) });
  };

  /** How long the last round of rebuilds took: the next waits at least BUSY_RATIO times that. */
  let lastRoundMs = 0;
  const schedule = (id: string) => {
    pending.add(id);
    if (timer) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        const started = performance.now();
        for (const p of [...pending]) {
          pending.delete(p);
          tell(p);
        }
        lastRoundMs = performance.now() - started;
      },
      Math.max(REBUILD_MS, BUSY_RATIO * lastRoundMs),
    );
    timer.unref?.();
  };

  return {
    add(id, r, live) {
      const e = load(id);
      if (e.ids.has(r.id)) return;
      if (!e.primed) tell(id);
      push(e, r);
      if (live && r.inner.kind === 'post') {
        // The post alone, folded with any follow-ups that arrived before it: told without waiting.
        const related = e.received.filter((x) => x.id === r.id || ('target' in x.inner && x.inner.target === r.id));
        const row = env.repo.get(id);
        const view = buildTimeline(related, {
          joinedEpoch: 0,
          me: row?.me ?? '',
          roleOf: () => 'member',
        }).channels.get(r.inner.ch)?.[0];
        if (view) {
          e.told.set(view.id, signature(view));
          env.emit('communities.message', { id, message: view });
        }
      }
      schedule(id);
    },
    timeline: (id) => build(id, load(id)),
    open: (id) => void load(id),
    deps(id, ownDevice) {
      const e = load(id);
      return [...e.heads]
        .filter(([device]) => device !== ownDevice)
        .sort(([, a], [, b]) => b.at - a.at)
        .slice(0, MAX_DEPS)
        .map(([d, h]) => ({ d, s: h.seq, e: h.epoch }));
    },
    has: (id, messageId) => load(id).ids.has(messageId),
    find: (id, messageId) => load(id).received.find((r) => r.id === messageId),
    unread: (row) => unreadOf(row, build(row.id, load(row.id))),
    clear() {
      entries.clear();
      pending.clear();
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** What a client would see change: text, edits, deletes, reactions, the gap mark. */
function signature(m: TimelineMessage): string {
  return JSON.stringify([m.text, m.edited, m.deleted, m.reactions, m.afterGap, m.replyTo?.known ?? null]);
}
