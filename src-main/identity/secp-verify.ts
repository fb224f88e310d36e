// The verification port of docs/identity.md §2 on libsecp256k1, Bitcoin Core's own library, through
// the N-API binding of the `secp256k1` package (prebuilt for linux-x64, darwin-arm64, win32-x64 and
// shipped inside the package; nothing is compiled or downloaded at install). About 20 times noble
// and 5 times OpenSSL per verification (§12). Where the binding does not load (another platform,
// a bundle without it) the port is the OpenSSL one of native-verify.ts: same answers, slower.
import { hash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Sha256Verifier } from '../../src-shared/identity/verify.ts';
import { createNativeVerifier } from './native-verify.ts';

/** The part of `secp256k1/bindings.js` used here; it throws on keys or signatures it cannot parse. */
interface Libsecp256k1 {
  ecdsaVerify(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean;
}

export type SecpEngine = 'libsecp256k1' | 'openssl';

export interface SecpVerifier extends Sha256Verifier {
  /** Which library answers: libsecp256k1 when its binding loaded, else OpenSSL. */
  readonly engine: SecpEngine;
}

// n/2 of secp256k1, big-endian: an S above it is "high".
const HALF_N = Uint8Array.from(Buffer.from('7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0', 'hex'));
// n, to turn a high S into its low twin n - S.
const N = Buffer.from('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141', 'hex');

/** Whether the S half of a 64-byte r‖s signature is above n/2 (the malleated twin of a low-S one). */
export function isHighS(signature: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    const s = signature[32 + i]!;
    if (s !== HALF_N[i]) return s > HALF_N[i]!;
  }
  return false;
}

/** r ‖ (n - s): the low-S twin, valid exactly when the high-S signature is (s < n is checked by the binding). */
function lowSTwin(signature: Uint8Array): Uint8Array {
  const out = Uint8Array.from(signature);
  let borrow = 0;
  for (let i = 31; i >= 0; i--) {
    const d = N[i]! - signature[32 + i]! - borrow;
    borrow = d < 0 ? 1 : 0;
    out[32 + i] = d & 0xff;
  }
  return out;
}

let loaded: Libsecp256k1 | null | undefined;

/** The binding, loaded once; null when this platform or bundle has none. */
export function loadLibsecp256k1(): Libsecp256k1 | null {
  if (loaded !== undefined) return loaded;
  try {
    // A runtime require the bundler leaves alone: the binding stays a file of node_modules.
    const load = createRequire(import.meta.url);
    loaded = load('secp256k1/bindings.js') as Libsecp256k1;
  } catch {
    loaded = null;
  }
  return loaded;
}

/** Node's SHA-256 (OpenSSL): several times noble's on a record's ~500 bytes. */
export const nodeSha256 = (data: Uint8Array): Uint8Array => hash('sha256', data, 'buffer');

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
