// Identity on the exchange over a real store (docs/identity.md §9): the identity we choose attests
// our order key and others see its name on that key; moving the choice or turning it off withdraws
// it; a deleted profile, an expired or a forged attestation show nothing; renewal comes before the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildOrderKeyPayload } from '../../src-shared/identity/attestation.ts';
import { orderKeySlot } from '../../src-shared/identity/records.ts';
import keyPaths from '../../src-shared/identity/fixtures/key-paths.json' with { type: 'json' };
import { createLogger } from '../kernel/log.ts';
import { createVault, type Vault } from '../vault/index.ts';
import { createOwn } from './own.ts';
import { ATTEST_DAYS, createOrderShowing, makerIdentityOf } from './order-identity.ts';
import { testIdentity, testRegistry } from './testkit.ts';

const FAST = { N: 1024, r: 8, p: 1 };
const DAY = 86_400_000;
let dir: string;
let vault: Vault;
let clock: number;
const now = () => clock;

beforeEach(async () => {
  clock = 1_800_000_000_000;
  dir = mkdtempSync(path.join(tmpdir(), 'hashlock-order-identity-'));
  vault = createVault({ filePath: path.join(dir, 'vault.json'), kdf: FAST, minKdfN: FAST.N });
  await vault.restore(keyPaths.mnemonic, 'pw', keyPaths.passphrase);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup() {
  const t = testRegistry(now);
  const own = createOwn({ vault, repo: t.repo, registry: t.registry, now });
  const showing = createOrderShowing({
    own,
    repo: t.repo,
    orderKey: () => vault.networkPublicKey('order'),
    signOrderKey: (digest) => vault.signNetworkDigest('order', digest),
    log: createLogger('test', 'silent'),
    now,
  });
  const orderKey = bytesToHex(vault.networkPublicKey('order'));
  return { ...t, own, showing, orderKey };
}

describe('identity on orders', () => {
  it('the chosen identity speaks for our order key; moving the choice withdraws the first', () => {
    const t = setup();
    const shop = t.own.create({ label: 'shop', profile: { name: 'The Shop' } });
    const me = t.own.create({ label: 'me', profile: { name: 'Ada' } });
    expect(makerIdentityOf(t.repo, t.orderKey, clock)).toBeUndefined();
    t.showing.choose(shop);
    expect(makerIdentityOf(t.repo, t.orderKey, clock)).toMatchObject({ did: shop, name: 'The Shop' });
    clock += 1000;
    t.showing.choose(me);
    expect(makerIdentityOf(t.repo, t.orderKey, clock)).toMatchObject({ did: me, name: 'Ada' });
    expect(t.repo.get(orderKeySlot(shop, t.orderKey))).toMatchObject({ tombstone: true });
    clock += 1000;
    t.showing.choose(null);
    expect(makerIdentityOf(t.repo, t.orderKey, clock)).toBeUndefined();
    expect(t.repo.mine.list().some((r) => r.onOrders)).toBe(false);
  });

  it('a deleted profile, or an attestation past its end, shows nothing', () => {
    const t = setup();
    const did = t.own.create({ profile: { name: 'Bea' } });
    t.showing.choose(did);
    expect(makerIdentityOf(t.repo, t.orderKey, clock + ATTEST_DAYS * DAY - 1)?.name).toBe('Bea');
    expect(makerIdentityOf(t.repo, t.orderKey, clock + ATTEST_DAYS * DAY)).toBeUndefined();
    clock += 1000;
    t.own.remove(did);
    expect(makerIdentityOf(t.repo, t.orderKey, clock)).toBeUndefined();
    // The delete retired the attestation with it (rule 10): a recreate does not bring it back.
    expect(t.repo.get(orderKeySlot(did, t.orderKey))).toBeUndefined();
  });

  it('is renewed once less than a week is left, not before', () => {
    const t = setup();
    const did = t.own.create({ profile: { name: 'Cy' } });
    t.showing.choose(did);
    const first = t.repo.get(orderKeySlot(did, t.orderKey))!;
    clock += (ATTEST_DAYS - 8) * DAY;
    t.showing.renew();
    expect(t.repo.get(orderKeySlot(did, t.orderKey))!.id).toBe(first.id);
    clock += 2 * DAY;
    t.showing.renew();
    const renewed = t.repo.get(orderKeySlot(did, t.orderKey))!;
    expect(renewed.iat).toBe(clock);
    expect(makerIdentityOf(t.repo, t.orderKey, first.iat + ATTEST_DAYS * DAY + DAY)?.did).toBe(did);
  });

  it("nobody else's identity can claim our order key: the registry refuses it and shows nothing", () => {
    const t = setup();
    const mallory = testIdentity('mallory');
    t.registry.ingest(mallory.profile(clock - 10, { name: 'Our Exchange Support' }), { via: 'gossip' });
    const notOurs = (digest: Uint8Array) =>
      secp256k1.sign(digest, sha256(new TextEncoder().encode('not the order key')), {
        prehash: false,
        lowS: true,
        format: 'compact',
      });
    const claim = mallory.sign(buildOrderKeyPayload(mallory.did, t.orderKey, clock, 30, notOurs));
    const o = t.registry.ingest(claim, { via: 'gossip', peerId: 'peer' });
    expect(o.stored ? 'stored' : o.reason).toBe('ATTESTATION_INVALID');
    expect(makerIdentityOf(t.repo, t.orderKey, clock)).toBeUndefined();
  });

  it('another node stores our attestation as it came and shows the same name', () => {
    const t = setup();
    const did = t.own.create({ profile: { name: 'Dee' } });
    t.showing.choose(did);
    const other = testRegistry(now);
    for (const slot of [did, orderKeySlot(did, t.orderKey)]) {
      const o = other.registry.ingest(t.repo.get(slot)!.content, { via: 'gossip', peerId: 'p' });
      expect(o.stored).toBe(true);
    }
    expect(makerIdentityOf(other.repo, t.orderKey, clock)).toMatchObject({ did, name: 'Dee' });
  });
});
