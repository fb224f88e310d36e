import { describe, expect, it } from 'vitest';
import { eventHarness } from '../api/event-harness.ts';
import { communitiesEvents } from './events.ts';
import { communityKeys } from './queries.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const message = {
  id: 'c'.repeat(64),
  did: 'did:is:PBpfPhVu5bWCaHhXRtnoR1F6YtVL5hvY1u',
  device: '0123456789abcdef',
  seq: 1,
  at: 1,
  ch: 'general',
  text: 'hi',
  mentions: [],
  mentionsMe: false,
  attachments: [],
  edited: false,
  deleted: false,
  reactions: [],
  afterGap: false,
};

function seeded() {
  const h = eventHarness([communitiesEvents]);
  h.qc.setQueryData(communityKeys.list, []);
  for (const id of [A, B]) {
    h.qc.setQueryData(communityKeys.detail(id), {});
    h.qc.setQueryData(communityKeys.messages(id, 'general', 100), {});
    h.qc.setQueryData(communityKeys.requests(id), []);
  }
  return h;
}
const stale = (h: ReturnType<typeof seeded>, key: readonly unknown[]) => h.qc.getQueryState(key)?.isInvalidated;

describe('community events update the communities', () => {
  it('refetches the messages of the community a message arrived in, once per frame for a burst, and the list', () => {
    const h = seeded();
    for (let i = 0; i < 20; i++) h.events.dispatch({ event: 'communities.message', data: { id: A, message } });
    expect(stale(h, communityKeys.messages(A, 'general', 100))).toBe(false);
    expect(h.frame()).toBe(1);
    expect(stale(h, communityKeys.messages(A, 'general', 100))).toBe(true);
    expect(stale(h, communityKeys.messages(B, 'general', 100))).toBe(false);
    expect(stale(h, communityKeys.list)).toBe(true);
  });

  it('refetches join requests only when the node says requests changed', () => {
    const h = seeded();
    h.events.dispatch({ event: 'communities.updated', data: { id: A, reason: 'roles' } });
    expect(stale(h, communityKeys.detail(A))).toBe(true);
    expect(stale(h, communityKeys.requests(A))).toBe(false);
    h.events.dispatch({ event: 'communities.updated', data: { id: A, reason: 'requests' } });
    expect(stale(h, communityKeys.requests(A))).toBe(true);
    expect(stale(h, communityKeys.requests(B))).toBe(false);
  });

  it('a removal refetches everything of that community and the list', () => {
    const h = seeded();
    h.events.dispatch({ event: 'communities.removed', data: { id: B, reason: 'removed' } });
    expect(stale(h, communityKeys.detail(B))).toBe(true);
    expect(stale(h, communityKeys.messages(B, 'general', 100))).toBe(true);
    expect(stale(h, communityKeys.list)).toBe(true);
    expect(stale(h, communityKeys.detail(A))).toBe(false);
  });

  it('a stored identity record refetches names in the communities at most once a second, and ours the identities', () => {
    const h = seeded();
    h.qc.setQueryData(communityKeys.identities, []);
    const updated = (mine: boolean) =>
      h.events.dispatch({
        event: 'identity.updated',
        data: { did: 'did:is:PBpfPhVu5bWCaHhXRtnoR1F6YtVL5hvY1u', kind: 'profile', status: 'created', mine },
      });
    updated(false);
    expect(stale(h, communityKeys.identities)).toBe(false);
    h.frame();
    expect(stale(h, communityKeys.detail(A))).toBe(true);
    expect(stale(h, communityKeys.detail(B))).toBe(true);
    expect(stale(h, communityKeys.list)).toBe(true);
    expect(stale(h, communityKeys.messages(A, 'general', 100))).toBe(false);

    // Another record within the second waits for it.
    h.qc.setQueryData(communityKeys.detail(A), {});
    updated(true);
    expect(stale(h, communityKeys.identities)).toBe(true);
    h.frame();
    expect(stale(h, communityKeys.detail(A))).toBe(false);
    h.advance(1000);
    h.frame();
    expect(stale(h, communityKeys.detail(A))).toBe(true);
  });

  it('keeps nothing once the vault locks', () => {
    const h = seeded();
    h.events.dispatch({ event: 'vault.state', data: { state: 'locked' } });
    expect(h.qc.getQueryCache().findAll({ queryKey: communityKeys.all })).toHaveLength(0);
  });
});
