// Real persistence for wallet-service tests: a SQLite store file and an unlocked vault (fast
// scrypt), as the node builds them, in a temp dir the test removes.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { openTestStore } from '../../../src-main/core/test-store.ts';
import { createWalletConnectionRepo } from '../../../src-main/wallets/connection-repo.ts';
import { createVault, type Vault } from '../../../src-main/vault/index.ts';
import type { WalletConnectionRepo } from '../../../src-main/wallets/connection-store.ts';

export const VAULT_PASSWORD = 'correct horse battery';

export interface Persistence {
  repo: WalletConnectionRepo;
  vault: Vault;
  dbPath: string;
  close(): void;
}

/** Opens (or reopens) the store and vault in `dir`; creates and unlocks the vault the first time. */
export async function openPersistence(dir: string, opts: { unlock?: boolean } = {}): Promise<Persistence> {
  mkdirSync(dir, { recursive: true });
  const dbPath = path.join(dir, 'node.sqlite');
  const db = openTestStore(dbPath);
  const vault = createVault({ filePath: path.join(dir, 'vault.json'), kdf: { N: 1024, r: 8, p: 1 }, minKdfN: 1024 });
  if (vault.status() === 'absent') await vault.create(VAULT_PASSWORD);
  else if (opts.unlock !== false) await vault.unlock(VAULT_PASSWORD);
  return {
    repo: createWalletConnectionRepo(db),
    vault,
    dbPath,
    close: () => {
      vault.lock();
      db.close();
    },
  };
}
