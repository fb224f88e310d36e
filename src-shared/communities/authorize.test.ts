import { describe, expect, it } from 'vitest';
import { signCompact } from '../identity/compact.ts';
import { authorizeCommit, MAX_DEVICES_PER_DID } from './authorize.ts';
import type { GroupView, ProposalView } from './authorize.ts';
import { descriptorDigest } from './descriptor.ts';
import type { SignedDescriptor } from './descriptor.ts';
import { b64 } from './ids.ts';
import { editRoster, EMPTY_ROSTER } from './roster.ts';
import type { Roster } from './roster.ts';
import { descriptorFor, identity, resign } from './testkit.ts';

const [owner, admin, admin2, bob, carol, dave] = ['o', 'a', 'a2', 'b', 'c', 'd'].map((n) => identity(`az-${n}`));
const LEAF = { owner: 0, admin: 1, admin2: 2, bob: 3, carol: 4 };
const signed = await descriptorFor(owner!, { admins: [admin!.did, admin2!.did] });

function view(roster: Roster = EMPTY_ROSTER, descriptor: SignedDescriptor = signed): GroupView {
  const leaves = new Map([
    [LEAF.owner, owner!.did],
    [LEAF.admin, admin!.did],
    [LEAF.admin2, admin2!.did],
    [LEAF.bob, bob!.did],
    [LEAF.carol, carol!.did],
  ]);
  return { descriptor, roster, leaves };
}
const judge = (committer: number, proposals: ProposalView[], v = view()) =>
  authorizeCommit(v, { committer, proposals });
const ext = (
  descriptor: SignedDescriptor | 'malformed' | undefined,
  roster: Roster | 'malformed' | undefined,
  others: number[] = [],
) => ({ type: 'extensions', descriptor, roster, others }) as const;

