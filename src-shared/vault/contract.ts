// Contract slice of the vault domain. The vault: the seed, encrypted at rest; keys never leave the main process (docs/vault.md).
import { z } from 'zod';
import { method } from '../api/method.ts';
import { Empty, Password, VaultState } from '../api/schemas.ts';

export const methods = {
  'vault.status': method(Empty, z.object({ state: VaultState }), 'Whether a vault exists and is unlocked.'),
  'vault.create': method(
    z
      .object({
        password: Password,
        passphrase: z.string().max(1000).optional(),
        words: z.union([z.literal(12), z.literal(24)]).optional(),
      })
      .strict(),
    z.object({ mnemonic: z.string(), state: VaultState }),
    'Create a new seed, encrypt it with the password and unlock. Returns the mnemonic once, to be written down.',
  ),
  'vault.restore': method(
    z
      .object({
        mnemonic: z.string().min(1).max(1000),
        passphrase: z.string().max(1000).optional(),
        password: Password,
      })
      .strict(),
    z.object({ state: VaultState }),
    'Restore a vault from a BIP39 mnemonic (and optional passphrase), encrypted with a new password.',
  ),
  'vault.unlock': method(
    z.object({ password: z.string().min(1).max(1024) }).strict(),
    z.object({ state: VaultState }),
    'Unlock the vault.',
  ),
  'vault.lock': method(Empty, z.object({ state: VaultState }), 'Lock the vault: keys are wiped from memory.'),
} as const;

export const events = {
  'vault.state': z.object({ state: VaultState }),
} as const;
