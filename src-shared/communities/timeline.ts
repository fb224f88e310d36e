// The timeline (docs §11–12): messages in any order in, per channel the ordered view with edits,
// deletes and reactions folded in, plus the gaps (device, seq ranges) still to fetch. Order is
// causal (each device's seq order and the deps) with ties by (at, id), so every arrival order
// gives the same view; messages after a hole are shown and marked, never hidden.
import type { Dep, Inner } from './envelope.ts';
import { mayDelete } from './roles.ts';
import type { Role } from './roles.ts';

/** A decrypted message: the sender comes from MLS, the epoch from the MLS message it arrived in. */
export interface Received {
  readonly id: string;
  readonly did: string;
  readonly device: string;
  readonly epoch: number;
  readonly inner: Inner;
}

export interface TimelineMessage {
  id: string;
  did: string;
  device: string;
  seq: number;
  at: number;
  ch: string;
  text: string;
  replyTo?: { id: string; known: boolean };
  mentions: string[];
  mentionsMe: boolean;
  attachments: { name: string; mime: string; size: number; sha256: string }[];
  edited: boolean;
  deleted: boolean;
  reactions: { emoji: string; count: number; mine: boolean }[];
  /** A message it follows (its device's previous one or a dep) is not here yet. */
  afterGap: boolean;
}

export interface Gap {
  device: string;
  did?: string;
  from: number;
  to: number;
}

export interface Timeline {
  channels: Map<string, TimelineMessage[]>;
  gaps: Gap[];
}

export interface TimelineOptions {
  /** The first epoch this member could decrypt: older messages are not expected. */
  joinedEpoch: number;
  me: string;
  roleOf: (did: string) => Role;
}

const key = (device: string, seq: number) => `${device}:${seq}`;
const later = (a: Received, b: Received) => a.inner.at > b.inner.at || (a.inner.at === b.inner.at && a.id > b.id);

export function buildTimeline(messages: readonly Received[], opts: TimelineOptions, order?: CausalOrder): Timeline {
  // One message per (device, seq): a device that equivocates keeps its lower id, for everyone alike.
  let bySlot: ReadonlyMap<string, Received>;
  if (order) bySlot = order.slots;
  else {
    const slots = new Map<string, Received>();
    for (const m of messages) {
      const k = key(m.device, m.inner.seq);
      const had = slots.get(k);
      if (!had || m.id < had.id) slots.set(k, m);
    }
    bySlot = slots;
  }
  const all = [...bySlot.values()];
  const byId = new Map(all.map((m) => [m.id, m]));
  const gaps = findGaps(all, opts.joinedEpoch);
  const holes = new Map<string, Gap[]>();
  for (const g of gaps) (holes.get(g.device) ?? holes.set(g.device, []).get(g.device)!).push(g);
  const missing = (d: string, s: number) => holes.get(d)?.some((g) => s >= g.from && s <= g.to) ?? false;
  const ordered = order ? order.list() : causalOrder(all, bySlot).order;
  const folded = foldFollowUps(all, byId, opts);
  const channels = new Map<string, TimelineMessage[]>();
  for (const m of ordered) {
    if (m.inner.kind !== 'post') continue;
    const view = folded(m);
    view.afterGap = missing(m.device, m.inner.seq - 1) || m.inner.deps.some((d) => missing(d.d, d.s));
    (channels.get(view.ch) ?? channels.set(view.ch, []).get(view.ch)!).push(view);
  }
  return { channels, gaps };
}

/**
 * The causal order of a growing set of messages, kept between timeline builds (docs §12): a message
 * that only extends the order is appended in O(its distance from the end) instead of ordering
 * everything again. The result always equals `causalOrder` over the same messages: a message is
 * appended only when Kahn's algorithm would also take it last — nothing already here follows it
 * (it is its device's highest seq and no dep names it), the same slot holds no other message, and
 * it comes after, by (at, id), every message ordered after its last predecessor. Anything else (a
 * hole filled, an equivocation, a late message, lying deps) orders everything again at the next read.
 */
export class CausalOrder {
  readonly #bySlot = new Map<string, Received>();
  #order: Received[] = [];
  readonly #pos = new Map<string, number>();
  /** device → its highest seq here. */
  readonly #top = new Map<string, number>();
  /** Slots that deps name: a message arriving in one of them precedes something already ordered. */
  readonly #named = new Set<string>();
  #stale = false;
  /** The last full order left messages in a dep cycle: every later message orders everything again. */
  #tangled = false;
  /** How many messages were appended, and how many full orderings ran (for tests and benches). */
  appended = 0;
  rebuilt = 0;

  get slots(): ReadonlyMap<string, Received> {
    return this.#bySlot;
  }

