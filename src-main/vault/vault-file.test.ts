import { createHash, scrypt } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import {
  DEFAULT_KDF,
  KDF_CEILING_BYTES,
  KDF_FLOOR_N,
  openVaultFile,
  sealVaultFile,
  type VaultPayload,
} from './vault-file.ts';

// The real scrypt, watched: the bounds tests check the KDF never ran (and never run a costly one).
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, scrypt: vi.fn(real.scrypt) };
});
const scryptSpy = vi.mocked(scrypt);

const FAST = { N: 1024, r: 8, p: 1 };
const PASSWORD = 'correct horse battery';

type Envelope = {
  format: string;
  version: number;
  kdf: { name: string; N: number; r: number; p: number; salt: string };
  cipher: { name: string; iv: string };
  check: string;
  ciphertext: string;
  tag: string;
  checksum: string;
};

/** The documented checksum (docs/vault.md), written out again here so a silent format change fails. */
function withChecksum(e: Envelope): string {
  const canonical = JSON.stringify([
    e.format,
    e.version,
    e.kdf.name,
    e.kdf.N,
    e.kdf.r,
    e.kdf.p,
    e.kdf.salt,
    e.cipher.name,
    e.cipher.iv,
    e.check,
    e.ciphertext,
    e.tag,
  ]);
  return JSON.stringify({ ...e, checksum: createHash('sha256').update(canonical).digest('hex') });
}

/** Changes one base64 character in the middle (never the padding-adjacent last one). */
function flip(b64: string): string {
  const i = Math.floor(b64.length / 2);
  return b64.slice(0, i) + (b64[i] === 'A' ? 'B' : 'A') + b64.slice(i + 1);
}

const payload = (): VaultPayload => ({
  mnemonic: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  passphrase: 'TREZOR',
  dataKey: new Uint8Array(32).fill(7),
});

