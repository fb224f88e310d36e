// The vault file: a versioned JSON envelope holding the recovery phrase, passphrase and data key,
// encrypted with AES-256-GCM under a key stretched from the password with scrypt. This module
// only turns (payload, password) into file text and back, and tells a wrong password from damage.

import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import { ApiError } from '../../src-shared/api/errors.ts';

export const VAULT_FORMAT = 'hashlock-vault';
export const VAULT_VERSION = 1;

export interface KdfParams {
  /** scrypt cost: a power of two. */
  N: number;
  r: number;
  p: number;
}

/** About 128 MiB and a few hundred milliseconds per unlock on a desktop. */
export const DEFAULT_KDF: KdfParams = { N: 2 ** 17, r: 8, p: 1 };
/**
 * The weakest scrypt cost a vault file may carry on a real network (32 MiB with r = 8). A file is
 * opened with the cost written in it, so without a floor a file written (or swapped in) with a
 * tiny cost would keep the seed behind almost no work. Test networks may go lower (devnet, tests).
 */
export const KDF_FLOOR_N = 2 ** 15;
/**
 * The most scrypt work a vault file may ask for, as 128·N·r·p bytes mixed: 1 GiB, eight times the
 * default (a few seconds per unlock on a desktop). scrypt's time grows with N·r·p and its memory
 * with N·r, so without this ceiling a hostile file could ask for p = 16 at 1 GiB and make every
 * unlock take minutes (hours on a slow machine). It bounds memory too (p is at least 1).
 */
export const KDF_CEILING_BYTES = 2 ** 30;

export interface VaultPayload {
  mnemonic: string;
  passphrase: string;
  /** Random 32 bytes used by the secret box; independent of the password so a password change keeps sealed values readable. */
  dataKey: Uint8Array;
}

const SALT_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_CHECK_LABEL = 'hashlock-vault-check';

interface Header {
  format: typeof VAULT_FORMAT;
  version: number;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: { name: 'aes-256-gcm'; iv: string };
  check: string;
}

interface Envelope extends Header {
  ciphertext: string;
  tag: string;
  checksum: string;
}

/** N a power of two (at least 2), r in 1..32, p in 1..16: what scrypt takes at all. */
function kdfShapeOk({ N, r, p }: KdfParams): boolean {
  return (
    Number.isSafeInteger(N) &&
    N >= 2 &&
    N <= 2 ** 40 &&
    Number.isInteger(Math.log2(N)) &&
    Number.isSafeInteger(r) &&
    r >= 1 &&
    r <= 32 &&
    Number.isSafeInteger(p) &&
    p >= 1 &&
    p <= 16
  );
}

/** The bytes scrypt mixes for these parameters, 128·N·r·p: what its time grows with. */
export function kdfCost({ N, r, p }: KdfParams): number {
  return 128 * N * r * p;
}

/** Why a vault may not use these scrypt parameters, or undefined when it may (the floor is `minN`). */
export function kdfProblem(
  kdf: KdfParams,
  minN = KDF_FLOOR_N,
): { bound: 'shape' | 'floor' | 'ceiling'; text: string } | undefined {
  const { N, r, p } = kdf;
  if (!kdfShapeOk(kdf))
    return {
      bound: 'shape',
      text: `scrypt N=${N} r=${r} p=${p} is not supported (N a power of two, r 1..32, p 1..16)`,
    };
  if (N < minN) return { bound: 'floor', text: `scrypt N=${N} is below the floor of ${minN}` };
  if (kdfCost(kdf) > KDF_CEILING_BYTES)
    return {
      bound: 'ceiling',
      text: `scrypt N=${N} r=${r} p=${p} costs 128·N·r·p = ${kdfCost(kdf)} bytes, above the ceiling of ${KDF_CEILING_BYTES}`,
    };
  return undefined;
}

/** Throws a RangeError for parameters scrypt does not take or that cost more than the ceiling (not the floor). */
export function assertKdfParams(kdf: KdfParams): void {
  const problem = kdfProblem(kdf, 0);
  if (problem) throw new RangeError(`Unsupported scrypt parameters: ${problem.text}`);
}