  add(m: Received): void {
    const slot = key(m.device, m.inner.seq);
    const had = this.#bySlot.get(slot);
    if (had && had.id <= m.id) return;
    this.#bySlot.set(slot, m);
    const top = this.#top.get(m.device);
    if (top === undefined || m.inner.seq > top) this.#top.set(m.device, m.inner.seq);
    const appendable = !this.#stale && !had && !this.#tangled && !this.#named.has(slot) && this.#after(m, top);
    for (const d of m.inner.deps) this.#named.add(key(d.d, d.s));
    if (!appendable) {
      this.#stale = true;
      return;
    }
    this.#pos.set(m.id, this.#order.length);
    this.#order.push(m);
    this.appended++;
  }

  /** Whether `m` goes last: after its predecessors, and later by (at, id) than all ordered after them. */
  #after(m: Received, top: number | undefined): boolean {
    if (top !== undefined && m.inner.seq < top) return false;
    let last = -1;
    const note = (p: Received | undefined) => {
      if (p && p.id !== m.id) last = Math.max(last, this.#pos.get(p.id)!);
    };
    if (top !== undefined) note(this.#bySlot.get(key(m.device, top)));
    for (const d of m.inner.deps) note(this.#bySlot.get(key(d.d, d.s)));
    for (let i = this.#order.length - 1; i > last; i--) if (!later(m, this.#order[i]!)) return false;
    return true;
  }

  list(): readonly Received[] {
    if (this.#stale) {
      const all = [...this.#bySlot.values()];
      const { order, tangled } = causalOrder(all, this.#bySlot);
      this.#order = order;
      this.#tangled = tangled;
      this.#pos.clear();
      order.forEach((m, i) => this.#pos.set(m.id, i));
      this.#stale = false;
      this.rebuilt++;
    }
    return this.#order;
  }
}

/** Holes between the lowest and highest seq known per device (from messages and deps), at or after the join. */
export function findGaps(messages: readonly Received[], joinedEpoch: number): Gap[] {
  const points = new Map<string, { seqs: Set<number>; present: Set<number>; did?: string }>();
  const note = (device: string, seq: number, epoch: number, present: boolean, did?: string) => {
    if (epoch < joinedEpoch) return;
    const p = points.get(device) ?? { seqs: new Set<number>(), present: new Set<number>() };
    p.seqs.add(seq);
    if (present) p.present.add(seq);
    if (did) p.did = did;
    points.set(device, p);
  };
  for (const m of messages) {
    note(m.device, m.inner.seq, m.epoch, true, m.did);
    for (const d of m.inner.deps as Dep[]) note(d.d, d.s, d.e, false);
  }
  const gaps: Gap[] = [];
  for (const [device, p] of [...points].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const seqs = [...p.seqs].sort((a, b) => a - b);
    const present = [...p.present].sort((a, b) => a - b);
    const lo = seqs[0]!;
    const hi = seqs[seqs.length - 1]!;
    // Walk the present seqs; every stretch between them (and to lo/hi) that is absent is a gap.
    let next = lo;
    for (const s of [...present, hi + 1]) {
      if (s > next) gaps.push({ device, ...(p.did ? { did: p.did } : {}), from: next, to: Math.min(s - 1, hi) });
      next = Math.max(next, s + 1);
    }
  }
  return gaps;
}

/** Kahn's algorithm over device-order and dep edges, ready messages taken by (at, id). */
function causalOrder(
  all: readonly Received[],
  bySlot: ReadonlyMap<string, Received>,
): { order: Received[]; tangled: boolean } {
  const preds = new Map<string, Set<string>>();
  const succs = new Map<string, string[]>();
  const seqsOf = new Map<string, number[]>();
  for (const m of all) (seqsOf.get(m.device) ?? seqsOf.set(m.device, []).get(m.device)!).push(m.inner.seq);
  const previous = new Map<string, number>();
  for (const [device, list] of seqsOf) {
    list.sort((a, b) => a - b);
    for (let i = 1; i < list.length; i++) previous.set(key(device, list[i]!), list[i - 1]!);
  }
  const edge = (from: Received | undefined, to: Received) => {
    if (!from || from.id === to.id) return;
    (preds.get(to.id) ?? preds.set(to.id, new Set()).get(to.id)!).add(from.id);
    (succs.get(from.id) ?? succs.set(from.id, []).get(from.id)!).push(to.id);
  };
  for (const m of all) {
    const before = previous.get(key(m.device, m.inner.seq));
    if (before !== undefined) edge(bySlot.get(key(m.device, before)), m);
    for (const d of m.inner.deps) edge(bySlot.get(key(d.d, d.s)), m);
  }
  const byId = new Map(all.map((m) => [m.id, m]));
  const ready = new Heap<Received>((a, b) => later(b, a));
  for (const m of all) if (!preds.get(m.id)?.size) ready.push(m);
  const out: Received[] = [];
  const done = new Set<string>();
  for (let m = ready.pop(); m !== undefined; m = ready.pop()) {
    out.push(m);
    done.add(m.id);
    for (const s of succs.get(m.id) ?? []) {
      const p = preds.get(s)!;
      p.delete(m.id);
      if (p.size === 0 && !done.has(s)) ready.push(byId.get(s)!);
    }
  }
  // Deps that form a cycle can only come from lying senders; their messages go last, by (at, id).
  const rest = all.filter((m) => !done.has(m.id)).sort((a, b) => (later(a, b) ? 1 : -1));
  return { order: [...out, ...rest], tangled: rest.length > 0 };
}

/** A binary min-heap: `before(a, b)` when a comes out first. Keeps ordering O(n log n) for long channels. */
class Heap<T> {
  readonly #items: T[] = [];
  readonly #before: (a: T, b: T) => boolean;
  constructor(before: (a: T, b: T) => boolean) {
    this.#before = before;
  }
  push(item: T): void {
    const xs = this.#items;
    xs.push(item);
    for (let i = xs.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.#before(xs[i]!, xs[parent]!)) break;
      [xs[i], xs[parent]] = [xs[parent]!, xs[i]!];
      i = parent;
    }
  }
  pop(): T | undefined {
    const xs = this.#items;
    const top = xs[0];
    const last = xs.pop();
    if (xs.length === 0 || last === undefined) return top;
    xs[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < xs.length && this.#before(xs[l]!, xs[best]!)) best = l;
      if (r < xs.length && this.#before(xs[r]!, xs[best]!)) best = r;
      if (best === i) return top;
      [xs[i], xs[best]] = [xs[best]!, xs[i]!];
      i = best;
    }
  }
}

function foldFollowUps(all: readonly Received[], byId: ReadonlyMap<string, Received>, opts: TimelineOptions) {
  const edits = new Map<string, Received>();
  const deletes = new Set<string>();
  const reactions = new Map<string, Map<string, Received>>();
  for (const m of all) {
    const inner = m.inner;
    if (inner.kind !== 'edit' && inner.kind !== 'delete' && inner.kind !== 'react') continue;
    const target = byId.get(inner.target);
    if (!target || target.inner.kind !== 'post' || target.inner.ch !== inner.ch) continue;
    if (inner.kind === 'edit') {
      const had = edits.get(target.id);
      if (m.did === target.did && (!had || later(m, had))) edits.set(target.id, m);
    } else if (inner.kind === 'delete') {
      const deleter = { did: m.did, role: opts.roleOf(m.did) };
      if (mayDelete(deleter, { did: target.did, role: opts.roleOf(target.did) })) deletes.add(target.id);
    } else {
      const perTarget = reactions.get(target.id) ?? new Map<string, Received>();
      const k = `${m.did}\u0000${inner.emoji}`;
      const had = perTarget.get(k);
      if (!had || later(m, had)) perTarget.set(k, m);
      reactions.set(target.id, perTarget);
    }
  }
  return (m: Received): TimelineMessage => {
    const post = m.inner as Extract<Inner, { kind: 'post' }>;
    const edit = edits.get(m.id)?.inner as Extract<Inner, { kind: 'edit' }> | undefined;
    const deleted = deletes.has(m.id);
    const mentions = deleted ? [] : ((edit ? edit.mentions : post.mentions) ?? []);
    const counts = new Map<string, { count: number; mine: boolean }>();
    for (const r of reactions.get(m.id)?.values() ?? []) {
      const inner = r.inner as Extract<Inner, { kind: 'react' }>;
      if (!inner.on) continue;
      const c = counts.get(inner.emoji) ?? { count: 0, mine: false };
      counts.set(inner.emoji, { count: c.count + 1, mine: c.mine || r.did === opts.me });
    }
    return {
      id: m.id,
      did: m.did,
      device: m.device,
      seq: post.seq,
      at: post.at,
      ch: post.ch,
      text: deleted ? '' : (edit?.text ?? post.text),
      ...(post.replyTo ? { replyTo: { id: post.replyTo, known: byId.has(post.replyTo) } } : {}),
      mentions,
      mentionsMe: mentions.includes(opts.me),
      attachments: deleted
        ? []
        : (post.attachments ?? []).map(({ name, mime, size, sha256 }) => ({ name, mime, size, sha256 })),
      edited: edit !== undefined && !deleted,
      deleted,
      reactions: [...counts].map(([emoji, c]) => ({ emoji, ...c })).sort((a, b) => (a.emoji < b.emoji ? -1 : 1)),
      afterGap: false,
    };
  };
}

/** The read position of a channel: the last message read, and its time for when that message is gone. */
export interface ReadPosition {
  id?: string;
  at?: number;
}

/** Posts after the read position that are not mine and not deleted. */
export function unreadCount(view: readonly TimelineMessage[], read: ReadPosition | undefined, me: string): number {
  const counts = (m: TimelineMessage) => m.did !== me && !m.deleted;
  const i = read?.id === undefined ? -1 : view.findIndex((m) => m.id === read.id);
  if (i >= 0) return view.slice(i + 1).filter(counts).length;
  const since = read?.at;
  return view.filter((m) => counts(m) && (since === undefined || m.at > since)).length;
}
