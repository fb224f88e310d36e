// Sealing private rows at rest (docs/store.md "Sealed data"): AES-256-GCM with a key per domain
// that the vault derives from its seed, so what is sealed is readable only while the vault is
// unlocked. The AAD binds each value to its domain and row, so a sealed value copied into
// another row (or another domain's table) does not open.
// Sealed form: "sx1:" + base64(iv[12] || ciphertext || tag[16]).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ApiError } from '../../src-shared/api/errors.ts';

const PREFIX = 'sx1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface RowSealer {
  readonly domain: string;
  /** Whether values can be sealed and opened now (the vault is unlocked). */
  available(): boolean;
  /** Seals `plaintext` for the row named `row` (e.g. "settings/user-settings.private"). */
  seal(row: string, plaintext: string): string;
  /** Opens a value sealed for this row; throws VAULT_LOCKED while locked, VAULT_CORRUPT if altered or moved. */
  open(row: string, sealed: string): string;
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

/** `key` returns the domain's key, or undefined while the vault is locked. */
export function createRowSealer(domain: string, key: () => Uint8Array | undefined): RowSealer {
  const aad = (row: string) => Buffer.from(`hashlock-store-v1\u0000${domain}\u0000${row}`, 'utf8');
  const need = (): Uint8Array => {
    const k = key();
    if (!k)
      throw new ApiError(
        'VAULT_LOCKED',
        `The vault is locked: ${domain} data stored sealed cannot be read or written until it is unlocked.`,
      );
    return k;
  };
  return {
    domain,
    available: () => key() !== undefined,
    seal(row, plaintext) {
      const k = need();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', k, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(row));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      k.fill(0);
      return PREFIX + Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64');
    },
    open(row, sealed) {
      if (!isSealed(sealed)) throw corrupt(domain, 'it is not sealed data this program wrote');
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
      if (raw.length < IV_BYTES + TAG_BYTES) throw corrupt(domain, 'it is too short');
      const k = need();
      try {
        const d = createDecipheriv('aes-256-gcm', k, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
        d.setAAD(aad(row));
        d.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        return Buffer.concat([d.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), d.final()]).toString('utf8');
      } catch {
        throw corrupt(domain, 'it was altered, moved from another row, or sealed by another vault');
      } finally {
        k.fill(0);
      }
    },
  };
}

function corrupt(domain: string, why: string): ApiError {
  return new ApiError('VAULT_CORRUPT', `Sealed ${domain} data cannot be opened: ${why}.`, { reason: 'sealed-row' });
}
