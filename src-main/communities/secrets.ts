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
import { NO_IDENTITY } from '../../src-shared/communities/views.ts';
import type { SecretBox } from '../wallets/index.ts';
import { refusal } from './env.ts';
import type { CommunityRepo } from './repo.ts';

/** A profile as the identity domain verified and stored it. */
interface ProfilePart {
  deleted: boolean;
  profile: { name?: string | null };
}

/**
 * The identity domain's `identities` component as far as communities use it (`Identities` in
 * src-main/identity, which the module passes): published profiles, verified by that domain and
 * never taken from a community's messages; the user's own identities; signing inside the vault.
 */
export interface IdentitiesPart {
  resolve(did: string): Promise<ProfilePart | undefined>;
  mine(): ReadonlyArray<{ did: string; label: string | null; current?: ProfilePart | undefined }>;
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
  /**
   * The user's identities that may own, join or be messaged in communities: those with a
   * published profile that is not deleted (a member is someone others can look up and verify).
   */
  mine(): Array<{ did: string; label: string | null; name: string | null }>;
  /**
   * The identity to create, join or message with: `asked`, else the first of `mine()`. Refused
   * (NOT_FOUND, details.code NO_IDENTITY) when the user has no published identity, and when
   * `asked` is not one of `mine()`.
   */
  pick(asked?: string): string;
}

const usable = (m: { current?: ProfilePart | undefined }) => !!m.current && !m.current.deleted;

export function createSigners(d: { identities: IdentitiesPart; repo: CommunityRepo; sealer: Sealer }): Signers {
  const oneTimeSecret = (did: string): Uint8Array | undefined => {
    const sealed = d.repo.secret.get(ONE_TIME, did);
    return sealed === undefined ? undefined : hexToBytes(d.sealer.openText(sealed));
  };
  return {
    signer(did) {
      const secret = oneTimeSecret(did);
      if (secret) return { did, signDigest: (digest) => signCompact(digest, secret) };
      // Any identity of ours, deleted ones too: communities joined with it keep working.
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
    mine: () =>
      d.identities
        .mine()
        .filter(usable)
        .map((m) => ({ did: m.did, label: m.label, name: m.current?.profile.name ?? null })),
    pick(asked) {
      const all = d.identities.mine();
      if (asked === undefined) {
        const first = all.find(usable);
        if (first) return first.did;
        throw refusal(
          NO_IDENTITY,
          all.length === 0
            ? 'Create an identity first (on the Identity page): in communities you take part as one of your published identities.'
            : 'None of your identities is published now: create one, or recreate a deleted one, on the Identity page first.',
          'NOT_FOUND',
        );
      }
      const m = all.find((x) => x.did === asked);
      if (!m)
        throw refusal('identity-unknown', `${asked.slice(0, 80)} is not one of this node's identities.`, 'NOT_FOUND');
      if (usable(m)) return asked;
      throw refusal(
        'identity-unpublished',
        m.current?.deleted
          ? `${asked.slice(0, 80)} is deleted: recreate it on the Identity page to use it in communities.`
          : `${asked.slice(0, 80)} has no published profile: publish it on the Identity page first.`,
        'NOT_FOUND',
      );
    },
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
