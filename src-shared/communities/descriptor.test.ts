import { describe, expect, it } from 'vitest';
import { signCompact } from '../identity/compact.ts';
import {
  acceptDescriptor,
  decodeDescriptor,
  Descriptor,
  descriptorDigest,
  draftDescriptor,
  encodeDescriptor,
  signDescriptor,
  verifyDescriptor,
} from './descriptor.ts';
import { b64, communityIdOf, topicOf, utf8ToBytes } from './ids.ts';
import { decodeRoster, editRoster, EMPTY_ROSTER, encodeRoster } from './roster.ts';
import { descriptorFor, identity, nonceOf, resign, T0 } from './testkit.ts';

const alice = identity('alice');
const mallory = identity('mallory');
const base = () => draftDescriptor({ owner: alice.did, nonce: nonceOf('alice'), issuedAt: T0, name: 'Traders' });

describe('descriptor', () => {
  it('a signed descriptor verifies, and its id is bound to owner and nonce', async () => {
    const signed = await descriptorFor(alice, { name: 'Traders' });
    expect(verifyDescriptor(signed)).toEqual({ ok: true });
    expect(signed.descriptor.id).toBe(communityIdOf(alice.did, nonceOf('alice')));
    expect(topicOf(signed.descriptor.id)).toMatch(/^\/hashlock\/communities\/1\/[0-9a-f]{32}$/);
    expect(topicOf(signed.descriptor.id)).not.toContain('Traders');
  });

  it('a descriptor not signed by the owner is refused', async () => {
    const d = base();
    const forged = { descriptor: d, sig: b64.encode(signCompact(descriptorDigest(d), mallory.secret)) };
    expect(acceptDescriptor(undefined, forged)).toMatchObject({ ok: false, code: 'descriptor-signature' });
    await expect(signDescriptor(mallory.signer, d)).rejects.toThrow(/owner/);
  });

  it('a descriptor whose id is not bound to its owner is refused', async () => {
    const d = { ...base(), id: communityIdOf(mallory.did, nonceOf('alice')) };
    const signed = { descriptor: d, sig: b64.encode(signCompact(descriptorDigest(d), alice.secret)) };
    expect(acceptDescriptor(undefined, signed)).toMatchObject({ ok: false, code: 'descriptor-id' });
  });

  it('an older or equal version is refused; a higher one wins', async () => {
    const v1 = await descriptorFor(alice);
    const v2 = await resign(alice, v1.descriptor, { name: 'Renamed' });
    expect(acceptDescriptor(v1, v2)).toEqual({ ok: true });
    expect(acceptDescriptor(v2, v1)).toMatchObject({ ok: false, code: 'descriptor-stale' });
    expect(acceptDescriptor(v2, v2)).toMatchObject({ ok: false, code: 'descriptor-stale' });
  });

  it('an update keeps its id, owner and kind', async () => {
    const v1 = await descriptorFor(alice);
    const other = await signDescriptor(
      alice.signer,
      draftDescriptor({ owner: alice.did, nonce: nonceOf('elsewhere'), issuedAt: T0, name: 'Other' }),
    );
    expect(acceptDescriptor(v1, { ...other, descriptor: { ...other.descriptor } })).toMatchObject({
      ok: false,
      code: 'descriptor-identity',
    });
  });

  const invalid: [string, (d: Descriptor) => unknown, RegExp][] = [
    ['channel ids repeat', (d) => ({ ...d, channels: [d.channels[0], d.channels[0]] }), /channel ids repeat/],
    ['the owner is also an admin', (d) => ({ ...d, admins: [d.owner] }), /owner is not also an admin/],
    ['a community without a name', (d) => ({ ...d, name: '' }), /has a name/],
    ['a name over 100 characters', (d) => ({ ...d, name: 'x'.repeat(101) }), /name/],
    ['a dm without its peer', (d) => ({ ...d, kind: 'dm' }), /dm names its peer/],
    ['a channel id with capitals', (d) => ({ ...d, channels: [{ id: 'General', name: 'g' }] }), /channel id/],
    ['a store with no nodes', (d) => ({ ...d, persistence: { mode: 'store', nodes: [], retentionDays: 7 } }), /nodes/],
    ['an unknown field', (d) => ({ ...d, colour: 'red' }), /colour|Unrecognized/],
  ];
  for (const [name, change, error] of invalid)
    it(`the schema refuses ${name}`, () => {
      const r = Descriptor.safeParse(change(base()));
      expect(r.success).toBe(false);
      expect(JSON.stringify(r.error?.issues)).toMatch(error);
    });

  it('a dm names its peer as its only admin', () => {
    const bob = identity('bob');
    const d = draftDescriptor({
      owner: alice.did,
      nonce: nonceOf('dm'),
      issuedAt: T0,
      name: '',
      kind: 'dm',
      peer: bob.did,
    });
    expect(d.admins).toEqual([bob.did]);
    expect(Descriptor.safeParse({ ...d, admins: [] }).success).toBe(false);
  });

  it('encodes canonically and refuses any other encoding of the same value', async () => {
    const signed = await descriptorFor(alice);
    const bytes = encodeDescriptor(signed);
    expect(decodeDescriptor(bytes)).toEqual(signed);
    expect(decodeDescriptor(utf8ToBytes(JSON.stringify(signed, null, 2)))).toBeUndefined();
    expect(decodeDescriptor(new Uint8Array(9000))).toBeUndefined();
  });
});

describe('roster', () => {
  it('keeps bans sorted and unique, so equal rosters are equal bytes', () => {
    const a = editRoster(EMPTY_ROSTER, { ban: [mallory.did, alice.did, mallory.did] });
    const b = editRoster(EMPTY_ROSTER, { ban: [alice.did, mallory.did] });
    expect(encodeRoster(a)).toEqual(encodeRoster(b));
    expect(editRoster(a, { unban: [mallory.did] }).bans).toEqual([alice.did]);
  });

  it('drops used invitations once they have expired', () => {
    const r = editRoster(EMPTY_ROSTER, { useInvite: { id: 'aa'.repeat(16), exp: T0 } });
    expect(editRoster(r, { useInvite: { id: 'bb'.repeat(16), exp: T0 + 10 }, now: T0 + 1 }).usedInvites).toEqual([
      { id: 'bb'.repeat(16), exp: T0 + 10 },
    ]);
  });

  it('refuses an unsorted roster on decode', () => {
    const text = JSON.stringify({ bans: [mallory.did, alice.did].sort().reverse(), usedInvites: [], v: 1 });
    expect(decodeRoster(utf8ToBytes(text))).toBeUndefined();
  });
});
