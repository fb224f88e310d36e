// libsecp256k1, Bitcoin Core's own secp256k1 library, through the N-API binding of the `secp256k1`
// package (prebuilt for linux-x64, darwin-arm64 and win32-x64 inside the package; nothing is
// compiled or downloaded at install). Loaded once, at first use; null where this platform or
// bundle has no binding, and then each caller uses its JavaScript port (same answers, slower).
// Used by identity verification (identity/secp-verify.ts) and the vault's key derivation
// (vault/keyring.ts).
import { createRequire } from 'node:module';

/** The part of `secp256k1/bindings.js` used here; both throw on keys or signatures they cannot parse. */
export interface Libsecp256k1 {
  ecdsaVerify(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean;
  /** The public key of a 32-byte secret key (constant time), 33 bytes compressed or 65 not. */
  publicKeyCreate(secretKey: Uint8Array, compressed?: boolean): Uint8Array;
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
