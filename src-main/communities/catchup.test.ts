import { afterEach, describe, expect, it } from 'vitest';
import { STORE_PROTOCOL } from '../../src-shared/communities/sync.ts';
import type { Page } from '../../src-shared/communities/storage.ts';
import { b64 } from '../../src-shared/communities/ids.ts';
import { deserializeGroup, receive } from '../../src-shared/communities/mls.ts';
import type { Envelope } from '../../src-shared/communities/envelope.ts';
import { createCommunityRepo } from './repo.ts';
import { createTestNet, eventually, testNode, type TestNet, type TestNode } from './testkit.ts';

let nodes: TestNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  nodes = [];
});

async function start(net: TestNet, names: string[], storage: string[] = []) {
  const made = await Promise.all(names.map((n) => testNode(net, n, { storage: storage.includes(n) })));
  nodes.push(...made);
  for (const a of made) for (const b of made) if (a !== b) net.connect(a.peerId, b.peerId);
  return made;
}

const texts = async (n: TestNode, id: string) =>
  (await n.node.handlers['communities.messages']({ id, channel: 'general' })).messages.map((m) => m.text);

async function join(owner: TestNode, id: string, who: TestNode) {
  const { link } = await owner.node.handlers['communities.invite']({ id });
  await who.node.handlers['communities.join']({ link });
  await eventually(
    async () => (await who.node.handlers['communities.get']({ id })).state === 'joined',
    `${who.name} joins`,
  );
}

async function storeCommunity(alice: TestNode, store: TestNode) {
  const nodes = await alice.node.handlers['communities.storageNodes']({});
  expect(nodes.map((n) => n.peerId)).toEqual([store.peerId]);
  const c = await alice.node.handlers['communities.create']({
    name: 'Archive',
    persistence: { mode: 'store', nodes: [{ peerId: nodes[0]!.peerId, key: nodes[0]!.key }], retentionDays: 30 },
  });
  await eventually(
    async () => (await store.node.handlers['communities.storageReport']({})).topics.length === 1,
    'the grant',
  );
  return c;
}

/** Alice, carol and a storage node; alice sends `count` posts while carol is offline, and the node keeps them. */
async function storedWhileAway(prefix: string, count: number) {
  const net = createTestNet();
  const [alice, carol, store] = (await start(net, ['alice', 'carol', 'store'], ['store'])) as [
    TestNode,
    TestNode,
    TestNode,
  ];
  const c = await storeCommunity(alice, store);
  await join(alice, c.id, carol);
  net.setOnline(carol.peerId, false);
  for (let i = 1; i <= count; i++)
    await alice.node.handlers['communities.send']({ id: c.id, channel: 'general', text: `${prefix}${i}` });
  await eventually(
    async () => (await store.node.handlers['communities.storageReport']({})).topics[0]!.items >= count + 2,
    'stored',
  );
  return { net, alice, carol, store, c };
}

/** Alice and bob; alice sends `count` posts while bob is offline (he catches up from her). */
async function sentWhileAway(prefix: string, count: number) {
  const net = createTestNet();
  const [alice, bob] = (await start(net, ['alice', 'bob'])) as [TestNode, TestNode];
  const c = await alice.node.handlers['communities.create']({ name: 'Away' });
  await join(alice, c.id, bob);
  net.setOnline(bob.peerId, false);
  for (let i = 1; i <= count; i++)
    await alice.node.handlers['communities.send']({ id: c.id, channel: 'general', text: `${prefix}${i}` });
  return { net, alice, bob, c };
}

