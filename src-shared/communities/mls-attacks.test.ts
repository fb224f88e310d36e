// Attacks on a community at the MLS layer (docs §16): each test is a case from the threat model.
import { describe, expect, it } from 'vitest';
import {
  createCommit,
  createGroup as rawCreateGroup,
  createProposal,
  encodeMlsMessage,
  generateKeyPackageWithKey,
} from 'ts-mls';
import type { ClientState, Proposal } from 'ts-mls';
import { encodeBinding, signBinding } from './binding.ts';
import { bytesToHex, encodeCanonical, utf8ToBytes } from './ids.ts';
import { capabilities } from './mls-group.ts';
import {
  commit,
  commitRef,
  createKeyPackage,
  createMlsContext,
  deserializeGroup,
  encrypt,
  epochOf,
  members,
  newMessagingKey,
  receive,
  serializeGroup,
  tagOf,
} from './mls.ts';
import type { Group } from './mls.ts';
import { offerCommit, orphaned, recordCommit, startChain } from './sequencing.ts';
import type { Chain } from './sequencing.ts';
import { community, device, identity, T0 } from './testkit.ts';
import { defaultLifetime } from 'ts-mls';

const ctx = await createMlsContext();
const leafOf = (g: Group, name: string) => members(g).find((m) => m.did === identity(name).did)!.leaf;

/** A commit made with ts-mls directly, as a modified client would: no local authorisation check. */
async function rawCommit(group: Group, proposals: Proposal[], acceptAll = false): Promise<Uint8Array> {
  const state: ClientState = acceptAll
    ? {
        ...group.state,
        clientConfig: { ...group.state.clientConfig, authService: { validateCredential: async () => true } },
      }
    : group.state;
  const out = await createCommit(
    { state, cipherSuite: ctx.impl },
    { extraProposals: proposals, authenticatedData: encodeCanonical({ v: 1, t: T0 }) },
  );
  return encodeMlsMessage(out.commit);
}

async function outcome(group: Group, bytes: Uint8Array, now = T0) {
  const r = await receive(ctx, group, bytes, now);
  return { r, code: r.kind === 'refused' ? r.code : r.kind };
}

