// The vault: the one place keys live. It creates or restores a BIP39 seed, keeps it encrypted on
// disk, and while unlocked derives keys and signs with them; nothing private is ever returned.

import { isCoded } from '../../src-shared/errors.ts';
import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { mnemonicToSeed } from '@scure/bip39';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { SecretBox } from '../wallets/index.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { createKeyRing, type IdentityKeyScheme, type KeyRing, type NetworkKey } from './keyring.ts';
import { checkMnemonic, generateMnemonic, type MnemonicLength } from './mnemonic.ts';
import { createSecretBox } from './secret-box.ts';
import {
  assertKdfParams,
  DEFAULT_KDF,
  KDF_FLOOR_N,
  openVaultFile,
  sealVaultFile,
  type KdfParams,
} from './vault-file.ts';

export type VaultStatus = 'absent' | 'locked' | 'unlocked';

export interface VaultOptions {
  filePath: string;
  /** scrypt parameters for newly written files; tests pass a small N. Reading uses the file's own. */
  kdf?: KdfParams;
  /** The weakest scrypt N accepted for writing and reading (default KDF_FLOOR_N; test networks lower it). */
  minKdfN?: number;
  /** Where a throwing state listener is reported; default console.error. It never fails the operation. */
  onListenerError?: (error: unknown) => void;
}

export interface Vault {
  status(): VaultStatus;
  create(password: string, options?: { passphrase?: string; words?: MnemonicLength }): Promise<{ mnemonic: string }>;
  restore(mnemonic: string, password: string, passphrase?: string): Promise<void>;
  unlock(password: string): Promise<void>;
  lock(): void;
  /** 33-byte compressed public key at m/9641'/0'/0'/0/{index}. */
  swapPublicKey(index: number): Uint8Array;
  /** 64-byte compact (r||s) signature, low-R and low-S; DER-encode with bitcoinjs script.signature.encode. */
  signSwapDigest(index: number, digest32: Uint8Array): Uint8Array;
  /** 33-byte compressed public key at m/302'/616'/{index}'/0/0 (`wallet`, default) or m/302'/{index}' (`purpose`). */
  identityPublicKey(index: number, scheme?: IdentityKeyScheme): Uint8Array;
  /** 65 bytes: header (27 + 4 + recovery id), r, s — the Bitcoin signed-message layout. */
  signIdentityDigest(index: number, digest32: Uint8Array, scheme?: IdentityKeyScheme): Uint8Array;
  /** 33-byte compressed key of the order key (m/9641'/1'/0'/0/0) or the service-node key (m/9641'/2'/0'/0/0). */
  networkPublicKey(kind: NetworkKey): Uint8Array;
  /** 64-byte compact (r||s) low-S signature of a 32-byte digest by that key (docs/protocol.md §1). */
  signNetworkDigest(kind: NetworkKey, digest32: Uint8Array): Uint8Array;
  secretBox(): SecretBox;
  /**
   * The 32-byte key a domain seals its private rows with at rest (docs/store.md "Sealed data"):
   * HKDF-SHA256 from the seed, so a vault restored from its phrase opens them again. Throws
   * VAULT_LOCKED while locked.
   */
  storeKey(domain: string): Uint8Array;
  /** Returns a function that removes the listener. */
  onStateChange(listener: (state: VaultStatus) => void): () => void;
}

interface Unlocked {
  keys: KeyRing;
  dataKey: Uint8Array;
  /** HKDF root for the store keys, derived from the seed at unlock and zeroed at lock. */
  storeRoot: Uint8Array;
}