async function failure(text: string, password = PASSWORD): Promise<ApiError> {
  try {
    await openVaultFile(text, password, FAST.N);
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected openVaultFile to fail');
}

describe('vault file round trip', () => {
  it('opens what it sealed, with the payload intact', async () => {
    const text = await sealVaultFile(payload(), PASSWORD, FAST);
    const opened = await openVaultFile(text, PASSWORD, FAST.N);
    expect(opened.mnemonic).toBe(payload().mnemonic);
    expect(opened.passphrase).toBe('TREZOR');
    expect(Array.from(opened.dataKey)).toEqual(Array.from(payload().dataKey));
  });

  it('never contains the phrase, passphrase or data key in clear', async () => {
    const text = await sealVaultFile(payload(), PASSWORD, FAST);
    expect(text).not.toContain('abandon');
    expect(text).not.toContain('TREZOR');
    expect(text).not.toContain(Buffer.from(payload().dataKey).toString('base64'));
  });

  it('uses a fresh salt and IV every time', async () => {
    const a = JSON.parse(await sealVaultFile(payload(), PASSWORD, FAST)) as Envelope;
    const b = JSON.parse(await sealVaultFile(payload(), PASSWORD, FAST)) as Envelope;
    expect(a.kdf.salt).not.toBe(b.kdf.salt);
    expect(a.cipher.iv).not.toBe(b.cipher.iv);
  });

  it('treats passwords that differ only in Unicode composition as the same', async () => {
    const text = await sealVaultFile(payload(), 'caf\u00e9 au lait', FAST);
    await expect(openVaultFile(text, 'cafe\u0301 au lait', FAST.N)).resolves.toBeDefined();
  });

  it('works with the default scrypt parameters (N=2^17, r=8, p=1) within the memory limit', async () => {
    const text = await sealVaultFile(payload(), PASSWORD, DEFAULT_KDF);
    expect((JSON.parse(text) as Envelope).kdf).toMatchObject({ name: 'scrypt', N: 131072, r: 8, p: 1 });
    await expect(openVaultFile(text, PASSWORD, FAST.N)).resolves.toBeDefined();
  });

  it('refuses to write with parameters outside the supported range', async () => {
    await expect(sealVaultFile(payload(), PASSWORD, { N: 1000, r: 8, p: 1 })).rejects.toThrow(RangeError);
    await expect(sealVaultFile(payload(), PASSWORD, { N: 2 ** 24, r: 8, p: 1 })).rejects.toThrow(RangeError);
  });
});

describe('wrong password versus damage', () => {
  it('says VAULT_WRONG_PASSWORD for a wrong password on an intact file', async () => {
    const text = await sealVaultFile(payload(), PASSWORD, FAST);
    const e = await failure(text, 'not the password');
    expect(e.code).toBe('VAULT_WRONG_PASSWORD');
  });

  const cases: { name: string; mutate: (text: string, e: Envelope) => string; reason: string; message?: RegExp }[] = [
    {
      name: 'truncated file',
      mutate: (t) => t.slice(0, Math.floor(t.length / 2)),
      reason: 'not-json',
      message: /truncated/,
    },
    { name: 'empty file', mutate: () => '', reason: 'not-json' },
    { name: 'garbage bytes', mutate: () => '\u0000\u00ff\u0013garbage', reason: 'not-json' },
    { name: 'JSON that is not an object', mutate: () => '[1,2,3]', reason: 'field' },
    {
      name: "another program's file",
      mutate: (_t, e) => JSON.stringify({ ...e, format: 'other-wallet' }),
      reason: 'format',
    },
    {
      name: 'a newer version',
      mutate: (_t, e) => withChecksum({ ...e, version: 2 }),
      reason: 'version',
      message: /newer version/,
    },
    {
      name: 'a missing ciphertext',
      mutate: (_t, e) => JSON.stringify({ ...e, ciphertext: undefined }),
      reason: 'field',
    },
    {
      name: 'a bit flipped in the ciphertext',
      mutate: (_t, e) => JSON.stringify({ ...e, ciphertext: flip(e.ciphertext) }),
      reason: 'checksum',
    },
    {
      name: 'a bit flipped in the salt',
      mutate: (_t, e) => JSON.stringify({ ...e, kdf: { ...e.kdf, salt: flip(e.kdf.salt) } }),
      reason: 'checksum',
    },
    {
      name: 'a changed scrypt N',
      mutate: (_t, e) => JSON.stringify({ ...e, kdf: { ...e.kdf, N: 2048 } }),
      reason: 'checksum',
    },
    {
      name: 'a changed checksum',
      mutate: (_t, e) => JSON.stringify({ ...e, checksum: '0'.repeat(64) }),
      reason: 'checksum',
    },
    {
      name: 'an absurd scrypt N (memory bomb) with the checksum redone',
      mutate: (_t, e) => withChecksum({ ...e, kdf: { ...e.kdf, N: 2 ** 30 } }),
      reason: 'kdf',
    },
    {
      name: 'a salt that is not base64, checksum redone',
      mutate: (_t, e) => withChecksum({ ...e, kdf: { ...e.kdf, salt: '!!notbase64!!' } }),
      reason: 'field',
    },
    {
      name: 'altered ciphertext with the checksum redone',
      mutate: (_t, e) => withChecksum({ ...e, ciphertext: flip(e.ciphertext) }),
      reason: 'aead',
    },
    {
      name: 'altered IV (header, bound as AAD) with the checksum redone',
      mutate: (_t, e) => withChecksum({ ...e, cipher: { ...e.cipher, iv: flip(e.cipher.iv) } }),
      reason: 'aead',
    },
    {
      name: 'altered tag with the checksum redone',
      mutate: (_t, e) => withChecksum({ ...e, tag: flip(e.tag) }),
      reason: 'aead',
    },
  ];

  for (const c of cases) {
    it(`says VAULT_CORRUPT (${c.reason}) for ${c.name}, even with the right password`, async () => {
      const text = await sealVaultFile(payload(), PASSWORD, FAST);
      const e = await failure(c.mutate(text, JSON.parse(text) as Envelope));
      expect(e.code).toBe('VAULT_CORRUPT');
      expect((e.details as { reason: string }).reason).toBe(c.reason);
      if (c.message) expect(e.message).toMatch(c.message);
    });
  }

  it('cannot tell a consistently rewritten salt from a wrong password (documented limit)', async () => {
    const text = await sealVaultFile(payload(), PASSWORD, FAST);
    const e = JSON.parse(text) as Envelope;
    expect((await failure(withChecksum({ ...e, kdf: { ...e.kdf, salt: flip(e.kdf.salt) } }))).code).toBe(
      'VAULT_WRONG_PASSWORD',
    );
  });
});

describe('the scrypt floor', () => {
  it('refuses a file whose key derivation is cheaper than the floor, before deriving anything', async () => {
    const text = await sealVaultFile(payload(), PASSWORD, FAST);
    const started = Date.now();
    const err = await openVaultFile(text, PASSWORD).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('VAULT_CORRUPT');
    expect((err as ApiError).message).toContain(`scrypt N=1024, at least ${KDF_FLOOR_N}`);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("says VAULT_CORRUPT (kdf, floor) with the file's parameters in the details", async () => {
    const e = await openVaultFile(await sealVaultFile(payload(), PASSWORD, FAST), PASSWORD).catch((x: unknown) => x);
    expect((e as ApiError).details).toEqual({ reason: 'kdf', bound: 'floor', N: 1024, r: 8, p: 1, minN: KDF_FLOOR_N });
  });

  it('opens a file at the floor', async () => {
    const text = await sealVaultFile(payload(), PASSWORD, { N: KDF_FLOOR_N, r: 8, p: 1 });
    await expect(openVaultFile(text, PASSWORD)).resolves.toBeDefined();
  });
});

describe('the scrypt ceiling', () => {
  /** A file sealed cheaply, then given other scrypt parameters with its checksum redone. */
  async function withKdf(kdf: { N: number; r: number; p: number }): Promise<string> {
    const e = JSON.parse(await sealVaultFile(payload(), PASSWORD, FAST)) as Envelope;
    return withChecksum({ ...e, kdf: { ...e.kdf, ...kdf } });
  }

  it('refuses a file whose scrypt work (128·N·r·p) is above the ceiling, before deriving anything', async () => {
    // 128 MiB of memory (the default's) but p = 16: sixteen times the default's time, 2 GiB of work.
    const text = await withKdf({ N: 2 ** 17, r: 8, p: 16 });
    scryptSpy.mockClear();
    // Should the KDF be reached, fail at once instead of spending seconds on it.
    scryptSpy.mockImplementationOnce(((...args: unknown[]) =>
      (args.at(-1) as (e: Error) => void)(new Error('the KDF ran'))) as unknown as typeof scrypt);
    const e = await openVaultFile(text, PASSWORD).catch((x: unknown) => x);
    expect(scryptSpy).not.toHaveBeenCalled();
    scryptSpy.mockReset(); // back to the real scrypt (the failing stand-in was not used)
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe('VAULT_CORRUPT');
    expect((e as ApiError).details).toEqual({
      reason: 'kdf',
      bound: 'ceiling',
      N: 2 ** 17,
      r: 8,
      p: 16,
      maxBytes: KDF_CEILING_BYTES,
    });
    expect((e as ApiError).message).toMatch(/more key-derivation work than this node spends on an unlock/);
  });

  it('refuses to write above the ceiling, and allows a file right at it', async () => {
    await expect(sealVaultFile(payload(), PASSWORD, { N: 2 ** 17, r: 8, p: 9 })).rejects.toThrow(/above the ceiling/);
    // 128 · 2^17 · 8 · 8 = 1 GiB: at the ceiling, refused only by the (here wrong) password, after the KDF.
    const text = await withKdf({ N: 2 ** 17, r: 8, p: 8 });
    scryptSpy.mockClear();
    scryptSpy.mockImplementationOnce(((...args: unknown[]) =>
      (args.at(-1) as (e: Error | null, k: Buffer) => void)(null, Buffer.alloc(64))) as unknown as typeof scrypt);
    const e = await openVaultFile(text, PASSWORD).catch((x: unknown) => x);
    expect(scryptSpy).toHaveBeenCalledTimes(1);
    expect((e as ApiError).code).toBe('VAULT_WRONG_PASSWORD');
  });
});
