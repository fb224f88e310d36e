// Key material of communities, always sealed by the vault's data key before it touches the
// store: MLS group states and snapshots, key packages waiting for a Welcome, and the one-time
// identities made for swap chats. Also who signs for a DID: the identity domain for the user's
// identities, this file for one-time ones. Nothing here works while the vault is locked.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { addressOfKey, signCompact } from '../../src-shared/identity/compact.ts';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { IdentitySigner } from '../../src-shared/communities/binding.ts';
import { bytesToHex, didOfAddress, hexToBytes, tagged } from '../../src-shared/communities/ids.ts';
import type { SecretBox } from '../wallets/index.ts';
import type { CommunityRepo } from './repo.ts';

/** The identity domain's component, as far as communities use it (src-main/identity/component.ts). */
export interface IdentitiesPart {
  resolve(did: string): Promise<{ deleted: boolean; profile: { name?: string | null } } | undefined>;
  mine(): ReadonlyArray<{ did: string; label: string | null; current?: { profile: { name?: string | null } } }>;
  sign(did: string, digest32: Uint8Array): Uint8Array;
  onChanged(listener: (change: { did: string }) => void): () => void;
}

export interface Sealer {
  sealBytes(bytes: Uint8Array): string;
  openBytes(sealed: string): Uint8Array;
  sealText(text: string): string;
  openText(sealed: string): string;
}

/** Bytes go through the secret box as base64 text (the box seals UTF-8 strings). */
export function boxSealer(box: () => SecretBox): Sealer {
  return {
    sealBytes: (bytes) => box().seal(Buffer.from(bytes).toString('base64')),
    openBytes: (sealed) => new Uint8Array(Buffer.from(box().open(sealed), 'base64')),
    sealText: (text) => box().seal(text),
    openText: (sealed) => box().open(sealed),
  };
}

/** Secrets that belong to no community yet live under these pseudo-community ids. */
const ONE_TIME = '_identity';
const DM_PENDING = '_dm';

export interface Signers {
  /** Signs for one of our identities or for a one-time identity of ours. */
  signer(did: string): IdentitySigner;
  /** Our one-time identity for a purpose (a swap's chat), made on first use. */
  oneTime(purpose: string): string;
  isOneTime(did: string): boolean;
  /** The user's identities that may own or join communities. */
  mine(): Array<{ did: string; label: string | null; name: string | null }>;
}

export function createSigners(d: { identities: IdentitiesPart; repo: CommunityRepo; sealer: Sealer }): Signers {
  const oneTimeSecret = (did: string): Uint8Array | undefined => {
    const sealed = d.repo.secret.get(ONE_TIME, did);
    return sealed === undefined ? undefined : hexToBytes(d.sealer.openText(sealed));
  };
  return {
    signer(did) {
      const secret = oneTimeSecret(did);
      if (secret) return { did, signDigest: (digest) => signCompact(digest, secret) };
      if (!d.identities.mine().some((m) => m.did === did))
        throw new ApiError('NOT_FOUND', `${did.slice(0, 80)} is not one of this node's identities.`);
      return { did, signDigest: (digest) => d.identities.sign(did, digest) };
    },
    oneTime(purpose) {
      const name = `purpose:${bytesToHex(sha256(tagged('communities.one-time', { purpose })))}`;
      const known = d.repo.secret.get(ONE_TIME, name);
      if (known !== undefined) return d.sealer.openText(known);
      const secret = secp256k1.utils.randomSecretKey();
      const did = didOfAddress(addressOfKey(secp256k1.getPublicKey(secret, true)));
      d.repo.transaction(() => {
        d.repo.secret.put(ONE_TIME, did, d.sealer.sealText(bytesToHex(secret)));
        d.repo.secret.put(ONE_TIME, name, d.sealer.sealText(did));
      });
      return did;
    },
    isOneTime: (did) => d.repo.secret.get(ONE_TIME, did) !== undefined,
    mine: () => d.identities.mine().map((m) => ({ did: m.did, label: m.label, name: m.current?.profile.name ?? null })),
  };
}

/** A key package kept for a direct message someone is about to start with us (docs §9, DM). */
export interface PendingDm {
  kpRef: string;
  /** Our DID the key package binds. */
  did: string;
  /** The DID that may welcome us (the owner of the coming dm). */
  expect?: string;
  swapId?: string;
  peerId: string;
  at: number;
  /** exportKeyPackage bytes, base64. */
  keyPackage: string;
}

export function pendingDms(repo: CommunityRepo, sealer: Sealer) {
  return {
    put(p: PendingDm): void {
      repo.secret.put(DM_PENDING, p.kpRef, sealer.sealText(JSON.stringify(p)));
    },
    get(kpRef: string): PendingDm | undefined {
      const sealed = repo.secret.get(DM_PENDING, kpRef);
      return sealed === undefined ? undefined : (JSON.parse(sealer.openText(sealed)) as PendingDm);
    },
    delete: (kpRef: string) => repo.secret.delete(DM_PENDING, kpRef),
  };
}
