import { describe, expect, it } from 'vitest';
import { communitiesContract, methods } from './contract.ts';
import type { Inner } from './envelope.ts';
import { identity } from './testkit.ts';

describe('communities contract', () => {
  it('names every method communities.* and documents it', () => {
    for (const [name, spec] of Object.entries(methods)) {
      expect(name).toMatch(/^communities\.[a-zA-Z]+$/);
      expect(spec.doc.length).toBeGreaterThan(10);
    }
    expect(Object.keys(communitiesContract.events).every((e) => e.startsWith('communities.'))).toBe(true);
  });

  it('refuses params outside the caps before anything runs', () => {
    const send = methods['communities.send'].params;
    const id = 'ab'.repeat(32);
    expect(send.safeParse({ id, channel: 'general', text: 'hi' }).success).toBe(true);
    expect(send.safeParse({ id, channel: 'general', text: 'x'.repeat(4001) }).success).toBe(false);
    expect(send.safeParse({ id, channel: 'General', text: 'hi' }).success).toBe(false);
    expect(send.safeParse({ id, channel: 'general', text: 'hi', extra: 1 }).success).toBe(false);
    const remove = methods['communities.remove'].params;
    expect(remove.safeParse({ id, did: identity('x').did, ban: true }).success).toBe(true);
    expect(remove.safeParse({ id, did: 'did:is:notanaddress' }).success).toBe(false);
  });
});

describe('views', () => {
  it('a timeline message is a valid MessageView', async () => {
    const { buildTimeline } = await import('./timeline.ts');
    const { messageId } = await import('./envelope.ts');
    const { MessageView } = await import('./views.ts');
    const did = identity('v-alice').did;
    const inner: Inner = {
      v: 1,
      kind: 'post',
      ch: 'general',
      seq: 1,
      at: 1,
      deps: [],
      text: 'hi',
      replyTo: 'ab'.repeat(32),
    };
    const received = {
      id: messageId(did, '0123456789abcdef', inner),
      did,
      device: '0123456789abcdef',
      epoch: 1,
      inner,
    };
    const view = buildTimeline([received], { joinedEpoch: 0, me: did, roleOf: () => 'member' }).channels.get(
      'general',
    )![0];
    expect(MessageView.strict().parse(view)).toEqual(view);
  });
});
