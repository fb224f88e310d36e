import { describe, expect, it } from 'vitest';
import { messageId } from './envelope.ts';
import type { Dep, Inner } from './envelope.ts';
import type { Role } from './roles.ts';
import { buildTimeline, CausalOrder, unreadCount } from './timeline.ts';
import type { Received } from './timeline.ts';
import { identity, T0 } from './testkit.ts';

const [alice, bob, mod] = ['tl-alice', 'tl-bob', 'tl-mod'].map((n) => identity(n).did) as [string, string, string];
const DEV = { [alice]: 'aaaaaaaaaaaaaaaa', [bob]: 'bbbbbbbbbbbbbbbb', [mod]: 'cccccccccccccccc' };
const roles: Record<string, Role> = { [alice]: 'member', [bob]: 'member', [mod]: 'admin' };
const opts = { joinedEpoch: 0, me: alice, roleOf: (d: string) => roles[d] ?? 'member' };

type Body = Omit<Extract<Inner, { kind: 'post' }>, 'v' | 'kind' | 'ch' | 'seq' | 'at' | 'deps'>;
function msg(
  did: string,
  seq: number,
  at: number,
  body: Partial<Inner> & { kind?: Inner['kind'] } = {},
  deps: Dep[] = [],
  epoch = 1,
): Received {
  const inner = { v: 1, kind: 'post', ch: 'general', seq, at, deps, text: `${seq}`, ...body } as Inner;
  return { id: messageId(did, DEV[did]!, inner), did, device: DEV[did]!, epoch, inner };
}
const post = (did: string, seq: number, at: number, text: string, deps: Dep[] = [], extra: Partial<Body> = {}) =>
  msg(did, seq, at, { text, ...extra } as Partial<Inner>, deps);
const dep = (did: string, s: number, e = 1): Dep => ({ d: DEV[did]!, s, e });
const texts = (r: Received[], o = opts) => (buildTimeline(r, o).channels.get('general') ?? []).map((m) => m.text);

function shuffled<T>(xs: T[], seed: number): T[] {
  let s = seed;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return xs
    .map((x) => [rnd(), x] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, x]) => x);
}

describe('timeline', () => {
  const a1 = post(alice, 1, T0, 'hi');
  const b1 = post(bob, 1, T0 + 5, 'hello', [dep(alice, 1)]);
  const a2 = post(alice, 2, T0 + 9, 'how are you', [dep(bob, 1)]);
  const b2 = post(bob, 2, T0 + 2, 'fine', [dep(alice, 2)]); // its clock is behind: causality still puts it last

  it('takes messages in any order and yields the same causal view', () => {
    const expected = ['hi', 'hello', 'how are you', 'fine'];
    for (let seed = 1; seed < 20; seed++) expect(texts(shuffled([a1, b1, a2, b2], seed))).toEqual(expected);
  });

  it('reports gaps per device as seq ranges and marks the messages after them', () => {
    const a5 = post(alice, 5, T0 + 50, 'five', [dep(bob, 4)]);
    const t = buildTimeline([a1, b1, a5], opts);
    expect(t.gaps).toEqual([
      { device: DEV[alice], did: alice, from: 2, to: 4 },
      { device: DEV[bob], did: bob, from: 2, to: 4 },
    ]);
    const view = t.channels.get('general')!;
    expect(view.map((m) => [m.text, m.afterGap])).toEqual([
      ['hi', false],
      ['hello', false],
      ['five', true],
    ]);
  });

  it('a device known only from a dep is a gap too', () => {
    const unseen = { d: 'dddddddddddddddd', s: 3, e: 2 };
    expect(buildTimeline([post(bob, 1, T0, 'x', [unseen])], opts).gaps).toEqual([{ device: unseen.d, from: 3, to: 3 }]);
  });

  it('messages from before the join are not expected', () => {
    const late = post(alice, 40, T0, 'after join', [dep(bob, 30, 1)]);
    const r = { ...late, epoch: 5 };
    expect(buildTimeline([r], { ...opts, joinedEpoch: 5 }).gaps).toEqual([]);
    expect(buildTimeline([r], opts).gaps).toEqual([{ device: DEV[bob], from: 30, to: 30 }]);
  });

  it('an edit by another member is ignored; the author’s latest edit wins', () => {
    const byBob = msg(bob, 3, T0 + 20, { kind: 'edit', target: a1.id, text: 'hacked' });
    const first = msg(alice, 3, T0 + 21, { kind: 'edit', target: a1.id, text: 'hi there' });
    const second = msg(alice, 4, T0 + 22, { kind: 'edit', target: a1.id, text: 'hi all' });
    const view = buildTimeline([second, a1, byBob, first], opts).channels.get('general')!;
    expect(view.map((m) => [m.text, m.edited])).toEqual([['hi all', true]]);
  });

  it('a moderator may delete a member’s message; a member may not delete another’s', () => {
    const byBob = msg(bob, 3, T0 + 20, { kind: 'delete', target: a1.id });
    expect(buildTimeline([a1, byBob], opts).channels.get('general')![0]!.deleted).toBe(false);
    const byMod = msg(mod, 1, T0 + 20, { kind: 'delete', target: a1.id });
    const gone = buildTimeline([a1, byMod], opts).channels.get('general')![0]!;
    expect([gone.deleted, gone.text]).toEqual([true, '']);
    const own = msg(alice, 2, T0 + 20, { kind: 'delete', target: a1.id });
    expect(buildTimeline([own, a1], opts).channels.get('general')![0]!.deleted).toBe(true);
  });

  it('reactions count once per identity and emoji, the latest on/off winning', () => {
    const r = (did: string, seq: number, at: number, on: boolean, emoji = '👍') =>
      msg(did, seq, at, { kind: 'react', target: a1.id, emoji, on });
    const t = buildTimeline(
      [
        a1,
        r(bob, 2, T0 + 1, true),
        r(bob, 3, T0 + 2, true),
        r(alice, 2, T0 + 3, true),
        r(mod, 1, T0 + 1, true),
        r(mod, 2, T0 + 9, false),
        r(bob, 4, T0 + 4, true, '🎉'),
      ],
      opts,
    );
    expect(t.channels.get('general')![0]!.reactions).toEqual([
      { emoji: '🎉', count: 1, mine: false },
      { emoji: '👍', count: 2, mine: true },
    ]);
  });

  it('replies show whether the quoted message is known; mentions of me are flagged', () => {
    const reply = post(bob, 1, T0, 'yes', [], { replyTo: 'ee'.repeat(32), mentions: [alice] });
    const m = buildTimeline([reply], opts).channels.get('general')![0]!;
    expect([m.replyTo, m.mentionsMe]).toEqual([{ id: 'ee'.repeat(32), known: false }, true]);
  });

  it('a device that sends two messages with one seq keeps the lower id for everyone', () => {
    const x = post(bob, 1, T0, 'one');
    const y = post(bob, 1, T0, 'other');
    const keep = x.id < y.id ? 'one' : 'other';
    expect(texts([x, y])).toEqual([keep]);
    expect(texts([y, x])).toEqual([keep]);
  });

  it('deps in a cycle cannot hide messages', () => {
    const p = post(alice, 1, T0, 'p', [dep(bob, 1)]);
    const q = post(bob, 1, T0 + 1, 'q', [dep(alice, 1)]);
    expect(texts([q, p])).toEqual(['p', 'q']);
  });

  it('unread counts posts after the read position that are not mine', () => {
    const view = buildTimeline([a1, b1, a2, b2], opts).channels.get('general')!;
    expect(unreadCount(view, undefined, alice)).toBe(2);
    expect(unreadCount(view, { id: b1.id }, alice)).toBe(1);
    expect(unreadCount(view, { id: b2.id }, alice)).toBe(0);
    expect(unreadCount(view, { id: 'ff'.repeat(32), at: T0 + 3 }, alice)).toBe(1);
  });
});

