// The vault module: the seed, encrypted at rest, and every private key (docs/vault.md). Other
// modules get the `vault` component; what may stop it from locking is asked through `lockGuards`
// (a swap that still needs its keys), so the vault knows no domain.
import path from 'node:path';
import { ApiError } from '../../src-shared/api/errors.ts';
import { defineModule } from '../kernel/module.ts';
import { VaultConfig } from './config.ts';
import { KDF_FLOOR_N, kdfProblem } from './vault-file.ts';
import { createVault, type Vault } from './vault.ts';
import { createRowSealer, type RowSealer } from '../store/seal.ts';

/** Says why the vault must stay unlocked now, or undefined when it may lock. */
export type LockGuard = () => { reason: string; details?: unknown } | undefined;

export interface LockGuards {
  add(guard: LockGuard): () => void;
}

/** Sealing at rest for any domain (src-main/store/seal.ts): keys from the vault, only while unlocked. */
export interface Sealing {
  forDomain(domain: string): RowSealer;
  /** Called after every unlock (to seal what was left plain) and lock; returns the unsubscribe. */
  onChange(listener: (unlocked: boolean) => void): () => void;
}

declare module '../kernel/module.ts' {
  interface Components {
    vault: Vault;
    lockGuards: LockGuards;
    sealing: Sealing;
  }
}

/** Only these networks may lower the scrypt cost below the floor (fast tests and the devnet). */
const TEST_NETWORKS: ReadonlySet<string> = new Set(['devnet', 'regtest']);
const MIN_TEST_KDF_N = 1024;

export const vaultModule = defineModule({
  name: 'vault',
  config: { vault: VaultConfig },
  checkConfig(base, config) {
    const kdf = config.vault.kdf;
    if (kdf === undefined) return [];
    if (kdf.N < KDF_FLOOR_N && !TEST_NETWORKS.has(base.network))
      return [{ path: 'vault.kdf.N', message: `below ${KDF_FLOOR_N} is allowed only on devnet and regtest` }];
    const problem = kdfProblem(kdf, 0);
    return problem ? [{ path: 'vault.kdf', message: problem.text }] : [];
  },
  needs: [],
  provides: ['vault', 'lockGuards', 'sealing'],
  create(c, config) {
    const vault = createVault({
      filePath: path.join(c.dataDir, 'vault.json'),
      kdf: config.vault.kdf,
      minKdfN: TEST_NETWORKS.has(c.network) ? MIN_TEST_KDF_N : KDF_FLOOR_N,
    });
    vault.onStateChange((state) => c.events.emit('vault.state', { state }));
    const guards = new Set<LockGuard>();
    const sealing: Sealing = {
      forDomain: (domain) =>
        createRowSealer(domain, () => (vault.status() === 'unlocked' ? vault.storeKey(domain) : undefined)),
      onChange: (listener) => vault.onStateChange((state) => listener(state === 'unlocked')),
    };
    return {
      provides: {
        vault,
        sealing,
        lockGuards: {
          add(guard) {
            guards.add(guard);
            return () => guards.delete(guard);
          },
        },
      },
      async start() {
        const { password, createVault: create } = c.host;
        if (password !== undefined && vault.status() === 'absent' && create) {
          const { mnemonic } = await vault.create(password, { words: 24 });
          c.log.warn('created a new vault; write down its recovery phrase, printed once on standard output');
          process.stdout.write(`New vault recovery phrase (write it down): ${mnemonic}\n`);
        }
        if (password !== undefined && vault.status() === 'locked') await vault.unlock(password);
      },
      stop: () => vault.lock(),
      handlers: {
        'vault.status': () => ({ state: vault.status() }),
        'vault.create': async (p) => {
          const { mnemonic } = await vault.create(p.password, { passphrase: p.passphrase, words: p.words ?? 24 });
          return { mnemonic, state: vault.status() };
        },
        'vault.restore': async (p) => {
          await vault.restore(p.mnemonic, p.password, p.passphrase);
          return { state: vault.status() };
        },
        'vault.unlock': async (p) => {
          await vault.unlock(p.password);
          return { state: vault.status() };
        },
        'vault.lock': () => {
          for (const guard of guards) {
            const held = guard();
            if (held) throw new ApiError('CONFLICT', held.reason, held.details);
          }
          vault.lock();
          return { state: vault.status() };
        },
      },
    };
  },
});
