import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type ErrorCode } from '../../src-shared/api/errors.ts';
import { checkMnemonic } from './mnemonic.ts';
import { createVault, type Vault, type VaultStatus } from './vault.ts';
import pinned from './fixtures/derived-keys.json' with { type: 'json' };
import bip39 from './fixtures/bip39-vectors.json' with { type: 'json' };

const FAST = { N: 1024, r: 8, p: 1 };
const PASSWORD = 'correct horse battery';
const REFERENCE = bip39.valid[0]!;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

let dir: string;
let filePath: string;
const open = (path = filePath): Vault => createVault({ filePath: path, kdf: FAST, minKdfN: FAST.N });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hashlock-vault-'));
  filePath = join(dir, 'data', 'vault.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<ErrorCode> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof ApiError) return e.code;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('create, lock and unlock', () => {
  it('creates an unlocked vault with a valid 24-word phrase and a 0600 file', async () => {
    const vault = open();
    expect(vault.status()).toBe('absent');
    const { mnemonic } = await vault.create(PASSWORD);
    expect(mnemonic.split(' ')).toHaveLength(24);
    expect(checkMnemonic(mnemonic)).toBe(mnemonic);
    expect(vault.status()).toBe('unlocked');
    expect(statSync(filePath).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'data'))).toEqual(['vault.json']); // no temp files left behind
  });

  it('creates a 12-word phrase on request', async () => {
    const { mnemonic } = await open().create(PASSWORD, { words: 12 });
    expect(mnemonic.split(' ')).toHaveLength(12);
  });

  it('round-trips: lock, then unlock in a new process gives the same keys', async () => {
    const vault = open();
    await vault.create(PASSWORD, { passphrase: 'extra words' });
    const before = [hex(vault.swapPublicKey(0)), hex(vault.swapPublicKey(9)), hex(vault.identityPublicKey(0))];
    vault.lock();
    expect(vault.status()).toBe('locked');
    const again = open();
    expect(again.status()).toBe('locked');
    await again.unlock(PASSWORD);
    expect(again.status()).toBe('unlocked');
    expect([hex(again.swapPublicKey(0)), hex(again.swapPublicKey(9)), hex(again.identityPublicKey(0))]).toEqual(before);
  });

  it('refuses to overwrite an existing vault and leaves the file untouched', async () => {
    await open().create(PASSWORD);
    const original = readFileSync(filePath, 'utf8');
    expect(await codeOf(open().create('another password'))).toBe('VAULT_EXISTS');
    expect(await codeOf(open().restore(REFERENCE.mnemonic, 'another password'))).toBe('VAULT_EXISTS');
    expect(readFileSync(filePath, 'utf8')).toBe(original);
  });

  it('lets only one of two simultaneous creates win', async () => {
    const results = await Promise.allSettled([open().create(PASSWORD), open().create(PASSWORD)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect((rejected?.reason as ApiError).code).toBe('VAULT_EXISTS');
  });

  it('says VAULT_NOT_CREATED when unlocking with no file', async () => {
    expect(await codeOf(open().unlock(PASSWORD))).toBe('VAULT_NOT_CREATED');
  });

  it('says VAULT_WRONG_PASSWORD for a wrong password and stays locked', async () => {
    await open().create(PASSWORD);
    const vault = open();
    expect(await codeOf(vault.unlock('wrong password'))).toBe('VAULT_WRONG_PASSWORD');
    expect(vault.status()).toBe('locked');
    await vault.unlock(PASSWORD);
    expect(vault.status()).toBe('unlocked');
  });

  it.each([
    ['truncated', (t: string) => t.slice(0, t.length - 40)],
    ['not JSON', () => 'this is not a vault'],
    [
      'bit-flipped ciphertext',
      (t: string) => {
        const e = JSON.parse(t) as { ciphertext: string };
        const i = Math.floor(e.ciphertext.length / 2);
        return JSON.stringify({
          ...e,
          ciphertext: e.ciphertext.slice(0, i) + (e.ciphertext[i] === 'A' ? 'B' : 'A') + e.ciphertext.slice(i + 1),
        });
      },
    ],
    [
      'bit-flipped salt',
      (t: string) => {
        const e = JSON.parse(t) as { kdf: { salt: string } };
        return JSON.stringify({
          ...e,
          kdf: { ...e.kdf, salt: (e.kdf.salt[0] === 'A' ? 'B' : 'A') + e.kdf.salt.slice(1) },
        });
      },
    ],
    ['wrong version', (t: string) => JSON.stringify({ ...(JSON.parse(t) as object), version: 99 })],
  ])('says VAULT_CORRUPT for a %s file, with the right password', async (_name, mutate) => {
    await open().create(PASSWORD);
    writeFileSync(filePath, mutate(readFileSync(filePath, 'utf8')));
    const vault = open();
    expect(await codeOf(vault.unlock(PASSWORD))).toBe('VAULT_CORRUPT');
    expect(vault.status()).toBe('locked');
  });

  it('says VAULT_CORRUPT when the file cannot be read', async () => {
    await open().create(PASSWORD);
    rmSync(filePath);
    // a directory where the file should be: exists, but reading it fails with EISDIR
    mkdirSync(filePath);
    expect(await codeOf(open().unlock(PASSWORD))).toBe('VAULT_CORRUPT');
  });

  it('refuses an empty password', async () => {
    expect(await codeOf(open().create(''))).toBe('INVALID_PARAMS');
    expect(existsSync(filePath)).toBe(false);
  });

  it('refuses scrypt parameters outside the supported range at construction', () => {
    expect(() => createVault({ filePath, kdf: { N: 3, r: 8, p: 1 } })).toThrow(RangeError);
    expect(() => createVault({ filePath, kdf: FAST })).toThrow(`scrypt N=1024 is below this node's floor of 32768`);
  });
});

