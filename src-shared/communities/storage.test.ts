import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  authorizeEnvelope,
  acceptGrant,
  addEpochKey,
  checkServe,
  checkStore,
  makeServeRequest,
  openTopic,
  retentionCutoff,
  servePage,
  signEpochKey,
  signEpochKeyAsAdmin,
  signGrant,
  storageKeyFromSeed,
  verifyPage,
} from './storage.ts';
import type { StorageGrant, StoredItem } from './storage.ts';
import type { Envelope } from './envelope.ts';
import { b64, bytesToHex, topicOf, utf8ToBytes } from './ids.ts';
import { T0 } from './testkit.ts';

const key = (s: string) => storageKeyFromSeed(utf8ToBytes(s.padEnd(32, '.')));
const controller = key('controller');
// Admins sign epoch keys with their devices' Ed25519 messaging keys, which the grant lists.
const adminSecret = utf8ToBytes('admin messaging key seed .......');
const admin = {
  publicKey: bytesToHex(ed25519.getPublicKey(adminSecret)),
  sign: (m: Uint8Array) => ed25519.sign(m, adminSecret),
};
const epoch3 = key('epoch 3 exporter output');
const topic = topicOf('ab'.repeat(32));
const grant: StorageGrant = {
  v: 1,
  topic,
  node: '12D3KooWNode',
  controller: controller.publicKey,
  admins: [admin.publicKey],
  retentionDays: 30,
  quotaBytes: 10_000,
  maxEnvelopeBytes: 4096,
  version: 1,
  issuedAt: T0,
};
const signedGrant = signGrant(grant, controller);
const branch = 'cd'.repeat(16);
const announced = addEpochKey(
  openTopic(signedGrant),
  await signEpochKeyAsAdmin(
    { v: 1, topic, epoch: '3', branch, key: epoch3.publicKey, by: admin.publicKey },
    admin.sign,
  ),
).state;
const envelope = (body = 'AAAA'): Envelope => ({ v: 1, topic, kind: 'msg', epoch: '3', branch, body });

