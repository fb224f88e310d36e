import { describe, expect, it } from 'vitest';
import { nobleCryptoProvider } from 'ts-mls';
import { utf8ToBytes } from './ids.ts';
import {
  commit,
  createGroup,
  createMlsContext,
  decodeKeyPackage,
  descriptorOf,
  deserializeGroup,
  encrypt,
  epochOf,
  exportKeyPackage,
  importKeyPackage,
  isActive,
  joinFromWelcome,
  keyPackageDid,
  members,
  receive,
  rosterOf,
  serializeGroup,
  storageSeed,
  tagOf,
} from './mls.ts';
import type { Group, MlsContext } from './mls.ts';
import { editRoster } from './roster.ts';
import { signBinding } from './binding.ts';
import { b64, bytesToHex, hexToBytes } from './ids.ts';
import {
  checkJoinRequest,
  inviteKeys,
  inviteLink,
  inviteRecord,
  makeJoinRequest,
  openJoinRequest,
  parseInviteLink,
  sealJoinRequest,
} from './invite.ts';
import { community, descriptorFor, device, identity, resign, T0 } from './testkit.ts';

const ctx = await createMlsContext();
const text = (s: string) => utf8ToBytes(s);
const read = (b: Uint8Array) => new TextDecoder().decode(b);

/** Sends from one group and has each of `to` receive it; returns the updated groups and what each read. */
async function broadcast(c: MlsContext, groups: Map<string, Group>, from: string, body: string, to: string[]) {
  const sent = await encrypt(c, groups.get(from)!, text(body));
  groups.set(from, sent.group);
  const got: Record<string, string> = {};
  for (const name of to) {
    const r = await receive(c, groups.get(name)!, sent.message, T0);
    groups.set(name, r.group);
    got[name] =
      r.kind === 'message' ? `${read(r.plaintext)} from ${r.sender.did === identity(from).did ? from : '?'}` : r.kind;
  }
  return got;
}

/** Applies a commit made by `by` to every other named member. */
async function deliver(groups: Map<string, Group>, bytes: Uint8Array, to: string[]) {
  const codes: Record<string, string> = {};
  for (const name of to) {
    const r = await receive(ctx, groups.get(name)!, bytes, T0);
    groups.set(name, r.group);
    codes[name] = r.kind === 'refused' ? r.code : r.kind;
  }
  return codes;
}

