import { afterEach, describe, expect, it } from 'vitest';
import { createTestNet, eventually, testNode, type TestNet, type TestNode } from './testkit.ts';

let nodes: TestNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  nodes = [];
});

async function start(net: TestNet, ...names: string[]) {
  const made = await Promise.all(names.map((n) => testNode(net, n)));
  nodes.push(...made);
  for (const a of made) for (const b of made) if (a !== b) net.connect(a.peerId, b.peerId);
  return made;
}

const texts = async (n: TestNode, id: string) =>
  (await n.node.handlers['communities.messages']({ id, channel: 'general' })).messages.map((m) => m.text);

describe('communities node', () => {
  it('creates a community, admits an invited member, and both talk', async () => {
    const net = createTestNet();
    const [alice, bob] = await start(net, 'alice', 'bob');
    const c = await alice!.node.handlers['communities.create']({ name: 'Hikers' });
    expect(c).toMatchObject({ name: 'Hikers', role: 'owner', state: 'joined', members: 1 });
    const { link } = await alice!.node.handlers['communities.invite']({ id: c.id });
    const asked = await bob!.node.handlers['communities.join']({ link });
    expect(asked.state).toBe('requested');
    await eventually(
      async () => (await bob!.node.handlers['communities.get']({ id: c.id })).state === 'joined',
      'bob admitted',
    );
    await alice!.node.handlers['communities.send']({ id: c.id, channel: 'general', text: 'hello bob' });
    await eventually(async () => (await texts(bob!, c.id)).includes('hello bob'), 'bob reads alice');
    await bob!.node.handlers['communities.send']({ id: c.id, channel: 'general', text: 'hi alice' });
    await eventually(async () => (await texts(alice!, c.id)).includes('hi alice'), 'alice reads bob');
    const detail = await alice!.node.handlers['communities.get']({ id: c.id });
    expect(detail.memberList.map((m) => [m.did, m.role, m.verified])).toEqual([
      [alice!.did, 'owner', true],
      [bob!.did, 'member', true],
    ]);
  });
});

describe('communities and the identity domain', () => {
  const noIdentity = { code: 'NOT_FOUND', details: { code: 'no-identity' } };

  it('a node whose user has no published identity is told to create one first', async () => {
    const net = createTestNet();
    const [alice] = await start(net, 'alice');
    const nobody = await testNode(net, 'nobody', { identities: [] });
    nodes.push(nobody);
    net.connect(alice!.peerId, nobody.peerId);
    const h = nobody.node.handlers;
    expect(await h['communities.identities']({})).toEqual([]);
    await expect(h['communities.create']({ name: 'Nope' })).rejects.toMatchObject({
      ...noIdentity,
      message: expect.stringMatching(/Create an identity first/),
    });
    const c = await alice!.node.handlers['communities.create']({ name: 'Open' });
    const { link } = await alice!.node.handlers['communities.invite']({ id: c.id });
    await expect(h['communities.join']({ link })).rejects.toMatchObject(noIdentity);
    await expect(h['communities.dmStart']({ peer: alice!.did })).rejects.toMatchObject(noIdentity);
    expect(await h['communities.list']({})).toEqual([]);

    // Once the user publishes one, the same link works.
    const did = nobody.identities.add('nobody');
    expect(await h['communities.identities']({})).toEqual([{ did, label: null, name: 'nobody' }]);
    expect((await h['communities.join']({ link })).me).toBe(did);
  });

  it('a deleted identity keeps its communities but starts nothing new', async () => {
    const net = createTestNet();
    const [alice] = await start(net, 'alice');
    const h = alice!.node.handlers;
    const c = await h['communities.create']({ name: 'Before' });
    alice!.identities.remove('alice');
    expect(await h['communities.identities']({})).toEqual([]);
    await expect(h['communities.create']({ name: 'After' })).rejects.toMatchObject({
      ...noIdentity,
      message: expect.stringMatching(/None of your identities is published/),
    });
    await expect(h['communities.create']({ name: 'After', identity: alice!.did })).rejects.toMatchObject({
      details: { code: 'identity-unpublished' },
    });
    await h['communities.send']({ id: c.id, channel: 'general', text: 'still here' });
    expect(await texts(alice!, c.id)).toContain('still here');
  });

  it('a member shows verified, under its published name, only while this node stores its profile', async () => {
    const net = createTestNet();
    // Zed's profile is not among those alice's node stores at first.
    const [alice, zed] = await start(net, 'alice', 'zed');
    const c = await alice!.node.handlers['communities.create']({ name: 'Verified?' });
    const { link } = await alice!.node.handlers['communities.invite']({ id: c.id });
    await zed!.node.handlers['communities.join']({ link });
    const member = async () =>
      (await alice!.node.handlers['communities.get']({ id: c.id })).memberList.find((m) => m.did === zed!.did);
    await eventually(async () => (await member()) !== undefined, 'zed admitted');
    expect(await member()).toMatchObject({ verified: false, name: null });
    expect((await alice!.node.handlers['communities.get']({ id: c.id })).memberList[0]).toMatchObject({
      did: alice!.did,
      verified: true,
      name: 'alice',
    });

    alice!.identities.publish('zed');
    expect(await member()).toMatchObject({ verified: true, name: 'zed' });
    alice!.identities.remove('zed');
    expect(await member()).toMatchObject({ verified: false, name: null });
  });

  it('an identity published after unlock can be messaged; a deleted one no longer can', async () => {
    const net = createTestNet();
    const [alice, bob] = await start(net, 'alice', 'bob');
    const reach = (peer: string) =>
      eventually(
        () =>
          alice!.node.handlers['communities.dmStart']({ peer }).catch((err: unknown) => {
            if ((err as { details?: { code?: string } }).details?.code !== 'dm-unreachable') throw err;
            return undefined;
          }),
        `alice reaches ${peer}`,
      );
    // Bob's node announced its identities at unlock…
    expect(await reach(bob!.did)).toMatchObject({ kind: 'dm', peer: bob!.did });
    // …and one published later as soon as the identity domain tells it.
    const second = bob!.identities.add('bob-two');
    expect(await reach(second)).toMatchObject({ kind: 'dm', peer: second });
    await eventually(
      async () => (await bob!.node.handlers['communities.list']({})).filter((r) => r.kind === 'dm').length === 2,
      'bob has both dms',
    );
    // A deleted identity is not answered for, even when its node is named.
    const third = bob!.identities.add('bob-three');
    bob!.identities.remove('bob-three');
    await expect(alice!.node.handlers['communities.dmStart']({ peer: third, peerId: bob!.peerId })).rejects.toThrow(
      /not-found/,
    );
  });
});