describe('storage nodes', () => {
  it('a grant is the controller’s, and a newer version replaces it', () => {
    expect(acceptGrant(undefined, signedGrant)).toEqual({ ok: true });
    expect(acceptGrant(undefined, { ...signedGrant, grant: { ...grant, quotaBytes: 1e12 } })).toMatchObject({
      code: 'grant-signature',
    });
    const v2 = signGrant({ ...grant, version: 2, retentionDays: 7 }, controller);
    expect(acceptGrant(signedGrant, v2)).toEqual({ ok: true });
    expect(acceptGrant(v2, signedGrant)).toMatchObject({ code: 'grant-stale' });
  });

  it('the controller and the listed admin devices announce epoch keys', async () => {
    expect(announced.epochKeys.get(`3:${branch}`)).toBe(epoch3.publicKey);
    const byController = signEpochKey(
      { v: 1, topic, epoch: '5', branch, key: epoch3.publicKey, by: controller.publicKey },
      controller,
    );
    expect(addEpochKey(announced, byController).state.newestEpoch).toBe(5);
    // An Ed25519 signature is not taken for a Schnorr one, nor the other way round.
    const asAdmin = await signEpochKeyAsAdmin(
      { v: 1, topic, epoch: '6', branch, key: epoch3.publicKey, by: controller.publicKey },
      admin.sign,
    );
    expect(addEpochKey(announced, asAdmin).verdict).toMatchObject({ code: 'epoch-key-signature' });
  });

  it('an epoch key not signed by an admin is refused', async () => {
    const removedMember = key('a removed member');
    const bogus = signEpochKey(
      { v: 1, topic, epoch: '4', branch, key: removedMember.publicKey, by: removedMember.publicKey },
      removedMember,
    );
    const r = addEpochKey(announced, bogus);
    expect(r.verdict).toMatchObject({ code: 'epoch-key-signer' });
    expect(r.state.epochKeys.has(`4:${branch}`)).toBe(false);
    const tampered = {
      ...(await signEpochKeyAsAdmin(
        { v: 1, topic, epoch: '4', branch, key: removedMember.publicKey, by: admin.publicKey },
        admin.sign,
      )),
    };
    tampered.epochKey = { ...tampered.epochKey, epoch: '5' };
    expect(addEpochKey(announced, tampered).verdict).toMatchObject({ code: 'epoch-key-signature' });
  });

  it('a store with a valid epoch signature is kept and numbered', () => {
    const r = checkStore(announced, authorizeEnvelope(envelope(), epoch3), 300);
    expect(r).toMatchObject({ ok: true, seq: 1 });
  });

  it('a store without a valid epoch signature is refused', () => {
    expect(checkStore(announced, envelope(), 300)).toMatchObject({ code: 'bad-auth' });
    expect(checkStore(announced, authorizeEnvelope(envelope(), key('outsider')), 300)).toMatchObject({
      code: 'bad-auth',
    });
    const signed = authorizeEnvelope(envelope(), epoch3);
    expect(checkStore(announced, { ...signed, body: 'BBBB' }, 300)).toMatchObject({ code: 'bad-auth' });
    expect(checkStore(announced, authorizeEnvelope({ ...envelope(), epoch: '9' }, epoch3), 300)).toMatchObject({
      code: 'unknown-epoch',
    });
    expect(checkStore(announced, { ...signed, topic: topicOf('ef'.repeat(32)) }, 300)).toMatchObject({
      code: 'not-granted',
    });
  });

  it('size caps, quotas and the knock box hold', () => {
    const ok = authorizeEnvelope(envelope(), epoch3);
    expect(checkStore(announced, ok, 5000)).toMatchObject({ code: 'envelope-too-large' });
    let state = announced;
    for (let i = 0; i < 3; i++) {
      const r = checkStore(state, ok, 3000);
      if (!r.ok) throw new Error(r.code);
      state = r.state;
    }
    expect(checkStore(state, ok, 3000)).toMatchObject({ code: 'quota-exceeded' });
    const knock: Envelope = { v: 1, topic, kind: 'join', body: 'AAAA' };
    expect(checkStore({ ...state, knocks: 256 }, knock, 100)).toMatchObject({ code: 'knock-box-full' });
    expect(checkStore(state, knock, 100)).toMatchObject({ ok: true });
  });

  it('serves members of a recent epoch only, with fresh requests', () => {
    const request = makeServeRequest({ topic, after: 0, limit: 10, epoch: '3', branch, at: T0 }, epoch3);
    expect(checkServe(announced, request, T0 + 1000)).toEqual({ ok: true });
    expect(checkServe(announced, request, T0 + 10 * 60_000)).toMatchObject({ code: 'serve-time' });
    expect(checkServe({ ...announced, newestEpoch: 100 }, request, T0)).toMatchObject({ code: 'serve-epoch' });
    const outsider = makeServeRequest({ topic, after: 0, limit: 10, epoch: '3', branch, at: T0 }, key('outsider'));
    expect(checkServe(announced, outsider, T0)).toMatchObject({ code: 'bad-auth' });
    expect(checkServe(announced, { ...request, after: 5 }, T0)).toMatchObject({ code: 'bad-auth' });
  });

  const items: StoredItem[] = Array.from({ length: 10 }, (_, i) => ({
    seq: i + 1,
    envelope: envelope(b64.encode(Uint8Array.of(i))),
  }));
  const ask = { topic, after: 2, limit: 4 };

  it('an honest page verifies, up to the head', () => {
    const page = servePage(items, ask, 10);
    expect(page.items.map((i) => i.seq)).toEqual([3, 4, 5, 6]);
    expect(page.next).toBe(6);
    expect(verifyPage(ask, page)).toEqual({ ok: true });
    const last = servePage(items, { ...ask, after: 8 }, 10);
    expect([last.next, verifyPage({ ...ask, after: 8 }, last)]).toEqual([null, { ok: true }]);
  });

  it('a page cut short by size says where to go on, and an empty one cannot claim to', () => {
    const sizeOf = () => 1000;
    const page = servePage(items, ask, 10, { maxBytes: 2500, sizeOf });
    expect([page.items.map((i) => i.seq), page.next]).toEqual([[3, 4], 4]);
    expect(verifyPage(ask, page)).toEqual({ ok: true });
    expect(verifyPage(ask, { ...page, items: [], next: 2 })).toMatchObject({ code: 'storage-dropped-range' });
  });

  it('a dropped range is detected', () => {
    const page = servePage(items, ask, 10);
    const holed = { ...page, items: page.items.filter((i) => i.seq !== 4) };
    expect(verifyPage(ask, holed)).toMatchObject({ code: 'storage-dropped-range', missing: [4, 4] });
    const truncated = { ...page, items: page.items.slice(0, 2), next: null };
    expect(verifyPage(ask, truncated)).toMatchObject({ code: 'storage-dropped-range', missing: [5, 10] });
    const empty = { ...page, items: [], next: null };
    expect(verifyPage(ask, empty)).toMatchObject({ code: 'storage-dropped-range', missing: [3, 10] });
    // Items past retention are gone honestly: the floor says so.
    const purged = servePage(items.slice(5), ask, 10);
    expect(verifyPage(ask, purged)).toEqual({ ok: true });
  });

  it('a page for another topic, out of order or too long is refused', () => {
    const page = servePage(items, ask, 10);
    const other = topicOf('ef'.repeat(32));
    expect(verifyPage(ask, { ...page, topic: other })).toMatchObject({ code: 'storage-wrong-topic' });
    expect(
      verifyPage(ask, { ...page, items: [{ ...page.items[0]!, envelope: { ...envelope(), topic: other } }] }),
    ).toMatchObject({ code: 'storage-wrong-topic' });
    expect(verifyPage(ask, { ...page, items: [...page.items].reverse() })).toMatchObject({ code: 'storage-page' });
    expect(verifyPage({ ...ask, limit: 2 }, page)).toMatchObject({ code: 'storage-page' });
  });

  it('retention deletes what is older than the grant keeps', () => {
    expect(retentionCutoff(grant, T0 + 31 * 864e5)).toBe(T0 + 864e5);
  });
});