describe('restore', () => {
  it('restores the reference phrase to the reference keys, the same on every machine', async () => {
    const a = open();
    await a.restore(REFERENCE.mnemonic, PASSWORD, REFERENCE.passphrase);
    const b = open(join(dir, 'other', 'vault.json'));
    await b.restore(REFERENCE.mnemonic.toUpperCase(), 'a different password', REFERENCE.passphrase);
    for (const p of pinned.swap) {
      expect(hex(a.swapPublicKey(p.index))).toBe(p.publicKey);
      expect(hex(b.swapPublicKey(p.index))).toBe(p.publicKey);
    }
    expect(hex(a.identityPublicKey(0))).toBe(pinned.identity[0]!.publicKey);
    for (const p of pinned.network)
      expect(hex(b.networkPublicKey(p.kind as 'order' | 'serviceNode'))).toBe(p.publicKey);
  });

  it('gives different keys for a different passphrase', async () => {
    const vault = open();
    await vault.restore(REFERENCE.mnemonic, PASSWORD);
    expect(hex(vault.swapPublicKey(0))).not.toBe(pinned.swap[0]!.publicKey);
  });

  it('restores what create produced', async () => {
    const { mnemonic } = await open().create(PASSWORD, { passphrase: 'p' });
    const created = open();
    await created.unlock(PASSWORD);
    const restored = open(join(dir, 'restored.json'));
    await restored.restore(mnemonic, 'other password', 'p');
    expect(hex(restored.swapPublicKey(3))).toBe(hex(created.swapPublicKey(3)));
  });

  it.each([
    [
      'an unknown word',
      'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandonx about',
      /"abandonx"/,
    ],
    [
      'a wrong checksum',
      'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon',
      /checksum/,
    ],
    ['a wrong word count', 'abandon abandon abandon', /has 3/],
  ])('refuses a phrase with %s, writing nothing', async (_name, phrase, message) => {
    const vault = open();
    await expect(vault.restore(phrase, PASSWORD)).rejects.toMatchObject({
      code: 'VAULT_BAD_MNEMONIC',
      message: expect.stringMatching(message),
    });
    expect(existsSync(filePath)).toBe(false);
    expect(vault.status()).toBe('absent');
  });
});

describe('a locked vault refuses every key operation', () => {
  const operations: [string, (v: Vault, sealed: string) => unknown][] = [
    ['swapPublicKey', (v) => v.swapPublicKey(0)],
    ['signSwapDigest', (v) => v.signSwapDigest(0, new Uint8Array(32))],
    ['identityPublicKey', (v) => v.identityPublicKey(0)],
    ['signIdentityDigest', (v) => v.signIdentityDigest(0, new Uint8Array(32))],
    ['networkPublicKey', (v) => v.networkPublicKey('order')],
    ['signNetworkDigest', (v) => v.signNetworkDigest('serviceNode', new Uint8Array(32))],
    ['secretBox().seal', (v) => v.secretBox().seal('x')],
    ['secretBox().open', (v, sealed) => v.secretBox().open(sealed)],
  ];
  for (const [name, op] of operations) {
    it(`${name} says VAULT_LOCKED when absent and after lock(), and works in between`, async () => {
      const vault = open();
      expect(await codeOf(() => op(vault, 'sb1:AAAA'))).toBe('VAULT_LOCKED');
      await vault.create(PASSWORD);
      const sealed = vault.secretBox().seal('x');
      expect(op(vault, sealed)).toBeDefined();
      vault.lock();
      expect(await codeOf(() => op(vault, sealed))).toBe('VAULT_LOCKED');
    });
  }
});

