// Sealed rows: keys from the vault (per domain, from the seed), AES-256-GCM bound to domain and
// row; the attack cases are a value moved to another row or domain, an altered value, another
// vault's key, and use while locked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import bip39 from '../vault/fixtures/bip39-vectors.json' with { type: 'json' };
import { createVault, type Vault } from '../vault/vault.ts';
import { createRowSealer, isSealed } from './seal.ts';

const FAST = { N: 1024, r: 8, p: 1 };
const PASSWORD = 'correct horse battery';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hashlock-seal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const vaultAt = (name: string): Vault =>
  createVault({ filePath: join(dir, name, 'vault.json'), kdf: FAST, minKdfN: FAST.N });
const sealerOf = (v: Vault, domain: string) =>
  createRowSealer(domain, () => (v.status() === 'unlocked' ? v.storeKey(domain) : undefined));
const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiError) return e.code;
    throw e;
  }
  return 'no error';
};

describe('store keys from the vault', () => {
  it('are the same after lock and unlock and after a restore from the phrase, and differ per domain', async () => {
    const a = vaultAt('a');
    await a.restore(bip39.valid[0]!.mnemonic, PASSWORD);
    const k1 = Buffer.from(a.storeKey('settings')).toString('hex');
    expect(Buffer.from(a.storeKey('payments')).toString('hex')).not.toBe(k1);
    a.lock();
    expect(codeOf(() => a.storeKey('settings'))).toBe('VAULT_LOCKED');
    await a.unlock(PASSWORD);
    expect(Buffer.from(a.storeKey('settings')).toString('hex')).toBe(k1);
    const b = vaultAt('b');
    await b.restore(bip39.valid[0]!.mnemonic, 'another password');
    expect(Buffer.from(b.storeKey('settings')).toString('hex')).toBe(k1);
  });
});

describe('a sealed row', () => {
  it('opens for its own row and hides the plaintext', async () => {
    const v = vaultAt('a');
    await v.create(PASSWORD);
    const s = sealerOf(v, 'settings');
    const sealed = s.seal('settings/k', '{"confirmations":{"DEVA":3}}');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('DEVA');
    expect(s.open('settings/k', sealed)).toBe('{"confirmations":{"DEVA":3}}');
    expect(s.seal('settings/k', 'x')).not.toBe(s.seal('settings/k', 'x')); // a fresh IV each time
  });

  it('does not open when moved to another row or another domain', async () => {
    const v = vaultAt('a');
    await v.create(PASSWORD);
    const sealed = sealerOf(v, 'settings').seal('settings/k', 'secret');
    expect(codeOf(() => sealerOf(v, 'settings').open('settings/other', sealed))).toBe('VAULT_CORRUPT');
    expect(codeOf(() => sealerOf(v, 'payments').open('settings/k', sealed))).toBe('VAULT_CORRUPT');
  });

  it('does not open when altered, or with another vault', async () => {
    const v = vaultAt('a');
    await v.create(PASSWORD);
    const s = sealerOf(v, 'settings');
    const sealed = s.seal('settings/k', 'secret');
    const raw = Buffer.from(sealed.slice(4), 'base64');
    raw[14]! ^= 1;
    expect(codeOf(() => s.open('settings/k', 'sx1:' + raw.toString('base64')))).toBe('VAULT_CORRUPT');
    expect(codeOf(() => s.open('settings/k', 'sx1:AAAA'))).toBe('VAULT_CORRUPT');
    expect(codeOf(() => s.open('settings/k', 'plain text'))).toBe('VAULT_CORRUPT');
    const other = vaultAt('b');
    await other.create(PASSWORD);
    expect(codeOf(() => sealerOf(other, 'settings').open('settings/k', sealed))).toBe('VAULT_CORRUPT');
  });

  it('can be neither written nor read while the vault is locked', async () => {
    const v = vaultAt('a');
    await v.create(PASSWORD);
    const s = sealerOf(v, 'settings');
    const sealed = s.seal('settings/k', 'secret');
    v.lock();
    expect(s.available()).toBe(false);
    expect(codeOf(() => s.seal('settings/k', 'x'))).toBe('VAULT_LOCKED');
    expect(codeOf(() => s.open('settings/k', sealed))).toBe('VAULT_LOCKED');
  });
});
