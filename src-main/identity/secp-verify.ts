// The verification port of docs/identity.md §2 on libsecp256k1, Bitcoin Core's own library, through
// the N-API binding of the `secp256k1` package (prebuilt for linux-x64, darwin-arm64, win32-x64 and
// shipped inside the package; nothing is compiled or downloaded at install). About 20 times noble
// and 5 times OpenSSL per verification (§12). Where the binding does not load (another platform,
// a bundle without it) the port is the OpenSSL one of native-verify.ts: same answers, slower.
import { createHash, hash } from 'node:crypto';
import { isHighS, lowSTwin } from '../../src-shared/identity/compact.ts';
import { MAX_RECORD_CHARS } from '../../src-shared/identity/records.ts';
import type { Sha256Verifier } from '../../src-shared/identity/verify.ts';
import { createNativeVerifier } from './native-verify.ts';
import { loadLibsecp256k1, type Libsecp256k1 } from '../kernel/libsecp256k1.ts';

export type SecpEngine = 'libsecp256k1' | 'openssl';

export interface SecpVerifier extends Sha256Verifier {
  /** Which library answers: libsecp256k1 when its binding loaded, else OpenSSL. */
  readonly engine: SecpEngine;
}

/** Node's SHA-256 (OpenSSL): several times noble's on a record's ~500 bytes. */
export const nodeSha256 = (data: Uint8Array | string): Uint8Array => hash('sha256', data, 'buffer');

// 65 bytes in strict base64url: 87 characters, the last with its two unused bits zero.
const SIGNATURE_B64URL = /^[A-Za-z0-9_-]{86}[AEIMQUYcgkosw048]$/;

/**
 * `wireId(recordIdOf(content))` with Node's codecs: the id a record will have if it verifies, as
 * fetch messages carry it (base64url), or undefined when it is not shaped like a record. A fetch
 * answer's records are matched to the ids asked with it on the main thread, before the workers
 * verify them; in JS it cost ~10 µs a record (secp-verify.test.ts checks both agree).
 */
export function nodeWireIdOf(content: string): string | undefined {
  if (content.length > MAX_RECORD_CHARS) return undefined;
  if (content.startsWith('{')) return createHash('sha256').update(content).digest('base64url');
  const first = content.indexOf('.');
  const second = first < 0 ? -1 : content.indexOf('.', first + 1);
  if (second < 0) return undefined;
  const sig = content.slice(second + 1);
  if (!SIGNATURE_B64URL.test(sig)) return undefined;
  const rs = Buffer.from(sig, 'base64url').subarray(1).toString('base64url');
  return createHash('sha256')
    .update(content.slice(0, second + 1))
    .update(rs)
    .digest('base64url');
}

/** A port over `lib`: ECDSA over SHA-256(message), any S, false for any key or signature it cannot parse. */
export function libsecp256k1Verifier(lib: Libsecp256k1): SecpVerifier {
  return {
    engine: 'libsecp256k1',
    sha256: nodeSha256,
    verifySha256(signature, message, publicKey) {
      if (signature.length !== 64 || publicKey.length !== 33) return false;
      // The port accepts any S like the others; libsecp256k1 alone accepts only low S.
      const sig = isHighS(signature) ? lowSTwin(signature) : signature;
      try {
        return lib.ecdsaVerify(sig, hash('sha256', message, 'buffer'), publicKey);
      } catch {
        return false; // r or s out of range, or not a point on the curve: no signature verifies
      }
    },
  };
}

/** The fastest port this process has: libsecp256k1, else Node's OpenSSL. */
export function createSecpVerifier(): SecpVerifier {
  const lib = loadLibsecp256k1();
  if (lib) return libsecp256k1Verifier(lib);
  const openssl = createNativeVerifier();
  return {
    engine: 'openssl',
    sha256: nodeSha256,
    verifySha256: (sig, message, key) => openssl.verifySha256(sig, message, key),
  };
}
