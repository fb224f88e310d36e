// The maker's swap secret, derived from the vault instead of stored: a deterministic (RFC 6979)
// signature by a reserved swap key over a tag and the swap id, hashed. It survives restarts, is
// the same after restoring the vault from its recovery phrase, and never exists on disk or in the
// swap's event log (which holds only its hash). docs/swap.md "The secret" explains the choice.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Vault } from '../vault/index.ts';

/** The last non-hardened swap key index; per-swap keys are allocated from 0 upward and never reach it. */
export const SECRET_KEY_INDEX = 2 ** 31 - 1;
const TAG = 'hashlock/swap-secret/v1';

export function deriveSwapSecret(vault: Pick<Vault, 'signSwapDigest'>, swapId: string): Uint8Array {
  const digest = sha256(utf8ToBytes(`${TAG}/${swapId}`));
  const signature = vault.signSwapDigest(SECRET_KEY_INDEX, digest);
  return sha256(concatBytes(utf8ToBytes(TAG), signature));
}

export function secretHashHex(secret: Uint8Array): string {
  return bytesToHex(sha256(secret));
}
