// The verification port of docs/identity.md §2 on Node's native ECDSA (OpenSSL), several times
// faster than noble. Importing a key is most of a verification's cost, so each key's KeyObject
// is made once and kept; the key cache falls back to the registry, so a key is recovered once per
// identity, not once per process.
import crypto from 'node:crypto';
import { createKeyCache, type KeyCache, type Sha256Verifier } from '../../src-shared/identity/verify.ts';

// SubjectPublicKeyInfo header of a 33-byte compressed secp256k1 key: OpenSSL decompresses it.
const SPKI_PREFIX = Buffer.from('3036301006072a8648ce3d020106052b8104000a032200', 'hex');

export interface NativeVerifier extends Sha256Verifier {
  /** KeyObjects currently kept. */
  readonly size: number;
}

export function createNativeVerifier(maxKeys = 100_000): NativeVerifier {
  const keyObjects = new Map<string, crypto.KeyObject>();
  const keyObject = (publicKey: Uint8Array): crypto.KeyObject | undefined => {
    const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('latin1');
    let key = keyObjects.get(id);
    if (key) return key;
    try {
      key = crypto.createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    } catch {
      return undefined; // not a point on the curve: no signature verifies
    }
    if (keyObjects.size >= maxKeys) keyObjects.delete(keyObjects.keys().next().value as string);
    keyObjects.set(id, key);
    return key;
  };
  return {
    get size() {
      return keyObjects.size;
    },
    verifySha256(signature, message, publicKey) {
      if (publicKey.length !== 33 || signature.length !== 64) return false;
      const key = keyObject(publicKey);
      if (!key) return false;
      return crypto.verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
    },
  };
}

/** A key cache that asks `stored` (the registry) before giving up, so restarts need no recovery. */
export function createStoredKeyCache(stored: (address: string) => Uint8Array | undefined, max = 100_000): KeyCache {
  const memory = createKeyCache(max);
  return {
    get(address) {
      const hit = memory.get(address);
      if (hit) return hit;
      const key = stored(address);
      if (key) memory.set(address, key);
      return key;
    },
    set: (address, key) => memory.set(address, key),
  };
}