describe('signing through the vault', () => {
  it('makes swap signatures that verify, low-R and low-S', async () => {
    const vault = open();
    await vault.create(PASSWORD);
    for (let i = 0; i < 16; i += 1) {
      const digest = sha256(new TextEncoder().encode(`tx ${i}`));
      const sig = vault.signSwapDigest(1, digest);
      expect(secp256k1.verify(sig, digest, vault.swapPublicKey(1), { prehash: false, lowS: true })).toBe(true);
      expect(sig[0]).toBeLessThan(0x80);
    }
  });

  it('makes identity signatures that recover to the identity key', async () => {
    const vault = open();
    await vault.create(PASSWORD);
    const digest = sha256(new TextEncoder().encode('profile'));
    const sig = vault.signIdentityDigest(0, digest);
    const recovered = secp256k1.recoverPublicKey(Uint8Array.from([sig[0]! - 31, ...sig.subarray(1)]), digest, {
      prehash: false,
    });
    expect(hex(recovered)).toBe(hex(vault.identityPublicKey(0)));
  });

  it('exposes no private key on the vault object', async () => {
    const vault = open();
    await vault.create(PASSWORD);
    const exposed = JSON.stringify(Object.keys(vault));
    expect(exposed).not.toMatch(/private|seed|mnemonic|dataKey/i);
  });
});

describe('secret box', () => {
  it('round-trips, including after lock and unlock (the data key lives in the vault file)', async () => {
    const vault = open();
    await vault.create(PASSWORD);
    const sealed = vault.secretBox().seal('rpc-pässword');
    expect(sealed).toMatch(/^sb1:[A-Za-z0-9+/]+=*$/);
    expect(sealed).not.toContain('rpc');
    expect(vault.secretBox().open(sealed)).toBe('rpc-pässword');
    vault.lock();
    await vault.unlock(PASSWORD);
    expect(vault.secretBox().open(sealed)).toBe('rpc-pässword');
  });

  it('seals the same text differently each time', async () => {
    const vault = open();
    await vault.create(PASSWORD);
    expect(vault.secretBox().seal('same')).not.toBe(vault.secretBox().seal('same'));
  });

  it('refuses a tampered, foreign or malformed sealed value with a clear error', async () => {
    const vault = open();
    await vault.create(PASSWORD);
    const sealed = vault.secretBox().seal('secret');
    const body = sealed.slice(4);
    const i = Math.floor(body.length / 2);
    const tampered = `sb1:${body.slice(0, i)}${body[i] === 'A' ? 'B' : 'A'}${body.slice(i + 1)}`;
    const other = open(join(dir, 'other.json'));
    await other.create(PASSWORD);
    for (const bad of [tampered, other.secretBox().seal('secret'), 'plain text', 'sb2:AAAA', 'sb1:AAAA']) {
      expect(() => vault.secretBox().open(bad)).toThrow(/saved secret cannot be decrypted/);
      expect(await codeOf(() => vault.secretBox().open(bad))).toBe('VAULT_CORRUPT');
    }
  });
});

describe('state events', () => {
  it('reports each change of state once, until unsubscribed', async () => {
    const vault = open();
    const seen: VaultStatus[] = [];
    const stop = vault.onStateChange((s) => seen.push(s));
    await vault.create(PASSWORD);
    vault.lock();
    vault.lock(); // already locked: no event
    await vault.unlock(PASSWORD);
    expect(await codeOf(vault.unlock('wrong password'))).toBe('VAULT_WRONG_PASSWORD');
    stop();
    vault.lock();
    expect(seen).toEqual(['unlocked', 'locked', 'unlocked']);
  });

  it('reports a throwing listener without failing the operation or starving other listeners', async () => {
    const errors: unknown[] = [];
    const vault = createVault({ filePath, kdf: FAST, minKdfN: FAST.N, onListenerError: (e) => errors.push(e) });
    const seen: VaultStatus[] = [];
    vault.onStateChange(() => {
      throw new Error('listener bug');
    });
    vault.onStateChange((s) => seen.push(s));
    await vault.create(PASSWORD);
    expect(vault.status()).toBe('unlocked');
    expect(seen).toEqual(['unlocked']);
    expect(errors).toHaveLength(1);
  });
});