export function createVault(options: VaultOptions): Vault {
  const { filePath } = options;
  const kdf = options.kdf ?? DEFAULT_KDF;
  const onListenerError = options.onListenerError ?? ((e: unknown) => console.error('vault state listener failed:', e));
  assertKdfParams(kdf);
  const minKdfN = options.minKdfN ?? KDF_FLOOR_N;
  if (kdf.N < minKdfN) throw new RangeError(`scrypt N=${kdf.N} is below this node's floor of ${minKdfN}`);
  let unlocked: Unlocked | undefined;
  const listeners = new Set<(state: VaultStatus) => void>();
  // create/restore/unlock are async; run them one at a time so two unlocks cannot interleave.
  let queue: Promise<unknown> = Promise.resolve();

  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const status = (): VaultStatus => (unlocked ? 'unlocked' : existsSync(filePath) ? 'locked' : 'absent');

  const emit = (): void => {
    const state = status();
    for (const listener of listeners) {
      try {
        listener(state);
      } catch (e) {
        // A broken listener must not make a finished unlock look failed.
        onListenerError(e);
      }
    }
  };

  const box = createSecretBox(() => {
    if (!unlocked) throw lockedError();
    return unlocked.dataKey;
  });

  const wipe = (): void => {
    if (!unlocked) return;
    unlocked.keys.wipe();
    box.forget();
    unlocked.dataKey.fill(0);
    unlocked.storeRoot.fill(0);
    unlocked = undefined;
  };

  const becomeUnlocked = async (mnemonic: string, passphrase: string, dataKey: Uint8Array): Promise<void> => {
    const seed = await mnemonicToSeed(mnemonic, passphrase);
    wipe();
    const storeRoot = new Uint8Array(hkdfSync('sha256', seed, 'hashlock-store-v1', 'root', 32));
    unlocked = { keys: createKeyRing(seed), dataKey, storeRoot };
    emit();
  };

  const keys = (): KeyRing => {
    if (!unlocked) throw lockedError();
    return unlocked.keys;
  };

  const writeNew = async (mnemonic: string, password: string, passphrase: string): Promise<void> => {
    checkPassword(password);
    if (existsSync(filePath)) throw existsError();
    const dataKey = new Uint8Array(randomBytes(32));
    const text = await sealVaultFile({ mnemonic, passphrase, dataKey }, password, kdf);
    try {
      await writeFileAtomic(filePath, text, { exclusive: true });
    } catch (e) {
      dataKey.fill(0);
      throw isCoded(e, 'FILE_EXISTS') ? existsError() : e;
    }
    await becomeUnlocked(mnemonic, passphrase, dataKey);
  };

  return {
    storeKey(domain) {
      if (!unlocked) throw lockedError();
      return new Uint8Array(hkdfSync('sha256', unlocked.storeRoot, '', `hashlock-store-v1/${domain}`, 32));
    },
    status,
    create: (password, opts = {}) =>
      serial(async () => {
        const words = opts.words ?? 24;
        if (words !== 12 && words !== 24)
          throw new ApiError('INVALID_PARAMS', 'A new recovery phrase has 12 or 24 words.');
        const mnemonic = generateMnemonic(words);
        await writeNew(mnemonic, password, opts.passphrase ?? '');
        return { mnemonic };
      }),
    restore: (mnemonic, password, passphrase) =>
      serial(async () => {
        if (existsSync(filePath)) throw existsError();
        await writeNew(checkMnemonic(mnemonic), password, passphrase ?? '');
      }),
    unlock: (password) =>
      serial(async () => {
        let text: string;
        try {
          text = await readFile(filePath, 'utf8');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
            throw new ApiError(
              'VAULT_NOT_CREATED',
              'There is no vault yet: create one or restore it from a recovery phrase.',
            );
          }
          throw new ApiError('VAULT_CORRUPT', 'The vault file cannot be read.', {
            reason: 'unreadable',
            cause: (e as Error).message,
          });
        }
        const payload = await openVaultFile(text, password, minKdfN);
        await becomeUnlocked(payload.mnemonic, payload.passphrase, payload.dataKey);
      }),
    lock() {
      if (!unlocked) return;
      wipe();
      emit();
    },
    swapPublicKey: (index) => keys().swapPublicKey(index),
    signSwapDigest: (index, digest) => keys().signSwapDigest(index, digest),
    identityPublicKey: (index, scheme) => keys().identityPublicKey(index, scheme),
    signIdentityDigest: (index, digest, scheme) => keys().signIdentityDigest(index, digest, scheme),
    networkPublicKey: (kind) => keys().networkPublicKey(kind),
    signNetworkDigest: (kind, digest) => keys().signNetworkDigest(kind, digest),
    secretBox: () => box,
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function checkPassword(password: string): void {
  if (typeof password !== 'string' || password.length === 0)
    throw new ApiError('INVALID_PARAMS', 'The password must not be empty.');
}

function lockedError(): ApiError {
  return new ApiError('VAULT_LOCKED', 'The vault is locked: unlock it with your password first.');
}

function existsError(): ApiError {
  return new ApiError('VAULT_EXISTS', 'A vault already exists here; it is never overwritten.');
}