describe('commit authorisation', () => {
  it('a member may not commit, not even an empty commit', () => {
    expect(judge(LEAF.bob, [{ type: 'remove', leaf: LEAF.carol }])).toMatchObject({ code: 'committer-not-admin' });
    expect(judge(LEAF.bob, [])).toMatchObject({ code: 'committer-not-admin' });
  });

  it('a committer outside the group is refused', () => {
    expect(judge(9, [])).toMatchObject({ code: 'not-a-member' });
    expect(authorizeCommit(view(), { committer: undefined, proposals: [] })).toMatchObject({ code: 'not-a-member' });
  });

  it('an admin may add and remove members', () => {
    expect(
      judge(LEAF.admin, [
        { type: 'add', did: dave!.did },
        { type: 'remove', leaf: LEAF.bob },
      ]),
    ).toEqual({ ok: true });
  });

  it('an admin may not remove an admin; the owner may', () => {
    expect(judge(LEAF.admin, [{ type: 'remove', leaf: LEAF.admin2 }])).toMatchObject({ code: 'remove-not-allowed' });
    expect(judge(LEAF.owner, [{ type: 'remove', leaf: LEAF.admin2 }])).toEqual({ ok: true });
  });

  it('no one removes the owner’s last device', () => {
    expect(judge(LEAF.admin, [{ type: 'remove', leaf: LEAF.owner }])).toMatchObject({ code: 'remove-not-allowed' });
    expect(judge(LEAF.owner, [{ type: 'remove', leaf: LEAF.owner }])).toMatchObject({ code: 'remove-not-allowed' });
  });

  it('an admin may not ban the owner or an admin', () => {
    expect(judge(LEAF.admin, [ext(signed, editRoster(EMPTY_ROSTER, { ban: [owner!.did] }))])).toMatchObject({
      code: 'ban-not-allowed',
    });
    expect(judge(LEAF.admin, [ext(signed, editRoster(EMPTY_ROSTER, { ban: [admin2!.did] }))])).toMatchObject({
      code: 'ban-not-allowed',
    });
    expect(judge(LEAF.owner, [ext(signed, editRoster(EMPTY_ROSTER, { ban: [owner!.did] }))])).toMatchObject({
      code: 'ban-not-allowed',
    });
  });

  it('a ban leaves no leaf to the banned DID', () => {
    expect(judge(LEAF.admin, [ext(signed, editRoster(EMPTY_ROSTER, { ban: [bob!.did] }))])).toMatchObject({
      code: 'banned-still-member',
    });
    expect(judge(LEAF.admin, [ext(signed, editRoster(EMPTY_ROSTER, { ban: [dave!.did] }))])).toEqual({ ok: true });
  });

  it('adding a banned DID is refused', () => {
    const banned = view(editRoster(EMPTY_ROSTER, { ban: [dave!.did] }));
    expect(judge(LEAF.owner, [{ type: 'add', did: dave!.did }], banned)).toMatchObject({ code: 'banned' });
    // Unbanning in the same commit lets it in.
    expect(judge(LEAF.owner, [ext(signed, EMPTY_ROSTER), { type: 'add', did: dave!.did }], banned)).toEqual({
      ok: true,
    });
  });

  it('a descriptor not signed by the owner is refused, even committed by an admin', async () => {
    const d = { ...signed.descriptor, version: 2, admins: [admin!.did, admin2!.did, bob!.did] };
    const forged = { descriptor: d, sig: b64.encode(signCompact(descriptorDigest(d), admin!.secret)) };
    expect(judge(LEAF.admin, [ext(forged, EMPTY_ROSTER)])).toMatchObject({ code: 'descriptor-signature' });
    const real = await resign(owner!, signed.descriptor, { admins: [admin!.did, admin2!.did, bob!.did] });
    expect(judge(LEAF.admin, [ext(real, EMPTY_ROSTER)])).toEqual({ ok: true });
    expect(judge(LEAF.admin, [ext(signed, EMPTY_ROSTER)], view(EMPTY_ROSTER, real))).toMatchObject({
      code: 'descriptor-stale',
    });
  });

  it('the group context holds exactly a descriptor and a roster', () => {
    expect(judge(LEAF.owner, [ext(signed, EMPTY_ROSTER, [0xf0ff])])).toMatchObject({ code: 'extension-not-allowed' });
    expect(judge(LEAF.owner, [ext(undefined, EMPTY_ROSTER)])).toMatchObject({ code: 'extension-not-allowed' });
    expect(judge(LEAF.owner, [ext('malformed', EMPTY_ROSTER)])).toMatchObject({ code: 'descriptor-format' });
    expect(judge(LEAF.owner, [ext(signed, 'malformed')])).toMatchObject({ code: 'bad-roster' });
  });

  it('PSK, ReInit, external-init and custom proposals are refused', () => {
    for (const name of ['psk', 'reinit', 'external_init', '61440'])
      expect(judge(LEAF.owner, [{ type: 'other', name }])).toMatchObject({ code: 'proposal-not-allowed' });
  });

  it('an added key package must name an identity', () => {
    expect(judge(LEAF.owner, [{ type: 'add', did: undefined }])).toMatchObject({ code: 'bad-credential' });
  });

  it(`a DID has at most ${MAX_DEVICES_PER_DID} devices`, () => {
    const adds = Array.from({ length: MAX_DEVICES_PER_DID }, () => ({ type: 'add', did: bob!.did }) as const);
    expect(judge(LEAF.owner, adds)).toMatchObject({ code: 'too-many-devices' });
    expect(judge(LEAF.owner, adds.slice(1))).toEqual({ ok: true });
  });

  it('a dm admits only its two parties', async () => {
    const dm = await descriptorFor(owner!, { kind: 'dm', name: '', peer: bob!.did });
    const v: GroupView = { descriptor: dm, roster: EMPTY_ROSTER, leaves: new Map([[0, owner!.did]]) };
    expect(authorizeCommit(v, { committer: 0, proposals: [{ type: 'add', did: bob!.did }] })).toEqual({ ok: true });
    expect(authorizeCommit(v, { committer: 0, proposals: [{ type: 'add', did: carol!.did }] })).toMatchObject({
      code: 'dm-closed',
    });
  });
});
