// Our own identities in the vault: create on m/302'/616'/i'/0/0, update, delete, recreate with
// rising iats; a restore finds identities published on both purpose-302 paths within the gap;
// signing needs an identity of ours and an unlocked vault.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addressOfKey, doubleSha256, recoverCompact } from '../../src-shared/identity/compact.ts';
import { identityReason } from '../../src-shared/identity/errors.ts';
import { buildProfilePayload, didOf } from '../../src-shared/identity/profile.ts';
import { didIsHeaderJson, signDidIsJws } from '../../src-shared/identity/verify.ts';
import keyPaths from '../../src-shared/identity/fixtures/key-paths.json' with { type: 'json' };
import { createVault, type Vault } from '../vault/index.ts';
import { createOwn, scanPaths } from './own.ts';
import { testRegistry } from './testkit.ts';

const FAST = { N: 1024, r: 8, p: 1 };
let dir: string;
let vault: Vault;
const clock = 1_800_000_000_000;
const now = () => clock;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hashlock-own-'));
  vault = createVault({ filePath: path.join(dir, 'vault.json'), kdf: FAST, minKdfN: FAST.N });
  await vault.restore(keyPaths.mnemonic, 'pw', keyPaths.passphrase);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup() {
  const t = testRegistry(now);
  return { ...t, own: createOwn({ vault, repo: t.repo, registry: t.registry, now }) };
}

const refusal = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    return identityReason(err) ?? String(err);
  }
};

/** Publishes a profile signed by one of our keys without adding it to our list (another device did). */
function publishElsewhere(t: ReturnType<typeof setup>, index: number, scheme: 'wallet' | 'purpose') {
  const address = addressOfKey(vault.identityPublicKey(index, scheme));
  const payload = buildProfilePayload(didOf(address), clock, { name: `${scheme} ${index}` });
  const content = signDidIsJws(didIsHeaderJson(address), payload, {
    publicKey: vault.identityPublicKey(index, scheme),
    signDigest: (dg) => vault.signIdentityDigest(index, dg, scheme),
  });
  expect(t.registry.ingest(content, { via: 'sync' }).stored).toBe(true);
  return didOf(address);
}

const localLookup = (t: ReturnType<typeof setup>) => async (dids: string[]) =>
  new Set(dids.filter((d) => t.repo.get(d)));

describe('our identities', () => {
  it("creates on Blockcore Wallet's path, account 0 first, then the next unused", () => {
    const t = setup();
    const first = t.own.create({ profile: { name: 'Alice' }, label: 'work' });
    expect(first).toBe(`did:is:${keyPaths.keys[1]!.address}`);
    const second = t.own.create({ profile: { name: 'Alice 2' } });
    expect(t.repo.mine.list().map((m) => [m.scheme, m.index, m.label])).toEqual([
      ['wallet', 0, 'work'],
      ['wallet', 1, null],
    ]);
    expect(second).not.toBe(first);
  });

  it('update, delete and recreate each publish a higher iat, even when the clock stands still', () => {
    const t = setup();
    const did = t.own.create({ profile: { name: 'A' } });
    t.own.update(did, { name: 'B' });
    t.own.remove(did);
    expect(refusal(() => t.own.update(did, { name: 'C' }))).toBe('REPLAY_AFTER_DELETE');
    t.own.recreate(did, { name: 'D' });
    expect(t.repo.get(did)).toMatchObject({ iat: clock + 3, tombstone: false });
    expect(refusal(() => t.own.recreate(did, { name: 'E' }))).toBe('IAT_NOT_NEWER');
  });

  it('refuses to write for an identity that is not ours', () => {
    const t = setup();
    expect(refusal(() => t.own.update('did:is:PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP', { name: 'x' }))).toBe('NOT_FOUND');
  });

  it('refuses a profile with control characters before signing anything', () => {
    const t = setup();
    expect(refusal(() => t.own.create({ profile: { name: 'a\u202Eb' } }))).toBe('FIELD_INVALID');
    expect(t.repo.count()).toBe(0);
  });

  it('signs digests with the identity key, and not once the vault is locked', () => {
    const t = setup();
    const did = t.own.create({ profile: {} });
    const digest = doubleSha256(new TextEncoder().encode('pay me'));
    const sig = t.own.signer(did).signDigest(digest);
    expect(didOf(addressOfKey(recoverCompact(digest, sig)))).toBe(did);
    vault.lock();
    expect(() => t.own.signer(did).signDigest(digest)).toThrow(/locked/);
  });
});

describe('finding our identities after a restore', () => {
  it("finds the facts vectors on both paths (m/302'/616'/0'/0/0 and m/302'/0')", async () => {
    const t = setup();
    const a = publishElsewhere(t, 0, 'wallet');
    const b = publishElsewhere(t, 0, 'purpose');
    expect([a, b]).toEqual(keyPaths.keys.map((k) => `did:is:${k.address}`).reverse());
    const { found } = await scanPaths(t.own, 20, localLookup(t));
    expect(t.own.adopt(found).sort()).toEqual([a, b].sort());
    expect(t.repo.mine.get(b)).toMatchObject({ scheme: 'purpose', index: 0 });
  });

  it('keeps looking while identities turn up within the gap, and stops after it', async () => {
    const t = setup();
    const near = publishElsewhere(t, 15, 'wallet');
    const further = publishElsewhere(t, 30, 'wallet');
    const beyond = publishElsewhere(t, 51, 'wallet');
    const { found, checked } = await scanPaths(t.own, 20, localLookup(t));
    expect(found.map((f) => f.did)).toEqual([near, further]);
    expect(found.map((f) => f.did)).not.toContain(beyond);
    // wallet: 0..50 (gap 20 after 30), purpose: 0..19
    expect(checked).toBe(51 + 20);
  });

  it('a scan of an empty registry asks about one window per path and stops', async () => {
    const t = setup();
    const asked: number[] = [];
    await scanPaths(t.own, 5, async (dids) => (asked.push(dids.length), new Set()));
    expect(asked).toEqual([10]);
  });
});
