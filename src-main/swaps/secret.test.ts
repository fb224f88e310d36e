import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVault } from '../vault/index.ts';
import { SECRET_KEY_INDEX, deriveSwapSecret, secretHashHex } from './secret.ts';

const FAST = { N: 1024, r: 8, p: 1 };
const PASSWORD = 'correct horse battery';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hashlock-secret-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the maker's swap secret, derived from the vault", () => {
  it('is the same after the vault is locked and unlocked again (it survives restarts without being stored)', async () => {
    const vault = createVault({ filePath: join(dir, 'vault.json'), kdf: FAST, minKdfN: FAST.N });
    await vault.create(PASSWORD);
    const first = deriveSwapSecret(vault, 'swap-1');
    vault.lock();
    await vault.unlock(PASSWORD);
    expect(bytesToHex(deriveSwapSecret(vault, 'swap-1'))).toBe(bytesToHex(first));
    expect(first).toHaveLength(32);
  });

  it('is the same for a vault restored from its recovery phrase, and differs per swap and per seed', async () => {
    const a = createVault({ filePath: join(dir, 'a.json'), kdf: FAST, minKdfN: FAST.N });
    const { mnemonic } = await a.create(PASSWORD);
    const restored = createVault({ filePath: join(dir, 'b.json'), kdf: FAST, minKdfN: FAST.N });
    await restored.restore(mnemonic, PASSWORD);
    const other = createVault({ filePath: join(dir, 'c.json'), kdf: FAST, minKdfN: FAST.N });
    await other.create(PASSWORD);
    const s = bytesToHex(deriveSwapSecret(a, 'swap-1'));
    expect(bytesToHex(deriveSwapSecret(restored, 'swap-1'))).toBe(s);
    expect(bytesToHex(deriveSwapSecret(a, 'swap-2'))).not.toBe(s);
    expect(bytesToHex(deriveSwapSecret(other, 'swap-1'))).not.toBe(s);
  });

  it('is not the signature itself, and its hash is SHA256 of it (as OP_SHA256 checks)', async () => {
    const vault = createVault({ filePath: join(dir, 'vault.json'), kdf: FAST, minKdfN: FAST.N });
    await vault.create(PASSWORD);
    const secret = deriveSwapSecret(vault, 'swap-1');
    const signatureBytes = vault.signSwapDigest(
      SECRET_KEY_INDEX,
      sha256(new TextEncoder().encode('hashlock/swap-secret/v1/swap-1')),
    );
    expect(bytesToHex(secret)).not.toBe(bytesToHex(signatureBytes.subarray(0, 32)));
    expect(secretHashHex(secret)).toBe(bytesToHex(sha256(secret)));
  });

  it('needs the unlocked vault', async () => {
    const vault = createVault({ filePath: join(dir, 'vault.json'), kdf: FAST, minKdfN: FAST.N });
    await vault.create(PASSWORD);
    vault.lock();
    expect(() => deriveSwapSecret(vault, 'swap-1')).toThrow(/locked/);
  });
});