describe('MLS attacks', () => {
  it('a commit by a non-admin is refused before it is applied', async () => {
    const c = await community(ctx, 'na-owner', ['na-bob', 'na-carol']);
    const bob = c.groups.get('na-bob')!;
    await expect(commit(ctx, bob, { remove: [leafOf(bob, 'na-carol')] }, T0)).rejects.toMatchObject({
      details: { code: 'committer-not-admin' },
    });
    const forged = await rawCommit(bob, [{ proposalType: 'remove', remove: { removed: leafOf(bob, 'na-carol') } }]);
    const owner = c.groups.get('na-owner')!;
    const tag = tagOf(owner.state);
    const { r, code } = await outcome(owner, forged);
    expect(code).toBe('committer-not-admin');
    expect(epochOf(r.group.state)).toBe(1);
    expect(tagOf(r.group.state)).toBe(tag);
    expect(members(r.group).map((m) => m.did)).toContain(identity('na-carol').did);
    // The refused commit left the owner's state whole: carol still reads it.
    const sent = await encrypt(ctx, r.group, utf8ToBytes('still here'));
    expect((await outcome(c.groups.get('na-carol')!, sent.message)).code).toBe('message');
  });

  it('a member cannot publish a new group key (Quiet #3431): its empty commit is refused', async () => {
    const c = await community(ctx, 'qk-owner', ['qk-bob', 'qk-carol']);
    const forged = await rawCommit(c.groups.get('qk-bob')!, []);
    for (const name of ['qk-owner', 'qk-carol'])
      expect((await outcome(c.groups.get(name)!, forged)).code).toBe('committer-not-admin');
  });

  it('an admin may not remove another admin', async () => {
    const c = await community(ctx, 'aa-owner', ['aa-one', 'aa-two'], ['aa-one', 'aa-two']);
    const one = c.groups.get('aa-one')!;
    const forged = await rawCommit(one, [{ proposalType: 'remove', remove: { removed: leafOf(one, 'aa-two') } }]);
    expect((await outcome(c.groups.get('aa-owner')!, forged)).code).toBe('remove-not-allowed');
  });

  it('a proposal sent on its own is refused', async () => {
    const c = await community(ctx, 'pr-owner', ['pr-bob', 'pr-carol']);
    const bob = c.groups.get('pr-bob')!;
    const p = await createProposal(
      bob.state,
      false,
      { proposalType: 'remove', remove: { removed: leafOf(bob, 'pr-carol') } },
      ctx.impl,
    );
    expect((await outcome(c.groups.get('pr-owner')!, encodeMlsMessage(p.message))).code).toBe('proposal-by-reference');
  });

  it("a non-member's message or commit is refused", async () => {
    const c = await community(ctx, 'nm-owner', ['nm-bob']);
    const owner = c.groups.get('nm-owner')!;
    // Mallory knows the group id and the descriptor and makes her own group with them.
    const mallory = await device(ctx, identity('nm-mallory'));
    const fake: Group = {
      state: await rawCreateGroup(
        owner.state.groupContext.groupId,
        mallory.bundle.publicPackage,
        mallory.bundle.privatePackage,
        owner.state.groupContext.extensions,
        ctx.impl,
        owner.state.clientConfig,
      ),
    };
    const msg = await encrypt(ctx, fake, utf8ToBytes('let me in'));
    // Its sender data does not open under the epoch's key: no member sent it.
    expect((await outcome(c.groups.get('nm-bob')!, msg.message)).code).toBe('not-a-member');
    // Her commit for the members' epoch (she moved her copy to epoch 1 first).
    const raised: Group = { state: (await createCommit({ state: fake.state, cipherSuite: ctx.impl }, {})).newState };
    const forged = await rawCommit(raised, []);
    expect((await outcome(c.groups.get('nm-bob')!, forged)).code).toBe('not-a-member');
    expect((await outcome(c.groups.get('nm-bob')!, utf8ToBytes('garbage'))).code).toBe('mls-format');
    expect((await outcome(c.groups.get('nm-bob')!, mallory.bundle.bytes)).code).toBe('wrong-wireformat');
  });

  it('a replayed commit is refused', async () => {
    const c = await community(ctx, 'rp-owner', ['rp-bob', 'rp-carol']);
    const out = await commit(
      ctx,
      c.groups.get('rp-owner')!,
      { remove: [leafOf(c.groups.get('rp-owner')!, 'rp-bob')] },
      T0,
    );
    const first = await outcome(c.groups.get('rp-carol')!, out.commit);
    expect(first.code).toBe('commit');
    const again = await outcome(first.r.group, out.commit);
    expect(again.code).toBe('commit-epoch');
    expect(epochOf(again.r.group.state)).toBe(2);
    expect(await commitRef(ctx, first.r.group, out.commit)).toMatchObject({ code: 'commit-epoch' });
  });

  it('an altered ciphertext is refused', async () => {
    const c = await community(ctx, 'al-owner', ['al-bob']);
    const sent = await encrypt(ctx, c.groups.get('al-owner')!, utf8ToBytes('original'));
    const altered = sent.message.slice();
    altered[altered.length - 5]! ^= 0x01;
    expect((await outcome(c.groups.get('al-bob')!, altered)).code).toBe('mls-invalid');
  });

  it('a key package with a forged binding is refused', async () => {
    const c = await community(ctx, 'fb-owner', ['fb-admin', 'fb-bob'], ['fb-admin']);
    const mallory = identity('fb-mallory');
    const key = await newMessagingKey(ctx);
    const real = await signBinding(mallory.signer, {
      key: bytesToHex(key.publicKey),
      notBefore: T0 - 1,
      notAfter: T0 + 1e9,
    });
    const forgedBinding = { ...real, did: identity('fb-victim').did }; // mallory's signature, the victim's DID
    await expect(createKeyPackage(ctx, forgedBinding, key)).rejects.toMatchObject({
      details: { code: 'binding-signature' },
    });
    const kp = await generateKeyPackageWithKey(
      { credentialType: 'basic', identity: encodeBinding(forgedBinding) },
      capabilities(),
      defaultLifetime,
      [],
      key,
      ctx.impl,
    );
    const admin = c.groups.get('fb-admin')!;
    await expect(commit(ctx, admin, { add: [kp.publicPackage] }, T0)).rejects.toMatchObject({
      details: { code: 'binding-signature' },
    });
    const forged = await rawCommit(admin, [{ proposalType: 'add', add: { keyPackage: kp.publicPackage } }], true);
    expect((await outcome(c.groups.get('fb-owner')!, forged)).code).toBe('binding-signature');
  });

  it("bindings are judged at the commit's time, not each receiver's clock", async () => {
    const c = await community(ctx, 'bt-owner', ['bt-bob']);
    const dave = await device(ctx, identity('bt-dave'), T0, 24 * 3600 * 1000);
    const late = T0 + 2 * 24 * 3600 * 1000;
    await expect(
      commit(ctx, c.groups.get('bt-owner')!, { add: [dave.bundle.publicPackage] }, late),
    ).rejects.toMatchObject({
      details: { code: 'binding-expired' },
    });
    const out = await commit(ctx, c.groups.get('bt-owner')!, { add: [dave.bundle.publicPackage] }, T0);
    expect((await outcome(c.groups.get('bt-bob')!, out.commit, T0 + 365 * 24 * 3600 * 1000)).code).toBe('commit');
  });

  it("a removed member's new messages are refused", async () => {
    const c = await community(ctx, 'rn-owner', ['rn-bob', 'rn-carol']);
    const out = await commit(
      ctx,
      c.groups.get('rn-owner')!,
      { remove: [leafOf(c.groups.get('rn-owner')!, 'rn-bob')] },
      T0,
    );
    const carol = await outcome(c.groups.get('rn-carol')!, out.commit);
    // Bob has not processed (or ignores) his removal and keeps writing under the old epoch.
    const late = await encrypt(ctx, c.groups.get('rn-bob')!, utf8ToBytes('I am still here'));
    expect((await outcome(carol.r.group, late.message)).code).toBe('sender-removed');
    expect((await outcome(out.group, late.message)).code).toBe('sender-removed');
  });

  it('competing admin commits converge: the owner’s wins for everyone, in either order', async () => {
    const c = await community(ctx, 'cc-owner', ['cc-admin', 'cc-bob', 'cc-carol'], ['cc-admin']);
    const root = tagOf(c.groups.get('cc-owner')!.state);
    const carolAtRoot = serializeGroup(c.groups.get('cc-carol')!);
    const ownerGroup = deserializeGroup(ctx, serializeGroup(c.groups.get('cc-owner')!));
    const byOwner = await commit(ctx, ownerGroup, { remove: [leafOf(ownerGroup, 'cc-bob')] }, T0);
    const adminAtRoot = serializeGroup(c.groups.get('cc-admin')!);
    const adminGroup = deserializeGroup(ctx, adminAtRoot);
    const byAdmin = await commit(ctx, adminGroup, { remove: [leafOf(adminGroup, 'cc-carol')] }, T0);
    expect(byOwner.ref.parent).toBe(byAdmin.ref.parent);

    /** One member's sequencing loop: snapshots by tag, offer, process on the parent, record. */
    async function follow(start: Group, incoming: Uint8Array[], own?: typeof byAdmin) {
      const snaps = new Map([[tagOf(start.state), serializeGroup(start)]]);
      let chain: Chain = startChain(epochOf(start.state), tagOf(start.state));
      let group = start;
      for (const bytes of incoming) {
        if (own && bytes === own.commit) {
          // Its own commit was applied when it was made.
          chain = recordCommit(chain, own.ref, own.tag);
          group = own.group;
          continue;
        }
        const parent = deserializeGroup(ctx, snaps.get(root)!); // every commit here names the root as parent
        const ref = await commitRef(ctx, parent, bytes);
        if ('code' in ref) throw new Error(ref.code);
        const offer = offerCommit(chain, ref);
        if (offer.kind !== 'apply' && offer.kind !== 'switch') continue;
        const r = await receive(ctx, parent, bytes, T0);
        if (r.kind !== 'commit') throw new Error(r.kind === 'refused' ? `${r.code}: ${r.reason}` : r.kind);
        chain = recordCommit(chain, ref, r.tag);
        snaps.set(r.tag, serializeGroup(r.group));
        group = r.group;
      }
      return { group, chain };
    }
    const oneWay = await follow(deserializeGroup(ctx, carolAtRoot), [byAdmin.commit, byOwner.commit]);
    const otherWay = await follow(deserializeGroup(ctx, carolAtRoot), [byOwner.commit, byAdmin.commit]);
    expect(tagOf(oneWay.group.state)).toBe(byOwner.tag);
    expect(tagOf(otherWay.group.state)).toBe(byOwner.tag);
    // The admin's own commit lost: it sees it orphaned, and re-proposes the removal on the new head.
    const before = recordCommit(startChain(1, root), byAdmin.ref, byAdmin.tag);
    const offer = offerCommit(before, byOwner.ref);
    expect(offer.kind).toBe('switch');
    const after = recordCommit(before, byOwner.ref, byOwner.tag);
    expect(orphaned(before, after, (r) => r.rank === 2)).toEqual([byAdmin.ref]);
    const admin = await follow(deserializeGroup(ctx, adminAtRoot), [byAdmin.commit, byOwner.commit], byAdmin);
    expect(tagOf(admin.group.state)).toBe(byOwner.tag);
    const again = await commit(ctx, admin.group, { remove: [leafOf(admin.group, 'cc-carol')] }, T0);
    expect(members(again.group).map((m) => m.did)).not.toContain(identity('cc-carol').did);
    expect((await outcome(oneWay.group, again.commit)).code).toBe('commit');
  });
});