describe('MLS communities', () => {
  it('two members exchange messages, each knowing the other by DID', async () => {
    const c = await community(ctx, 'alice', ['bob']);
    expect(await broadcast(ctx, c.groups, 'alice', 'hi bob', ['bob'])).toEqual({ bob: 'hi bob from alice' });
    expect(await broadcast(ctx, c.groups, 'bob', 'hi alice', ['alice'])).toEqual({ alice: 'hi alice from bob' });
    expect(members(c.groups.get('bob')!).map((m) => [m.did, m.role])).toEqual([
      [identity('alice').did, 'owner'],
      [identity('bob').did, 'member'],
    ]);
  });

  it('a message’s sender data is decrypted once (senderOf’s result reused), its content still authenticated', async () => {
    const c = await community(ctx, 'once-alice', ['once-bob']);
    let decryptions = 0;
    const counting: MlsContext = {
      ...ctx,
      impl: {
        ...ctx.impl,
        hpke: {
          ...ctx.impl.hpke,
          decryptAead: (...args) => {
            decryptions++;
            return ctx.impl.hpke.decryptAead(...args);
          },
        },
      },
    };
    const sent = await encrypt(ctx, c.groups.get('once-alice')!, text('once'));
    const r = await receive(counting, c.groups.get('once-bob')!, sent.message, T0);
    expect(r.kind === 'message' && read(r.plaintext)).toBe('once');
    // One for the sender data, one for the content: ts-mls's second sender-data decryption is remembered.
    expect(decryptions).toBe(2);
    const altered = sent.message.slice();
    altered[altered.length - 1]! ^= 1;
    expect((await receive(counting, c.groups.get('once-bob')!, altered, T0)).kind).toBe('refused');
  });

  it('a group of 10: every member reads every message of every other', async () => {
    const names = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'];
    const c = await community(ctx, 'owner10', names);
    const everyone = ['owner10', ...names];
    for (const from of ['owner10', 'm4', 'm9']) {
      const got = await broadcast(
        ctx,
        c.groups,
        from,
        `from ${from}`,
        everyone.filter((n) => n !== from),
      );
      expect(Object.values(got)).toEqual(Array(9).fill(`from ${from} from ${from}`));
    }
    expect(new Set(everyone.map((n) => tagOf(c.groups.get(n)!.state))).size).toBe(1);
  });

  it('a DM is a group of two: both read each other and no third party can be added', async () => {
    const alice = await device(ctx, identity('dm-alice'));
    const bob = await device(ctx, identity('dm-bob'));
    const signed = await descriptorFor(alice.who, { kind: 'dm', name: '', peer: bob.who.did });
    const a0 = await createGroup(ctx, { descriptor: signed, own: alice.bundle });
    const added = await commit(ctx, a0, { add: [bob.bundle.publicPackage] }, T0);
    const groups = new Map([
      ['dm-alice', added.group],
      ['dm-bob', await joinFromWelcome(ctx, added.welcome!, bob.bundle)],
    ]);
    expect(await broadcast(ctx, groups, 'dm-bob', 'psst', ['dm-alice'])).toEqual({ 'dm-alice': 'psst from dm-bob' });
    const carol = await device(ctx, identity('dm-carol'));
    await expect(commit(ctx, groups.get('dm-alice')!, { add: [carol.bundle.publicPackage] }, T0)).rejects.toMatchObject(
      {
        details: { code: 'dm-closed' },
      },
    );
  });

  it('serialization round trip: a restored group reads and writes as before', async () => {
    const c = await community(ctx, 'ser-owner', ['ser-bob']);
    const bytes = serializeGroup(c.groups.get('ser-bob')!);
    const restored = deserializeGroup(ctx, bytes);
    expect(tagOf(restored.state)).toBe(tagOf(c.groups.get('ser-bob')!.state));
    expect(descriptorOf(restored)).toEqual(descriptorOf(c.groups.get('ser-bob')!));
    c.groups.set('ser-bob', restored);
    expect(await broadcast(ctx, c.groups, 'ser-owner', 'after restore', ['ser-bob'])).toEqual({
      'ser-bob': 'after restore from ser-owner',
    });
    expect(await broadcast(ctx, c.groups, 'ser-bob', 'reply', ['ser-owner'])).toEqual({
      'ser-owner': 'reply from ser-bob',
    });
    // A snapshot stays good after a group restored from it was used (and its secrets wiped).
    const used = await commit(
      ctx,
      deserializeGroup(ctx, serializeGroup(c.groups.get('ser-owner')!)),
      { remove: [] },
      T0,
    );
    const ownerSnapshot = serializeGroup(c.groups.get('ser-owner')!);
    await commit(ctx, deserializeGroup(ctx, ownerSnapshot), {}, T0);
    const second = await commit(ctx, deserializeGroup(ctx, ownerSnapshot), {}, T0);
    expect(second.ref.parent).toBe(used.ref.parent);
    expect(
      (await receive(ctx, deserializeGroup(ctx, serializeGroup(c.groups.get('ser-bob')!)), second.commit, T0)).kind,
    ).toBe('commit');
    expect(() => deserializeGroup(ctx, bytes.subarray(0, bytes.length - 3))).toThrow(/damaged/);
    expect(() => deserializeGroup(ctx, Uint8Array.of(9, ...bytes.subarray(1)))).toThrow(/format/);
  });

  it('a key package waiting for its Welcome survives export and import', async () => {
    const owner = await device(ctx, identity('kp-owner'));
    const later = await device(ctx, identity('kp-later'));
    const sealed = exportKeyPackage(later.bundle);
    const back = importKeyPackage(sealed);
    expect(back.bytes).toEqual(later.bundle.bytes);
    const g = await createGroup(ctx, { descriptor: await descriptorFor(owner.who), own: owner.bundle });
    const out = await commit(ctx, g, { add: [decodeKeyPackage(back.bytes)] }, T0);
    const joined = await joinFromWelcome(ctx, out.welcome!, back);
    expect(tagOf(joined.state)).toBe(out.tag);
    expect(() => importKeyPackage(sealed.subarray(1))).toThrow(
      expect.objectContaining({ details: { code: 'state-format' } }),
    );
  });

  it('a removed member cannot decrypt messages sent after its removal', async () => {
    const c = await community(ctx, 'rm-owner', ['rm-bob', 'rm-carol']);
    const bobLeaf = members(c.groups.get('rm-owner')!).find((m) => m.did === identity('rm-bob').did)!.leaf;
    const out = await commit(ctx, c.groups.get('rm-owner')!, { remove: [bobLeaf] }, T0);
    c.groups.set('rm-owner', out.group);
    expect(await deliver(c.groups, out.commit, ['rm-bob', 'rm-carol'])).toEqual({
      'rm-bob': 'commit',
      'rm-carol': 'commit',
    });
    expect(isActive(c.groups.get('rm-bob')!)).toBe(false);
    const got = await broadcast(ctx, c.groups, 'rm-owner', 'secret plans', ['rm-carol', 'rm-bob']);
    expect(got['rm-carol']).toBe('secret plans from rm-owner');
    expect(got['rm-bob']).toBe('refused');
    // Not even with its last state from before the removal (it kept a copy).
    const sent = await encrypt(ctx, c.groups.get('rm-carol')!, text('more'));
    const r = await receive(ctx, c.groups.get('rm-bob')!, sent.message, T0);
    expect(r.kind).toBe('refused');
  });

  it('an admin admits and removes members; the new member reads from its join on', async () => {
    const c = await community(ctx, 'ad-owner', ['ad-admin', 'ad-bob'], ['ad-admin']);
    const dave = await device(ctx, identity('ad-dave'));
    const out = await commit(ctx, c.groups.get('ad-admin')!, { add: [dave.bundle.publicPackage] }, T0);
    c.groups.set('ad-admin', out.group);
    expect(await deliver(c.groups, out.commit, ['ad-owner', 'ad-bob'])).toEqual({
      'ad-owner': 'commit',
      'ad-bob': 'commit',
    });
    c.groups.set('ad-dave', await joinFromWelcome(ctx, out.welcome!, dave.bundle));
    expect(await broadcast(ctx, c.groups, 'ad-bob', 'welcome dave', ['ad-dave', 'ad-owner'])).toEqual({
      'ad-dave': 'welcome dave from ad-bob',
      'ad-owner': 'welcome dave from ad-bob',
    });
    const bobLeaf = members(c.groups.get('ad-admin')!).find((m) => m.did === identity('ad-bob').did)!.leaf;
    const rm = await commit(ctx, c.groups.get('ad-admin')!, { remove: [bobLeaf] }, T0);
    c.groups.set('ad-admin', rm.group);
    expect(await deliver(c.groups, rm.commit, ['ad-owner', 'ad-dave'])).toEqual({
      'ad-owner': 'commit',
      'ad-dave': 'commit',
    });
    expect(members(c.groups.get('ad-dave')!).map((m) => m.did)).not.toContain(identity('ad-bob').did);
  });

  it('a descriptor update (persistence to store) reaches every member; an admin may relay the owner’s', async () => {
    const c = await community(ctx, 'ds-owner', ['ds-admin', 'ds-bob'], ['ds-admin']);
    const d = descriptorOf(c.groups.get('ds-owner')!).descriptor;
    const owner = identity('ds-owner');
    const next = await resign(owner, d, {
      persistence: { mode: 'store', nodes: [{ peerId: '12D3KooWStore', key: 'ab'.repeat(32) }], retentionDays: 30 },
    });
    const out = await commit(ctx, c.groups.get('ds-admin')!, { descriptor: next }, T0);
    c.groups.set('ds-admin', out.group);
    expect(await deliver(c.groups, out.commit, ['ds-owner', 'ds-bob'])).toEqual({
      'ds-owner': 'commit',
      'ds-bob': 'commit',
    });
    expect(descriptorOf(c.groups.get('ds-bob')!).descriptor.persistence.mode).toBe('store');
    expect(descriptorOf(c.groups.get('ds-bob')!).descriptor.version).toBe(2);
    // The version it replaced is stale now.
    const first = await descriptorFor(owner);
    await expect(commit(ctx, c.groups.get('ds-owner')!, { descriptor: first }, T0)).rejects.toMatchObject({
      details: { code: 'descriptor-stale' },
    });
  });

  it('a ban removes the member and keeps it out until an unban', async () => {
    const c = await community(ctx, 'bn-owner', ['bn-admin', 'bn-bob'], ['bn-admin']);
    const bob = identity('bn-bob');
    const bobLeaf = members(c.groups.get('bn-admin')!).find((m) => m.did === bob.did)!.leaf;
    const roster = editRoster(rosterOf(c.groups.get('bn-admin')!), { ban: [bob.did] });
    await expect(commit(ctx, c.groups.get('bn-admin')!, { remove: [bobLeaf], roster }, T0)).rejects.toMatchObject({
      details: { code: 'commit-shape' },
    });
    await expect(commit(ctx, c.groups.get('bn-admin')!, { roster }, T0)).rejects.toMatchObject({
      details: { code: 'banned-still-member' },
    });
    const removal = await commit(ctx, c.groups.get('bn-admin')!, { remove: [bobLeaf] }, T0);
    const out = await commit(ctx, removal.group, { roster }, T0);
    c.groups.set('bn-admin', out.group);
    expect(await deliver(c.groups, removal.commit, ['bn-owner'])).toEqual({ 'bn-owner': 'commit' });
    expect(await deliver(c.groups, out.commit, ['bn-owner'])).toEqual({ 'bn-owner': 'commit' });
    expect(rosterOf(c.groups.get('bn-owner')!).bans).toEqual([bob.did]);
    const again = await device(ctx, bob);
    await expect(
      commit(ctx, c.groups.get('bn-owner')!, { add: [again.bundle.publicPackage] }, T0),
    ).rejects.toMatchObject({
      details: { code: 'banned' },
    });
    const unban = editRoster(rosterOf(c.groups.get('bn-owner')!), { unban: [bob.did] });
    const back = await commit(ctx, c.groups.get('bn-owner')!, { add: [again.bundle.publicPackage], roster: unban }, T0);
    expect(members(back.group).map((m) => m.did)).toContain(bob.did);
  });

  it('an invitation admits a joiner in one commit that records it as used', async () => {
    const c = await community(ctx, 'iv-owner', ['iv-admin', 'iv-bob'], ['iv-admin']);
    const d = descriptorOf(c.groups.get('iv-owner')!).descriptor;
    // bob (a member) may not invite under the default policy; the admin may.
    const keys = inviteKeys(d.id, hexToBytes('0f'.repeat(16)));
    const record = inviteRecord(keys, T0 + 864e5);
    const link = inviteLink(d.id, hexToBytes('0f'.repeat(16)));
    // The joiner, from the link alone.
    const joinerDevice = await device(ctx, identity('iv-joiner'));
    const parsed = parseInviteLink(link);
    const req = await makeJoinRequest({
      community: parsed.community,
      invite: inviteKeys(parsed.community, parsed.secret),
      signer: joinerDevice.who.signer,
      keyPackage: joinerDevice.bundle.bytes,
      at: T0,
    });
    const sealed = await sealJoinRequest(req, inviteKeys(parsed.community, parsed.secret).sealKey);
    // The admin (owner offline) opens and checks it, then admits.
    const admin = c.groups.get('iv-admin')!;
    const opened = (await openJoinRequest(sealed, d.id, hexToBytes(record.sealKey)))!;
    const kp = decodeKeyPackage(b64.decode(opened.keyPackage));
    const verdict = checkJoinRequest({
      request: opened,
      descriptor: d,
      roster: rosterOf(admin),
      record,
      creatorRole: 'admin',
      keyPackageDid: keyPackageDid(kp),
      now: T0,
    });
    expect(verdict).toEqual({ ok: true });
    const roster = editRoster(rosterOf(admin), { useInvite: { id: record.inviteId, exp: record.expiresAt } });
    const out = await commit(ctx, admin, { add: [kp], roster }, T0);
    c.groups.set('iv-admin', out.group);
    expect(await deliver(c.groups, out.commit, ['iv-owner', 'iv-bob'])).toEqual({
      'iv-owner': 'commit',
      'iv-bob': 'commit',
    });
    c.groups.set('iv-joiner', await joinFromWelcome(ctx, out.welcome!, joinerDevice.bundle));
    expect(await broadcast(ctx, c.groups, 'iv-joiner', 'thanks', ['iv-bob'])).toEqual({
      'iv-bob': 'thanks from iv-joiner',
    });
    // The same invitation again is used, for every admin alike.
    expect(
      checkJoinRequest({
        request: opened,
        descriptor: d,
        roster: rosterOf(c.groups.get('iv-owner')!),
        record,
        creatorRole: 'admin',
        keyPackageDid: keyPackageDid(kp),
        now: T0,
      }),
    ).toMatchObject({ code: 'invite-used' });
  });

  it('the owner renews its binding with an empty commit that members accept', async () => {
    const c = await community(ctx, 'rn-owner', ['rn-bob']);
    const owner = c.devices.get('rn-owner')!;
    const later = T0 + 80 * 24 * 3600 * 1000;
    const binding = await signBinding(owner.who.signer, {
      key: bytesToHex(owner.key.publicKey),
      notBefore: later - 1000,
      notAfter: later + 90 * 24 * 3600 * 1000,
    });
    const out = await commit(ctx, c.groups.get('rn-owner')!, { renew: binding }, later);
    c.groups.set('rn-owner', out.group);
    expect(await deliver(c.groups, out.commit, ['rn-bob'])).toEqual({ 'rn-bob': 'commit' });
    const seen = members(c.groups.get('rn-bob')!).find((m) => m.did === owner.who.did)!;
    expect(seen.binding.notAfter).toBe(binding.notAfter);
    expect(epochOf(c.groups.get('rn-bob')!.state)).toBe(2);
  });

  it('every member of an epoch derives the same storage seed, and a new epoch changes it', async () => {
    const c = await community(ctx, 'st-owner', ['st-bob']);
    const a = await storageSeed(ctx, c.groups.get('st-owner')!);
    expect(bytesToHex(await storageSeed(ctx, c.groups.get('st-bob')!))).toBe(bytesToHex(a));
    const out = await commit(
      ctx,
      c.groups.get('st-owner')!,
      { roster: editRoster(rosterOf(c.groups.get('st-owner')!), {}) },
      T0,
    );
    expect(bytesToHex(await storageSeed(ctx, out.group))).not.toBe(bytesToHex(a));
  });

  it('the noble provider on @noble/curves 2.4.0 interoperates with WebCrypto', async () => {
    const noble = await createMlsContext(nobleCryptoProvider);
    const alice = await device(ctx, identity('np-alice'));
    const bob = await device(noble, identity('np-bob'));
    const a0 = await createGroup(ctx, { descriptor: await descriptorFor(alice.who), own: alice.bundle });
    const added = await commit(ctx, a0, { add: [decodeKeyPackage(bob.bundle.bytes)] }, T0);
    const groups = new Map([
      ['np-alice', added.group],
      ['np-bob', await joinFromWelcome(noble, added.welcome!, bob.bundle)],
    ]);
    expect(await broadcast(noble, groups, 'np-bob', 'from noble', ['np-alice'])).toEqual({
      'np-alice': 'from noble from np-bob',
    });
    expect(await broadcast(ctx, groups, 'np-alice', 'from webcrypto', ['np-bob'])).toEqual({
      'np-bob': 'from webcrypto from np-alice',
    });
  });
});
