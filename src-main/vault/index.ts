// Public face of the vault: the only module that holds seeds and private keys.

export { createVault, type Vault, type VaultOptions, type VaultStatus } from './vault.ts';
export { DEFAULT_KDF, type KdfParams } from './vault-file.ts';
export {
  formatPath,
  identityKeyPath,
  type IdentityKeyScheme,
  ORDER_KEY_PATH,
  SERVICE_NODE_KEY_PATH,
  SWAP_KEY_BRANCH,
  type NetworkKey,
} from './keyring.ts';
export type { MnemonicLength } from './mnemonic.ts';
