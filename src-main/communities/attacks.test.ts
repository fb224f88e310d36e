import { sha256 } from '@noble/hashes/sha2.js';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, encodeInner, type Inner } from '../../src-shared/communities/envelope.ts';
import { b64, bytesToHex } from '../../src-shared/communities/ids.ts';
import { deserializeGroup, encrypt, serializeGroup } from '../../src-shared/communities/mls.ts';
import { createTestNet, eventually, testNode, type TestNet, type TestNode } from './testkit.ts';

let nodes: TestNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  nodes = [];
});

/** Nodes linked to each other and to mallory, a bare host that publishes whatever it likes. */
async function start(net: TestNet, ...names: string[]) {
  const made = await Promise.all(names.map((n) => testNode(net, n)));
  nodes.push(...made);
  const mallory = net.p2p('peer-mallory');
  for (const a of made) {
    for (const b of made) if (a !== b) net.connect(a.peerId, b.peerId);
    net.connect(a.peerId, mallory.peerId);
    net.connect(mallory.peerId, a.peerId);
  }
  return { made, mallory };
}

const texts = async (n: TestNode, id: string) =>
  (await n.node.handlers['communities.messages']({ id, channel: 'general' })).messages.map((m) => m.text);

async function community(owner: TestNode, ...joiners: TestNode[]) {
  const c = await owner.node.handlers['communities.create']({ name: 'Guarded' });
  for (const j of joiners) {
    const { link } = await owner.node.handlers['communities.invite']({ id: c.id });
    await j.node.handlers['communities.join']({ link });
    await eventually(async () => (await j.node.handlers['communities.get']({ id: c.id })).state === 'joined', 'joined');
  }
  await eventually(
    async () => (await owner.node.handlers['communities.get']({ id: c.id })).members === joiners.length + 1,
    'all in',
  );
  return owner.node.handlers['communities.get']({ id: c.id });
}

/**
 * Positive control before an absence check: `n` has taken these envelopes in and processed them
 * (each row left 'pending'); returns their statuses. Sleeping instead would pass on a node that
 * had not got to them yet.
 */
async function processed(n: TestNode, id: string, envelopes: Uint8Array[], what: string): Promise<string[]> {
  const hashes = envelopes.map((e) => bytesToHex(sha256(e)));
  return eventually(() => {
    const rows = hashes.map((h) => n.node.env.repo.envelopes.byHash(id, h));
    return rows.every((r) => r !== undefined && r.status !== 'pending') && rows.map((r) => r!.status);
  }, what);
}

