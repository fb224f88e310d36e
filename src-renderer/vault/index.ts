// The vault's public surface: what the app and other features may use. The vault has no page
// in the registry: it is the gate before the app (app/App.tsx).
export { BackupMnemonic } from './BackupMnemonic.tsx';
export { CREATE_VAULT_MUTATION } from './CreateVault.tsx';
export { vaultEvents } from './events.ts';
export { vaultKeys, vaultQueries } from './queries.ts';
export { UnlockVault } from './UnlockVault.tsx';
export { useLockVault } from './use-vault-state.ts';
export { Welcome } from './Welcome.tsx';
