import { describe, expect, it } from 'vitest';
import type { MemberView, MessageView, NoticeView } from '../../src-shared/communities/views.ts';
import { ApiError } from '../../src-shared/api/errors.ts';
import { conversation, gapText, isNoIdentity, nameOf, noticeText } from './words.ts';

const ALICE = 'did:is:PAliceAliceAliceAliceAliceAliceAl';
const BOB = 'did:is:PBobBobBobBobBobBobBobBobBobBobBo';
const CAROL = 'did:is:PCarolCarolCarolCarolCarolCaro';
const member = (did: string, o: Partial<MemberView> = {}): MemberView => ({
  did,
  role: 'member',
  devices: 1,
  bindingExpired: false,
  name: null,
  verified: false,
  me: false,
  ...o,
});
const members = [member(ALICE, { me: true, role: 'owner' }), member(BOB, { name: 'Bob' }), member(CAROL)];
const notice = (kind: NoticeView['kind'], o: Partial<NoticeView> = {}): NoticeView => ({
  id: 'ab',
  at: 10,
  epoch: 2,
  kind,
  ...o,
});
const msg = (id: string, at: number): MessageView => ({
  id: id.repeat(64),
  did: BOB,
  device: '0123456789abcdef',
  seq: at,
  at,
  ch: 'general',
  text: id,
  mentions: [],
  mentionsMe: false,
  attachments: [],
  edited: false,
  deleted: false,
  reactions: [],
  afterGap: false,
});

describe('names', () => {
  it('calls this node "You", a published identity by its name, and anyone else by a shortened DID', () => {
    expect(nameOf(ALICE, members)).toBe('You');
    expect(nameOf(BOB, members)).toBe('Bob');
    expect(nameOf(CAROL, members)).toBe('did:is:PCaro…Caro');
    expect(nameOf(undefined, members)).toBe('Someone');
  });
});

describe('key events in plain words', () => {
  const cases: Array<[NoticeView, string]> = [
    [
      notice('removed', { did: CAROL, by: ALICE }),
      'You removed did:is:PCaro…Caro; messages from now on are encrypted with new keys.',
    ],
    [notice('joined', { did: BOB, by: ALICE }), 'Bob joined, admitted by you.'],
    [notice('left', { did: BOB }), 'Bob left; messages from now on are encrypted with new keys.'],
    [notice('role', { did: BOB, by: ALICE, role: 'admin' }), 'You made Bob an admin.'],
    [notice('role', { did: ALICE, by: BOB, role: 'member' }), 'Bob made you a member.'],
    [notice('banned', { did: CAROL }), 'did:is:PCaro…Caro is banned and cannot join again.'],
    [
      notice('persistence', { persistence: 'relay', by: ALICE }),
      'Messages are now only relayed by You: no node keeps them.',
    ],
    [
      notice('removedMe', { by: BOB }),
      'You were removed by Bob. Messages from now on are encrypted with keys you do not have.',
    ],
  ];
  it.each(cases)('%j reads "%s"', (n, text) => expect(noticeText(n, members)).toBe(text));
});

describe('the conversation', () => {
  it('places notices by time between the messages', () => {
    const out = conversation([msg('a', 5), msg('b', 20)], [notice('joined', { at: 10, did: BOB })], false);
    expect(out.map((e) => e.kind)).toEqual(['message', 'notice', 'message']);
  });

  it('leaves out notices older than the first message shown while older messages exist', () => {
    const out = conversation([msg('a', 50)], [notice('created', { at: 1 }), notice('joined', { at: 60 })], true);
    expect(out.map((e) => (e.kind === 'notice' ? e.notice.kind : 'message'))).toEqual(['message', 'joined']);
  });

  it('says how many messages are missing and that they are being fetched', () => {
    expect(gapText(1, 'Bob')).toBe('1 message from Bob is missing; fetching it from other members…');
    expect(gapText(3, 'Bob')).toBe('3 messages from Bob are missing; fetching them from other members…');
  });
});

describe('isNoIdentity', () => {
  it('knows the refusal that sends the user to create an identity, as thrown or as wire data', () => {
    const refusal = new ApiError('NOT_FOUND', 'Create an identity first', { code: 'no-identity' });
    expect(isNoIdentity(refusal)).toBe(true);
    expect(isNoIdentity(refusal.toData())).toBe(true);
    expect(isNoIdentity(new ApiError('NOT_FOUND', 'no such community'))).toBe(false);
    expect(isNoIdentity(new ApiError('NOT_FOUND', 'x', { code: 'identity-unknown' }))).toBe(false);
    expect(isNoIdentity(new Error('no-identity'))).toBe(false);
  });
});
