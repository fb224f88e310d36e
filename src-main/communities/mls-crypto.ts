// A ts-mls crypto provider whose per-message primitives run synchronously on the calling thread
// (docs §18, catch-up): ts-mls's default provider sends every HKDF step, HMAC, AES-GCM and Ed25519
// call through `crypto.subtle`, each a thread-pool job and a turn of the event loop, several per
// message. Here HKDF, HMAC and SHA-256 come from @noble/hashes (faster than a native call for inputs
// this small), AES-128-GCM and Ed25519 from node:crypto's synchronous functions (OpenSSL, as
// WebCrypto in Node; noble's Ed25519 verify is ~15× slower). The same algorithms, so the same bytes:
// `mls-crypto.test.ts` compares every call with the default provider. HPKE (commits, Welcomes) keeps
// the default implementation apart from its AEAD. Only our ciphersuite is replaced; others pass through.
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
} from 'node:crypto';
import { sign as edSign, verify as edVerify, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { defaultCryptoProvider } from 'ts-mls';
import type { CiphersuiteImpl, CryptoProvider } from 'ts-mls';
import { CIPHERSUITE } from '../../src-shared/communities/mls.ts';

/** DER prefixes around a raw Ed25519 key: SubjectPublicKeyInfo, and PKCS#8 around a 32-byte seed. */
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const TAG_BYTES = 16;
const HASH_BYTES = 32;
/** Parsed keys kept per key bytes: a community has few members, each verified many times. */
const KEY_CACHE = 512;

function keyCache(parse: (bytes: Uint8Array) => KeyObject) {
  const cache = new Map<string, KeyObject>();
  return (bytes: Uint8Array): KeyObject => {
    const k = Buffer.from(bytes).toString('base64');
    let key = cache.get(k);
    if (!key) {
      key = parse(bytes);
      if (cache.size >= KEY_CACHE) cache.clear();
      cache.set(k, key);
    }
    return key;
  };
}

const publicKeyOf = keyCache((raw) => {
  // WebCrypto's raw import takes exactly 32 bytes; so do we.
  if (raw.length !== 32) throw new Error('Ed25519 public key must be 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: 'der', type: 'spki' });
});

/**
 * ts-mls keeps a signing key as the 32-byte seed or (WebCrypto keygen) its PKCS#8 encoding. Not
 * cached: we sign only what we send, and a cache would keep secrets past a vault lock.
 */
function privateKeyOf(signKey: Uint8Array): KeyObject {
  const key = createPrivateKey({
    key: signKey.length === 32 ? Buffer.concat([PKCS8_ED25519, signKey]) : Buffer.from(signKey),
    format: 'der',
    type: 'pkcs8',
  });
  // node:crypto would sign with any key type it parses; WebCrypto's Ed25519 import takes only Ed25519.
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 signing key');
  return key;
}

const bytes = (b: Buffer | Uint8Array) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
/** A Buffer view (no copy): node:crypto takes Buffers for keys on a faster path than other views. */
const buf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

function aesGcmEncrypt(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const c = createCipheriv(key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm', createSecretKey(buf(key)), buf(nonce), {
    authTagLength: TAG_BYTES,
  });
  if (aad.length > 0) c.setAAD(aad);
  return bytes(Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]));
}

function aesGcmDecrypt(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length < TAG_BYTES) throw new Error('AES-GCM: ciphertext shorter than its tag');
  const d = createDecipheriv(key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm', createSecretKey(buf(key)), buf(nonce), {
    authTagLength: TAG_BYTES,
  });
  if (aad.length > 0) d.setAAD(aad);
  d.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_BYTES));
  // final() throws when the tag does not match: nothing unauthenticated comes out.
  return bytes(Buffer.concat([d.update(ciphertext.subarray(0, ciphertext.length - TAG_BYTES)), d.final()]));
}

function syncPrimitives(base: CiphersuiteImpl): CiphersuiteImpl {
  const mac = (key: Uint8Array, data: Uint8Array) => hmac(sha256, key, data);
  return {
    ...base,
    kdf: {
      async extract(salt, ikm) {
        // As @hpke/core, which the default provider uses: an empty salt is HashLen zeros, any
        // other length than HashLen is refused.
        if (salt.length !== 0 && salt.length !== HASH_BYTES) throw new Error('HKDF: the salt must be 32 bytes');
        return extract(sha256, ikm, salt.length === 0 ? new Uint8Array(HASH_BYTES) : salt);
      },
      async expand(prk, info, len) {
        // @hpke/core imports the key as a 256-bit HMAC key: any other length is refused.
        if (prk.length !== HASH_BYTES) throw new Error('HKDF: the key must be 32 bytes');
        return expand(sha256, prk, info, len);
      },
      size: base.kdf.size,
    },
    hash: {
      digest: async (data) => sha256(data),
      mac: async (key, data) => mac(key, data),
      async verifyMac(key, tag, data) {
        const expected = mac(key, data);
        return tag.length === expected.length && timingSafeEqual(tag, expected);
      },
    },
    signature: {
      sign: async (signKey, message) => bytes(edSign(null, message, privateKeyOf(signKey))),
      verify: async (publicKey, message, signature) => edVerify(null, message, publicKeyOf(publicKey), signature),
      async keygen() {
        // The same shapes as the default provider's keygen: a PKCS#8 signing key, a raw public key.
        const pair = generateKeyPairSync('ed25519');
        const spki = pair.publicKey.export({ format: 'der', type: 'spki' });
        return {
          signKey: bytes(pair.privateKey.export({ format: 'der', type: 'pkcs8' })),
          publicKey: bytes(spki.subarray(spki.length - 32)),
        };
      },
    },
    hpke: {
      ...base.hpke,
      encryptAead: async (key, nonce, aad, plaintext) => aesGcmEncrypt(key, nonce, aad ?? new Uint8Array(), plaintext),
      decryptAead: async (key, nonce, aad, ciphertext) =>
        aesGcmDecrypt(key, nonce, aad ?? new Uint8Array(), ciphertext),
    },
  };
}

/** The provider the communities node uses: ts-mls's default, with synchronous per-message primitives. */
export const syncCryptoProvider: CryptoProvider = {
  async getCiphersuiteImpl(cs) {
    const base = await defaultCryptoProvider.getCiphersuiteImpl(cs);
    return cs.name === CIPHERSUITE ? syncPrimitives(base) : base;
  },
};