describe('attacks from the network', () => {
  it('junk, an oversized envelope and a non-member’s message are dropped with the sender scored, and nothing is shown', async () => {
    const net = createTestNet();
    const {
      made: [alice, bob],
      mallory,
    } = await start(net, 'alice', 'bob');
    const c = await community(alice!, bob!);
    await alice!.node.handlers['communities.send']({ id: c.id, channel: 'general', text: 'before' });
    await eventually(async () => (await texts(bob!, c.id)).includes('before'), 'bob reads');
    const topic = (await alice!.node.env.repo.get(c.id))!.topic;
    await mallory.publish(topic, new TextEncoder().encode('{"not":"an envelope"}'));
    await mallory.publish(topic, new Uint8Array(300 * 1024).fill(65));
    // A well-formed envelope whose MLS body no member made.
    await mallory.publish(
      topic,
      encodeEnvelope({
        v: 1,
        topic,
        kind: 'msg',
        epoch: String(c.epoch),
        branch: alice!.node.env.repo.get(c.id)!.data.tag,
        body: b64.encode(new Uint8Array(200).fill(7)),
      }),
    );
    await eventually(() => net.scoreOf(alice!.peerId, mallory.peerId) >= 3, 'mallory scored at alice');
    expect(net.scoreOf(bob!.peerId, mallory.peerId)).toBeGreaterThan(0);
    await alice!.node.handlers['communities.send']({ id: c.id, channel: 'general', text: 'after' });
    await eventually(async () => (await texts(bob!, c.id)).includes('after'), 'the community goes on');
    expect(await texts(bob!, c.id)).toEqual(['before', 'after']);
  });

  it('a removed member’s new messages, made with the keys it had, are not shown', async () => {
    const net = createTestNet();
    const {
      made: [alice, bob, carol],
      mallory,
    } = await start(net, 'alice', 'bob', 'carol');
    const c = await community(alice!, bob!, carol!);
    const row = bob!.node.env.repo.get(c.id)!;
    const kept = serializeGroup(bob!.node.env.groups.get(c.id)!);
    await alice!.node.handlers['communities.remove']({ id: c.id, did: bob!.did });
    await eventually(
      async () => (await carol!.node.handlers['communities.get']({ id: c.id })).members === 2,
      'removed',
    );
    const inner: Inner = {
      v: 1,
      kind: 'post',
      ch: 'general',
      text: 'still here',
      seq: row.data.seq + 1,
      at: Date.now(),
      deps: [],
    };
    const out = await encrypt(bob!.node.env.mls, deserializeGroup(bob!.node.env.mls, kept), encodeInner(inner));
    const stale = encodeEnvelope({
      v: 1,
      topic: row.topic,
      kind: 'msg',
      epoch: String(row.data.epoch),
      branch: row.data.tag,
      body: b64.encode(out.message),
    });
    await mallory.publish(row.topic, stale);
    await alice!.node.handlers['communities.send']({ id: c.id, channel: 'general', text: 'members only' });
    await eventually(async () => (await texts(carol!, c.id)).includes('members only'), 'carol reads alice');
    expect(await processed(carol!, c.id, [stale], 'carol processed the stale message')).toEqual(['refused']);
    expect(await processed(alice!, c.id, [stale], 'alice processed the stale message')).toEqual(['refused']);
    expect(await texts(carol!, c.id)).not.toContain('still here');
    expect(await texts(alice!, c.id)).not.toContain('still here');
  });

  it('a replayed commit changes nothing', async () => {
    const net = createTestNet();
    const {
      made: [alice, bob, carol],
      mallory,
    } = await start(net, 'alice', 'bob', 'carol');
    const c = await community(alice!, bob!, carol!);
    const from = net.wire.length;
    await alice!.node.handlers['communities.remove']({ id: c.id, did: carol!.did });
    await eventually(async () => (await bob!.node.handlers['communities.get']({ id: c.id })).members === 2, 'removed');
    const commit = net.wire
      .slice(from)
      .find((w) => w.from === alice!.peerId && decodeEnvelope(w.data).kind === 'commit')!;
    const before = await bob!.node.handlers['communities.get']({ id: c.id });
    const notices = (await bob!.node.handlers['communities.messages']({ id: c.id, channel: 'general' })).notices.length;
    await mallory.publish(commit.topic, commit.data);
    // Positive control: bob hears mallory's next message, junk he scores, only after the replay
    // (the test net delivers each sender's messages in order, and a duplicate is dropped as it
    // arrives), so once mallory's score rises the replay has been handled.
    const scored = net.scoreOf(bob!.peerId, mallory.peerId);
    await mallory.publish(commit.topic, new TextEncoder().encode('{"not":"an envelope"}'));
    await eventually(() => net.scoreOf(bob!.peerId, mallory.peerId) > scored, 'bob scored the junk after the replay');
    const after = await bob!.node.handlers['communities.get']({ id: c.id });
    expect(after.epoch).toBe(before.epoch);
    expect(after.members).toBe(2);
    expect((await bob!.node.handlers['communities.messages']({ id: c.id, channel: 'general' })).notices).toHaveLength(
      notices,
    );
    await alice!.node.handlers['communities.send']({ id: c.id, channel: 'general', text: 'same epoch' });
    await eventually(async () => (await texts(bob!, c.id)).includes('same epoch'), 'bob reads on');
  });

  it('a member may not remove another member or change roles', async () => {
    const net = createTestNet();
    const {
      made: [alice, bob, carol],
    } = await start(net, 'alice', 'bob', 'carol');
    const c = await community(alice!, bob!, carol!);
    await expect(bob!.node.handlers['communities.remove']({ id: c.id, did: carol!.did })).rejects.toMatchObject({
      details: { code: expect.stringMatching(/not-admin|role|forbidden/) },
    });
    await expect(
      bob!.node.handlers['communities.setRole']({ id: c.id, did: bob!.did, role: 'admin' }),
    ).rejects.toThrow();
    expect((await alice!.node.handlers['communities.get']({ id: c.id })).members).toBe(3);
  });

  it('a flood of posts is cut at the burst and the flooding peer scored', async () => {
    const net = createTestNet();
    const {
      made: [alice, bob],
    } = await start(net, 'alice', 'bob');
    const c = await community(alice!, bob!);
    const from = net.wire.length;
    for (let i = 0; i < 60; i++)
      await bob!.node.handlers['communities.send']({ id: c.id, channel: 'general', text: `spam ${i}` });
    await eventually(() => net.scoreOf(alice!.peerId, bob!.peerId) > 0, 'bob scored');
    const topic = alice!.node.env.repo.get(c.id)!.topic;
    const spam = net.wire.slice(from).filter((w) => w.from === bob!.peerId && w.topic === topic);
    expect(spam).toHaveLength(60);
    await processed(
      alice!,
      c.id,
      spam.map((w) => w.data),
      'alice processed all 60',
    );
    const shown = (await texts(alice!, c.id)).length;
    expect(shown).toBeGreaterThanOrEqual(30);
    expect(shown).toBeLessThan(60);
  });
});