/** Encrypts the payload; the result is the whole file text. */
export async function sealVaultFile(payload: VaultPayload, password: string, kdf: KdfParams): Promise<string> {
  assertKdfParams(kdf);
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const { encKey, checkKey } = await deriveKeys(password, salt, kdf);
  const plaintext = Buffer.from(
    JSON.stringify({
      mnemonic: payload.mnemonic,
      passphrase: payload.passphrase,
      dataKey: Buffer.from(payload.dataKey).toString('base64'),
    }),
    'utf8',
  );
  try {
    const header: Header = {
      format: VAULT_FORMAT,
      version: VAULT_VERSION,
      kdf: { name: 'scrypt', N: kdf.N, r: kdf.r, p: kdf.p, salt: salt.toString('base64') },
      cipher: { name: 'aes-256-gcm', iv: iv.toString('base64') },
      check: keyCheck(checkKey).toString('base64'),
    };
    const cipher = createCipheriv('aes-256-gcm', encKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(headerBytes(header));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const body = { ...header, ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
    const envelope: Envelope = { ...body, checksum: checksum(body) };
    return `${JSON.stringify(envelope, null, 2)}\n`;
  } finally {
    plaintext.fill(0);
    encKey.fill(0);
    checkKey.fill(0);
  }
}

/**
 * Decrypts the file text. Order of checks:
 * 1. JSON, fields, version and the SHA-256 checksum: any failure is VAULT_CORRUPT (accidental
 *    damage such as a flipped bit in the salt is caught here, before the slow KDF).
 * 2. The key-check value HMAC(checkKey, "hashlock-vault-check"): a mismatch is VAULT_WRONG_PASSWORD.
 * 3. AES-GCM with the header as associated data: failing with a matching key check means the
 *    ciphertext or header was altered and the checksum recomputed, so VAULT_CORRUPT.
 */
export async function openVaultFile(text: string, password: string, minN = KDF_FLOOR_N): Promise<VaultPayload> {
  const envelope = parseEnvelope(text);
  // Before the KDF runs: a file names its own cost, so it must be neither too cheap nor too dear.
  const { N, r, p } = envelope.kdf;
  const problem = kdfProblem(envelope.kdf, minN);
  if (problem?.bound === 'floor') {
    throw new ApiError(
      'VAULT_CORRUPT',
      `The vault file's key derivation is weaker than this node accepts (scrypt N=${N}, at least ${minN}); it was not written by this node's settings.`,
      { reason: 'kdf', bound: 'floor', N, r, p, minN },
    );
  }
  if (problem) {
    throw new ApiError(
      'VAULT_CORRUPT',
      `The vault file asks for more key-derivation work than this node spends on an unlock (scrypt N=${N} r=${r} p=${p}: 128·N·r·p = ${kdfCost(envelope.kdf)} bytes, at most ${KDF_CEILING_BYTES}); this node never writes such a file.`,
      { reason: 'kdf', bound: problem.bound, N, r, p, maxBytes: KDF_CEILING_BYTES },
    );
  }
  const salt = b64(envelope.kdf.salt, 'kdf.salt');
  const { encKey, checkKey } = await deriveKeys(password, salt, envelope.kdf);
  let plaintext: Buffer | undefined;
  try {
    if (!timingSafeEqual(keyCheck(checkKey), b64(envelope.check, 'check'))) {
      throw new ApiError('VAULT_WRONG_PASSWORD', 'The password is not correct.');
    }
    const decipher = createDecipheriv('aes-256-gcm', encKey, b64(envelope.cipher.iv, 'cipher.iv'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(headerBytes(envelope));
    decipher.setAuthTag(b64(envelope.tag, 'tag'));
    try {
      plaintext = Buffer.concat([decipher.update(b64(envelope.ciphertext, 'ciphertext')), decipher.final()]);
    } catch {
      throw corrupt('its contents were altered (the password is right but the data does not authenticate)', 'aead');
    }
    return parsePayload(plaintext);
  } finally {
    plaintext?.fill(0);
    encKey.fill(0);
    checkKey.fill(0);
  }
}

async function deriveKeys(
  password: string,
  salt: Uint8Array,
  kdf: KdfParams,
): Promise<{ encKey: Buffer; checkKey: Buffer }> {
  // NFC so the same password typed on differently-composing keyboards gives the same key.
  const secret = Buffer.from(password.normalize('NFC'), 'utf8');
  try {
    const out = await new Promise<Buffer>((resolve, reject) => {
      scrypt(
        secret,
        salt,
        64,
        { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 128 * (kdf.N + kdf.p + 2) * kdf.r + 32 * 1024 * 1024 },
        (err, key) => (err ? reject(err) : resolve(key)),
      );
    });
    // Separate halves: the key-check value must reveal nothing about the encryption key.
    return { encKey: out.subarray(0, 32), checkKey: out.subarray(32, 64) };
  } finally {
    secret.fill(0);
  }
}

function keyCheck(checkKey: Uint8Array): Buffer {
  return createHmac('sha256', checkKey).update(KEY_CHECK_LABEL).digest();
}

/** The associated data: every header field, in a fixed order, so changing any of them breaks the tag. */
function headerBytes(h: Header): Buffer {
  return Buffer.from(
    JSON.stringify([
      h.format,
      h.version,
      h.kdf.name,
      h.kdf.N,
      h.kdf.r,
      h.kdf.p,
      h.kdf.salt,
      h.cipher.name,
      h.cipher.iv,
      h.check,
    ]),
    'utf8',
  );
}

function checksum(body: Omit<Envelope, 'checksum'>): string {
  const canonical = JSON.stringify([
    body.format,
    body.version,
    body.kdf.name,
    body.kdf.N,
    body.kdf.r,
    body.kdf.p,
    body.kdf.salt,
    body.cipher.name,
    body.cipher.iv,
    body.check,
    body.ciphertext,
    body.tag,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function corrupt(why: string, reason: string): ApiError {
  return new ApiError('VAULT_CORRUPT', `The vault file cannot be used: ${why}. Restore from your recovery phrase.`, {
    reason,
  });
}

function parseEnvelope(text: string): Envelope {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw corrupt('it is not valid JSON (it may be truncated)', 'not-json');
  }
  const o = record(raw, 'file');
  if (o.format !== VAULT_FORMAT) throw corrupt('it is not a Hashlock vault file', 'format');
  if (typeof o.version !== 'number') throw corrupt('it has no version number', 'version');
  if (o.version !== VAULT_VERSION) {
    throw o.version > VAULT_VERSION
      ? corrupt(`it was written by a newer version of Hashlock (file version ${o.version})`, 'version')
      : corrupt(`its version ${o.version} is not one this program reads`, 'version');
  }
  const kdf = record(o.kdf, 'kdf');
  const cipher = record(o.cipher, 'cipher');
  if (kdf.name !== 'scrypt') throw corrupt('it names an unknown key derivation', 'kdf');
  if (cipher.name !== 'aes-256-gcm') throw corrupt('it names an unknown cipher', 'cipher');
  const N = num(kdf.N, 'kdf.N');
  const r = num(kdf.r, 'kdf.r');
  const p = num(kdf.p, 'kdf.p');
  if (!kdfShapeOk({ N, r, p })) throw corrupt('its key derivation parameters are out of range', 'kdf');
  const envelope: Envelope = {
    format: VAULT_FORMAT,
    version: o.version,
    kdf: { name: 'scrypt', N, r, p, salt: str(kdf.salt, 'kdf.salt') },
    cipher: { name: 'aes-256-gcm', iv: str(cipher.iv, 'cipher.iv') },
    check: str(o.check, 'check'),
    ciphertext: str(o.ciphertext, 'ciphertext'),
    tag: str(o.tag, 'tag'),
    checksum: str(o.checksum, 'checksum'),
  };
  if (checksum(envelope) !== envelope.checksum) throw corrupt('it is damaged (checksum mismatch)', 'checksum');
  const lengths: [string, string, number][] = [
    ['kdf.salt', envelope.kdf.salt, SALT_BYTES],
    ['cipher.iv', envelope.cipher.iv, IV_BYTES],
    ['tag', envelope.tag, TAG_BYTES],
    ['check', envelope.check, 32],
  ];
  for (const [name, value, length] of lengths) {
    if (b64(value, name).length !== length) throw corrupt(`field ${name} has the wrong length`, 'field');
  }
  b64(envelope.ciphertext, 'ciphertext');
  return envelope;
}

function parsePayload(plaintext: Buffer): VaultPayload {
  let raw: unknown;
  try {
    raw = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw corrupt('its decrypted contents are not valid', 'payload');
  }
  const o = record(raw, 'payload');
  const dataKey = b64(str(o.dataKey, 'payload.dataKey'), 'payload.dataKey');
  if (dataKey.length !== 32) throw corrupt('its data key has the wrong length', 'payload');
  return {
    mnemonic: str(o.mnemonic, 'payload.mnemonic'),
    passphrase: str(o.passphrase, 'payload.passphrase'),
    dataKey,
  };
}

function record(x: unknown, name: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x))
    throw corrupt(`field ${name} is missing or malformed`, 'field');
  return x as Record<string, unknown>;
}

function str(x: unknown, name: string): string {
  if (typeof x !== 'string') throw corrupt(`field ${name} is missing or malformed`, 'field');
  return x;
}

function num(x: unknown, name: string): number {
  if (typeof x !== 'number') throw corrupt(`field ${name} is missing or malformed`, 'field');
  return x;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Node's base64 decoder skips junk silently; a vault field must be exactly canonical base64. */
function b64(s: string, name: string): Buffer {
  if (!BASE64.test(s)) throw corrupt(`field ${name} is not valid base64`, 'field');
  return Buffer.from(s, 'base64');
}