describe('catching up', () => {
  it('a member back from offline catches up from a storage node in store mode, with every other member offline', async () => {
    const net = createTestNet();
    const [alice, bob, carol, store] = await start(net, ['alice', 'bob', 'carol', 'store'], ['store']);
    const c = await storeCommunity(alice!, store!);
    await join(alice!, c.id, bob!);
    await join(alice!, c.id, carol!);
    net.setOnline(carol!.peerId, false);
    for (let i = 1; i <= 12; i++)
      await (i % 2 ? alice! : bob!).node.handlers['communities.send']({
        id: c.id,
        channel: 'general',
        text: `note ${i}`,
      });
    await eventually(
      async () => (await store!.node.handlers['communities.storageReport']({})).topics[0]!.items >= 14,
      'stored',
    );
    net.setOnline(alice!.peerId, false);
    net.setOnline(bob!.peerId, false);
    net.setOnline(carol!.peerId, true);
    await eventually(
      async () => (await texts(carol!, c.id)).length === 12,
      'carol reads all twelve from the node',
      20_000,
    );
    expect(await texts(carol!, c.id)).toEqual(Array.from({ length: 12 }, (_, i) => `note ${i + 1}`));
  }, 60_000);

  it('a storage node learns nothing but sizes and timing', async () => {
    const net = createTestNet();
    const [alice, bob, store] = await start(net, ['alice', 'bob', 'store'], ['store']);
    const c = await storeCommunity(alice!, store!);
    await join(alice!, c.id, bob!);
    const secret = 'the meeting is at the old mill';
    await alice!.node.handlers['communities.send']({ id: c.id, channel: 'general', text: secret });
    await alice!.node.handlers['communities.send']({ id: c.id, channel: 'general', text: 'ok' });
    await eventually(async () => (await texts(bob!, c.id)).includes('ok'), 'bob reads');
    const kept = JSON.stringify([
      store!.db.prepare('SELECT * FROM storage_item').all(),
      store!.db.prepare('SELECT * FROM storage_topic').all(),
    ]);
    for (const hidden of [secret, 'Archive', 'general', alice!.did, bob!.did, alice!.did.slice(7), bob!.did.slice(7)])
      expect(kept.includes(hidden), hidden).toBe(false);
    const msgs = store!.db.prepare("SELECT size FROM storage_item WHERE kind = 'msg' ORDER BY seq").all() as Array<{
      size: number;
    }>;
    // The two posts (the last two messages): a longer and a shorter text land in one padding bucket.
    const [a, b] = msgs.slice(-2);
    expect(a!.size).toBe(b!.size);
    const report = await store!.node.handlers['communities.storageReport']({});
    expect(report.topics[0]).toMatchObject({ items: expect.any(Number), bytes: expect.any(Number) });
    expect(Object.keys(report.topics[0]!).sort()).toEqual(
      ['bytes', 'epoch', 'items', 'knocks', 'newestAt', 'oldestAt', 'quotaBytes', 'retentionDays', 'topic'].sort(),
    );
  });

  it('in relay mode a member back from offline catches up from the other members', async () => {
    const net = createTestNet();
    const [alice, bob, carol] = await start(net, ['alice', 'bob', 'carol']);
    const c = await alice!.node.handlers['communities.create']({ name: 'Relay' });
    await join(alice!, c.id, bob!);
    await join(alice!, c.id, carol!);
    net.setOnline(carol!.peerId, false);
    for (let i = 1; i <= 6; i++)
      await alice!.node.handlers['communities.send']({ id: c.id, channel: 'general', text: `relay ${i}` });
    await alice!.node.handlers['communities.remove']({ id: c.id, did: bob!.did });
    await alice!.node.handlers['communities.send']({ id: c.id, channel: 'general', text: 'after the removal' });
    net.setOnline(alice!.peerId, false);
    net.setOnline(carol!.peerId, true);
    // Only bob is there: removed, it still relays ciphertext of the epochs it knew, never the new ones.
    await eventually(async () => (await texts(carol!, c.id)).length === 6, 'carol catches up from bob', 20_000);
    net.setOnline(alice!.peerId, true);
    await eventually(
      async () => (await texts(carol!, c.id)).includes('after the removal'),
      'carol catches up from alice',
      20_000,
    );
    expect((await carol!.node.handlers['communities.get']({ id: c.id })).members).toBe(2);
  }, 60_000);

  it('in relay mode a member back asks the members that answer: absent ones do not use up its turns', async () => {
    const net = createTestNet();
    const [alice, bob, carol, dave] = (await start(net, ['alice', 'bob', 'carol', 'dave'])) as TestNode[];
    const c = await alice!.node.handlers['communities.create']({ name: 'Absent' });
    for (const who of [bob!, carol!, dave!]) await join(alice!, c.id, who);
    // bob and carol have spoken on the topic (so dave knows them as its peers), then go offline.
    for (const who of [bob!, carol!])
      await who.node.handlers['communities.send']({ id: c.id, channel: 'general', text: `${who.name} was here` });
    await eventually(async () => (await texts(dave!, c.id)).length === 2, 'dave reads both');
    net.setOnline(bob!.peerId, false);
    net.setOnline(carol!.peerId, false);
    // Each round, dave is away while alice writes; back, its one catch-up (the peers came back)
    // must reach alice, whatever order its shuffled peer list puts the absent ones in.
    for (let round = 1; round <= 4; round++) {
      net.setOnline(dave!.peerId, false);
      await alice!.node.handlers['communities.send']({ id: c.id, channel: 'general', text: `round ${round}` });
      net.setOnline(dave!.peerId, true);
      await eventually(
        async () => (await texts(dave!, c.id)).includes(`round ${round}`),
        `dave reads round ${round}`,
        8000,
      );
    }
  }, 90_000);

  it('a storage node that drops or alters a range is caught; the member gets the rest from peers', async () => {
    const { net, carol, store, c } = await storedWhileAway('m', 8);
    // The node's answers are tampered with: one item dropped, another's ciphertext altered.
    const handler = net.handlersOf(store!.peerId);
    const honest = handler.get(STORE_PROTOCOL)!;
    handler.set(STORE_PROTOCOL, async (req, ctx) => {
      const answer = await honest(req, ctx);
      const page = answer as Page;
      if (!page?.items) return answer;
      const items = page.items.filter((_, i) => i !== 3);
      const altered = items.map((it, i) =>
        i === 5 ? { ...it, envelope: { ...it.envelope, body: it.envelope.body.slice(0, -4) + 'AAAA' } } : it,
      );
      return { ...page, items: altered };
    });
    net.setOnline(carol!.peerId, true);
    await eventually(
      async () => (await texts(carol!, c.id)).length === 8,
      'carol gets every message from alice',
      20_000,
    );
    // The messages may all be shown (from alice) before carol's check of the node's page ends.
    await eventually(() => net.scoreOf(carol!.peerId, store!.peerId) > 0, 'the storage node is scored', 20_000);
    const shown = await texts(carol!, c.id);
    expect(shown).toEqual(Array.from({ length: 8 }, (_, i) => `m${i + 1}`));
  }, 60_000);

  it('a page’s group state is sealed before its cursor moves: a crash between them replays the page, never skips one', async () => {
    const { net, alice, carol, store, c } = await storedWhileAway('p', 30);
    net.setOnline(alice!.peerId, false);
    // The node cuts its pages to 8 items (as a size cut: `next` names the last item); when carol
    // asks for her second page, what a crash would leave of her is read from her store.
    const handler = net.handlersOf(store!.peerId);
    const honest = handler.get(STORE_PROTOCOL)!;
    const pages: Envelope[][] = [];
    let atSecond:
      Promise<{ cursor: number | undefined; after: number; refusedFirst: boolean[]; readsNext: string[] }> | undefined;
    handler.set(STORE_PROTOCOL, async (req, ctx) => {
      const answer = (await honest(req, ctx)) as Page;
      if (ctx.peerId !== carol!.peerId || !answer?.items) return answer;
      const after = (req as { request: { after: number } }).request.after;
      const items = answer.items.slice(0, 8);
      if (pages.length === 1 && !atSecond) {
        atSecond = (async () => {
          const { group, mls } = await carol!.sealedGroup(c.id);
          const saved = createCommunityRepo(carol!.db).get(c.id)!;
          // Every message of the first page was read with the sealed state: its keys are used up.
          const refusedFirst = [];
          for (const e of pages[0]!.filter((x) => x.kind === 'msg'))
            refusedFirst.push((await receive(mls, group!, b64.decode(e.body), Date.now())).kind === 'refused');
          // A node restarted from this store reads the next page with the sealed state.
          const readsNext = [];
          let g = group!;
          for (const i of items.filter((x) => x.envelope.kind === 'msg')) {
            const r = await receive(mls, g, b64.decode(i.envelope.body), Date.now());
            readsNext.push(r.kind);
            g = r.group;
          }
          return { cursor: saved.data.cursors[store!.peerId], after, refusedFirst, readsNext };
        })();
        await atSecond;
      }
      pages.push(items.map((i) => i.envelope));
      return { ...answer, items, next: items.length === 8 ? items[7]!.seq : answer.next };
    });
    net.setOnline(carol!.peerId, true);
    await eventually(async () => (await texts(carol!, c.id)).length === 30, 'carol reads all thirty', 30_000);
    expect(await texts(carol!, c.id)).toEqual(Array.from({ length: 30 }, (_, i) => `p${i + 1}`));
    expect(pages.length).toBeGreaterThan(2);
    const second = await atSecond!;
    // The cursor moved past the first page only after the page's state was sealed.
    expect(second.cursor).toBe(second.after);
    expect(second.refusedFirst.length).toBeGreaterThan(0);
    expect(second.refusedFirst.every(Boolean)).toBe(true);
    expect(second.readsNext.length).toBeGreaterThan(0);
    expect(second.readsNext.every((k) => k === 'message')).toBe(true);
  }, 60_000);

  it('a page’s messages are written with the group state that read them: a crash mid-page leaves none read and unwritten, none written and unread', async () => {
    const { net, bob, c } = await sentWhileAway('q', 40);
    // What a crash mid-page would leave of bob, read from his store between two of the page's
    // messages (outside any transaction): the sealed state, the envelopes, the messages.
    const env = bob.node.env;
    let calls = 0;
    let crash:
      | {
          sealed: string;
          envelopes: Array<{ status: string; device: string | null; seq: number | null; body: string }>;
          slots: Set<string>;
        }
      | undefined;
    const statusOf = env.repo.envelopes.statusOf;
    env.repo.envelopes.statusOf = (community, hash) => {
      if (++calls === 20 && community === c.id) {
        expect(bob.db.inTransaction).toBe(false);
        crash = {
          sealed: env.repo.secret.get(c.id, 'group')!,
          envelopes: bob.db
            .prepare<[string], { status: string; device: string | null; seq: number | null; body: string }>(
              "SELECT status, device, seq, body FROM community_envelope WHERE community = ? AND kind = 'msg' ORDER BY rowid",
            )
            .all(c.id),
          slots: new Set(env.repo.messages.all(c.id).map((m) => `${m.device}/${m.seq}`)),
        };
      }
      return statusOf(community, hash);
    };
    net.setOnline(bob.peerId, true);
    await eventually(async () => (await texts(bob, c.id)).length === 40, 'bob reads all forty', 30_000);
    expect(crash).toBeDefined();
    const { sealed, envelopes, slots } = crash!;
    // Replayed on the sealed state in order: what it has read must be written (else it is skipped
    // for good), what it has not read must not be (else it is applied twice).
    let group = deserializeGroup(env.mls, env.sealer.openBytes(sealed));
    const seen = { read: 0, unread: 0 };
    // (A message from before bob joined was refused when it came and is never read again.)
    const page = envelopes.filter((e) => e.status !== 'refused');
    for (const e of page) {
      const r = await receive(env.mls, group, b64.decode((JSON.parse(e.body) as Envelope).body), Date.now());
      if (r.kind === 'refused') {
        seen.read++;
        expect(e.status).toBe('done');
        expect(slots.has(`${e.device}/${e.seq}`)).toBe(true);
      } else {
        seen.unread++;
        expect(r.kind).toBe('message');
        expect(e.status).toBe('pending');
        group = r.group;
      }
    }
    expect(page.length).toBe(40);
    expect(seen.unread).toBeGreaterThan(0);
    expect(slots.size).toBe(seen.read);
  }, 60_000);

  it('a one-page catch-up into a timeline not yet loaded tells the client its unread count', async () => {
    const { net, bob } = await sentWhileAway('t', 5);
    // Locked and unlocked: bob's timelines are forgotten, read from the store again when needed.
    bob.lock();
    bob.unlock();
    bob.events.length = 0;
    net.setOnline(bob.peerId, true);
    const told = () =>
      bob.events.some((e) => e.event === 'communities.unread' && (e.data as { unread: number }).unread === 5);
    await eventually(told, 'the unread count of five told', 30_000);
  }, 60_000);
});
