// The order network's signature check on a node: the identity domain's fastest secp256k1 port
// (libsecp256k1 where its binding loads, else Node's OpenSSL; both several times faster than
// noble) behind the order Verifier, with the order rules on top: 64-byte r‖s, high S refused
// (malleable), exactly as src-shared's noble verifier (docs/orders.md "Benchmarks").
import { secp256k1Verifier, type Verifier } from '../../src-shared/protocol/canonical.ts';
import { createSecpVerifier, isHighS } from '../identity/index.ts';

/** Whether the S half of a 64-byte r‖s signature is at most n/2. */
export function isLowS(signature: Uint8Array): boolean {
  return signature.length === 64 && !isHighS(signature);
}

/**
 * The Verifier main plugs into the order validators: payloads go to the native port, bare digests
 * (which Node cannot verify without the payload) to noble. Both accept the same signatures.
 */
export function orderVerifier(
  native: Pick<ReturnType<typeof createSecpVerifier>, 'verifySha256'> = createSecpVerifier(),
): Verifier {
  return {
    verifyDigest: secp256k1Verifier.verifyDigest,
    verifyPayload(signature, payload, publicKey) {
      return isLowS(signature) && native.verifySha256(signature, payload, publicKey);
    },
  };
}
