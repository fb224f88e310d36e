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