/** A history of three devices: deps on what each had seen (lagging), skewed clocks, equivocations. */
function history(seed: number, n: number, o: { forks?: boolean; cycle?: boolean } = {}): Received[] {
  let s = seed;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const dids = [alice, bob, mod];
  const seqs = [0, 0, 0];
  const out: Received[] = [];
  for (let i = 0; i < n; i++) {
    const who = Math.floor(rnd() * 3);
    const seq = ++seqs[who]!;
    // What this device has seen of the others: their latest, or a few behind.
    const deps = dids
      .map((d, j) => [d, j] as const)
      .filter(([, j]) => j !== who && seqs[j]! > 0 && rnd() < 0.7)
      .map(([d, j]) => dep(d, Math.max(1, seqs[j]! - Math.floor(rnd() * 3))));
    const at = T0 + i * 10 + Math.floor(rnd() * 60) - 30;
    out.push(post(dids[who]!, seq, at, `${who}:${seq}`, deps));
    if (o.forks && rnd() < 0.05) out.push(post(dids[who]!, seq, at + 1, `${who}:${seq} fork`, deps));
  }
  if (o.cycle) {
    // Lying deps: two messages that each depend on the other.
    const a = seqs[0]! + 1;
    const b = seqs[1]! + 1;
    out.push(post(alice, a, T0 + n * 10, 'cycle a', [dep(bob, b)]));
    out.push(post(bob, b, T0 + n * 10 + 1, 'cycle b', [dep(alice, a)]));
    out.push(post(mod, seqs[2]! + 1, T0 + n * 10 + 2, 'after cycle', [dep(alice, a)]));
  }
  return out;
}

describe('incremental causal order', () => {
  const full = (r: Received[]) => buildTimeline(r, opts);
  const incremental = (r: Received[], order: CausalOrder) => buildTimeline(r, opts, order);

  it('equals the full ordering after every message, in sending order and shuffled, with forks and holes', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const h = history(seed, 120, { forks: seed % 2 === 0 });
      for (const arrival of [
        h,
        shuffled(h, seed + 100),
        h.filter((_, i) => i % 7 !== 3).concat(h.filter((_, i) => i % 7 === 3)),
      ]) {
        const order = new CausalOrder();
        const seen: Received[] = [];
        for (const [i, m] of arrival.entries()) {
          order.add(m);
          seen.push(m);
          // Read the order at irregular points, as timeline builds do.
          if (i % 5 === seed % 5 || i === arrival.length - 1) expect(incremental(seen, order)).toEqual(full(seen));
        }
      }
    }
  });

  it('extends the order without reordering when messages come in sending order', () => {
    const h = history(7, 400);
    const order = new CausalOrder();
    for (const m of h) {
      order.add(m);
      order.list();
    }
    expect(incremental(h, order)).toEqual(full(h));
    // Skewed clocks make some messages land before others already ordered: those reorder, most append.
    expect(order.appended).toBeGreaterThan(300);
    expect(order.appended + order.rebuilt).toBe(400);
  });

  it('equals the full ordering with lying deps that form a cycle, and with a lower-id equivocation arriving late', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const h = history(seed, 60, { cycle: true, forks: true });
      for (const arrival of [h, shuffled(h, seed)]) {
        const order = new CausalOrder();
        const seen: Received[] = [];
        for (const m of arrival) {
          order.add(m);
          seen.push(m);
          expect(incremental(seen, order)).toEqual(full(seen));
        }
        expect(
          full(seen)
            .channels.get('general')!
            .map((m) => m.text),
        ).toContain('after cycle');
      }
    }
  });
});
