// Seals small secrets (wallet RPC passwords) for storage in SQLite with the vault's data key.
// Sealed form: "sb1:" + base64(iv[12] || ciphertext || tag[16]), AES-256-GCM, AAD "hashlock-secretbox-v1".

import { createCipheriv, createDecipheriv, createSecretKey, randomFillSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { SecretBox } from '../wallets/index.ts';

const PREFIX = 'sb1:';
const AAD = Buffer.from('hashlock-secretbox-v1', 'utf8');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** IVs drawn from the CSPRNG this many at a time: one native call per seal was ~2% of a catch-up. */
const IV_BATCH = 256;

/**
 * A fresh random IV: the next unused 12 bytes of a block filled by the CSPRNG (each byte handed
 * out once, the block refilled when used up), the same randomness as one randomBytes(12) a seal.
 */
function ivSource(): () => Buffer {
  let block = Buffer.alloc(0);
  let at = 0;
  return () => {
    if (at + IV_BYTES > block.length) {
      block = randomFillSync(Buffer.allocUnsafe(IV_BATCH * IV_BYTES));
      at = 0;
    }
    at += IV_BYTES;
    return block.subarray(at - IV_BYTES, at);
  };
}

/**
 * `dataKey` is called on every use and throws VAULT_LOCKED while the vault is locked. The key is
 * imported once per data key (a raw key is parsed again by every createCipheriv: half the cost of
 * sealing a short text, once per message a catch-up keeps); `forget` drops it when the vault locks.
 */
export function createSecretBox(dataKey: () => Uint8Array): SecretBox & { forget(): void } {
  let imported: { of: Uint8Array; key: KeyObject } | undefined;
  const nextIv = ivSource();
  const keyOf = (): KeyObject => {
    let raw: Uint8Array;
    try {
      raw = dataKey();
    } catch (err) {
      imported = undefined;
      throw err;
    }
    if (imported?.of !== raw) imported = { of: raw, key: createSecretKey(raw) };
    return imported.key;
  };
  return {
    forget() {
      imported = undefined;
    },
    seal(plaintext) {
      const key = keyOf();
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(AAD);
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64');
    },
    open(sealed) {
      const key = keyOf();
      if (!sealed.startsWith(PREFIX) || !BASE64.test(sealed.slice(PREFIX.length)))
        throw unreadable('it is not in a format this program wrote');
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
      if (raw.length < IV_BYTES + TAG_BYTES) throw unreadable('it is too short');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(AAD);
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      try {
        return Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw unreadable('it was altered, or saved by a different vault (a restored vault has a new data key)');
      }
    },
  };
}

function unreadable(why: string): ApiError {
  return new ApiError('VAULT_CORRUPT', `A saved secret cannot be decrypted: ${why}. Enter it again.`, {
    reason: 'sealed-secret',
  });
}
