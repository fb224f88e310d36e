import { describe, expect, it } from 'vitest';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { signCompact } from '../identity/compact.ts';
import { b64, bytesToHex, hexToBytes, utf8ToBytes } from './ids.ts';
import {
  checkJoinRequest,
  inviteKeys,
  inviteLink,
  inviteRecord,
  knockSealKey,
  makeJoinRequest,
  openJoinRequest,
  parseInviteLink,
  sealJoinRequest,
} from './invite.ts';
import type { JoinRequest } from './invite.ts';
import { editRoster, EMPTY_ROSTER } from './roster.ts';
import { descriptorFor, identity, T0 } from './testkit.ts';

const owner = identity('iv-owner');
const joiner = identity('iv-joiner');
const signed = await descriptorFor(owner, { invite: 'admins' });
const community = signed.descriptor.id;
const secret = hexToBytes('00112233445566778899aabbccddeeff');
const keys = inviteKeys(community, secret);
const record = inviteRecord(keys, T0 + 7 * 864e5);
const keyPackage = utf8ToBytes('a key package, as MLS bytes');

async function request(patch: Partial<JoinRequest> = {}, invite = keys, at = T0 + 1000): Promise<JoinRequest> {
  const r = await makeJoinRequest({ community, invite, signer: joiner.signer, keyPackage, at });
  return { ...r, ...patch };
}

function check(r: JoinRequest, patch: Partial<Parameters<typeof checkJoinRequest>[0]> = {}) {
  return checkJoinRequest({
    request: r,
    descriptor: signed.descriptor,
    roster: EMPTY_ROSTER,
    record,
    creatorRole: 'admin',
    keyPackageDid: joiner.did,
    now: T0 + 2000,
    ...patch,
  });
}

describe('invitations', () => {
  it('a link carries the community and the secret, and nothing else', () => {
    const link = inviteLink(community, secret);
    expect(link).toMatch(/^hashlock:\/\/community\/join#[1-9A-HJ-NP-Za-km-z]+$/);
    expect(parseInviteLink(` ${link} `)).toEqual({ community, secret });
    for (const bad of ['https://example.com', `${link}0OIl`, link.slice(0, -4), 'hashlock://community/join#']) {
      expect(() => parseInviteLink(bad)).toThrow(expect.objectContaining({ details: { code: 'invite-format' } }));
    }
  });

  it('derives id, proof key and seal key separately, and per community', () => {
    expect(new Set([keys.inviteId, bytesToHex(keys.key), bytesToHex(keys.sealKey)]).size).toBe(3);
    expect(keys.publicKey).toBe(bytesToHex(secp256k1.getPublicKey(keys.key, true)));
    expect(inviteKeys('ab'.repeat(32), secret).inviteId).not.toBe(keys.inviteId);
    expect(inviteKeys(community, secret)).toEqual(keys);
  });

  it('a request made from the link is admitted', async () => {
    expect(check(await request())).toEqual({ ok: true });
  });

  it('a request without knowledge of the secret is refused', async () => {
    // A member read the invite record (public key and seal key) but has no secret: it signs with its own key.
    const r = await request();
    const forgedProof = signCompact(hexToBytes('00'.repeat(32)), secp256k1.utils.randomSecretKey());
    expect(check({ ...r, proof: b64.encode(forgedProof) })).toMatchObject({ code: 'invite-proof' });
    expect(check({ ...r, proof: null })).toMatchObject({ code: 'invite-proof' });
    const guessed = await request({}, inviteKeys(community, hexToBytes('ff'.repeat(16))));
    expect(check({ ...guessed, inviteId: keys.inviteId })).toMatchObject({ code: 'join-signature' });
  });

  it('a used invitation is refused', async () => {
    const roster = editRoster(EMPTY_ROSTER, { useInvite: { id: keys.inviteId, exp: record.expiresAt } });
    expect(check(await request(), { roster })).toMatchObject({ code: 'invite-used' });
  });

  it('an expired invitation is refused', async () => {
    const late = await request({}, keys, record.expiresAt);
    expect(check(late, { now: record.expiresAt })).toEqual({ ok: true });
    expect(check(late, { now: record.expiresAt + 1 })).toMatchObject({ code: 'invite-expired' });
  });

  it('an invitation from someone who may not invite is refused', async () => {
    expect(check(await request(), { creatorRole: 'member' })).toMatchObject({ code: 'invite-not-allowed' });
    expect(check(await request(), { record: undefined })).toMatchObject({ code: 'invite-unknown' });
  });

  it('the key package must be bound to the requesting identity, who signs the request', async () => {
    expect(check(await request(), { keyPackageDid: owner.did })).toMatchObject({ code: 'join-key-package' });
    expect(check({ ...(await request()), did: owner.did }, { keyPackageDid: owner.did })).toMatchObject({
      code: 'join-signature',
    });
  });

  it('a banned identity, a stale request or another community is refused', async () => {
    expect(check(await request(), { roster: editRoster(EMPTY_ROSTER, { ban: [joiner.did] }) })).toMatchObject({
      code: 'banned',
    });
    expect(check(await request(), { now: T0 + 2 * 864e5 })).toMatchObject({ code: 'join-time' });
    expect(check({ ...(await request()), community: 'cd'.repeat(32) })).toMatchObject({ code: 'join-community' });
  });

  it('relays see only the invite id: the sealed request hides identity and key package', async () => {
    const r = await request();
    const sealed = await sealJoinRequest(r, keys.sealKey);
    const wire = JSON.stringify(sealed);
    expect(sealed.inviteId).toBe(keys.inviteId);
    for (const hidden of [joiner.did, r.keyPackage, bytesToHex(secret), r.idSig]) expect(wire).not.toContain(hidden);
    expect(await openJoinRequest(sealed, community, keys.sealKey)).toEqual(r);
    expect(await openJoinRequest(sealed, community, knockSealKey(community))).toBeUndefined();
    const tampered = { ...sealed, ct: sealed.ct.slice(0, -2) + (sealed.ct.endsWith('A') ? 'BA' : 'AA') };
    expect(await openJoinRequest(tampered, community, keys.sealKey)).toBeUndefined();
    expect(await openJoinRequest({ ...sealed, inviteId: 'ee'.repeat(16) }, community, keys.sealKey)).toBeUndefined();
  });

  it('a knock carries no invitation and waits for an admin, still signed by its identity', async () => {
    const knock = await makeJoinRequest({ community, invite: null, signer: joiner.signer, keyPackage, at: T0 });
    expect(knock.proof).toBeNull();
    const sealed = await sealJoinRequest(knock, knockSealKey(community));
    const opened = (await openJoinRequest(sealed, community, knockSealKey(community)))!;
    expect(check(opened, { record: undefined, creatorRole: undefined })).toEqual({ ok: true });
    expect(check({ ...opened, did: owner.did }, { record: undefined, keyPackageDid: owner.did })).toMatchObject({
      code: 'join-signature',
    });
  });
});
