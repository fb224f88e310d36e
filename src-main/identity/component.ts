// The `identities` component: what other domains (payments first) may ask of the identity
// domain. Narrow on purpose: verified profiles with where and when this node saw them, the user's
// own identities, signing by an identity's key (inside the vault), and opening sealed metadata.
import type { LinkView } from '../../src-shared/identity/contract.ts';
import type { MetadataFields } from '../../src-shared/identity/metadata.ts';
import type { ProfileFields } from '../../src-shared/identity/profile.ts';

/** How a record reached this node. */
export type SeenVia = 'self' | 'api' | 'http' | 'gossip' | 'sync';

export interface SeenInfo {
  /** When this node first stored a record of this DID (ms). */
  readonly firstSeenAt: number;
  /** When this node stored the current record (ms). */
  readonly storedAt: number;
  readonly via: SeenVia;
  /** The peer that sent it (gossip, sync); undefined for our own writes and API/HTTP input. */
  readonly peerId?: string;
}

/** A verified profile (or tombstone) as this node stores it. */
export interface ResolvedIdentity {
  readonly did: string;
  readonly address: string;
  readonly deleted: boolean;
  /** The profile's fields; every field null for a tombstone. */
  readonly profile: ProfileFields;
  /** The record's iat as signed (milliseconds for ours; other writers may use seconds). */
  readonly iat: number;
  /** 64 hex: the record id (docs/identity.md §2). */
  readonly recordId: string;
  /** 33-byte compressed key that signed it (recovered once, then known). */
  readonly publicKey: Uint8Array;
  /** The signed record as received (compact JWS). */
  readonly content: string;
  /** Made with a key of this node's vault. */
  readonly mine: boolean;
  readonly seen: SeenInfo;
}

/** Which derivation an identity key comes from (docs/identity.md §10, keys). */
export type KeyScheme = 'wallet' | 'purpose';

export interface MyIdentity {
  readonly did: string;
  readonly address: string;
  /** `wallet`: m/302'/616'/index'/0/0 (Blockcore Wallet, our default); `purpose`: m/302'/index'. */
  readonly scheme: KeyScheme;
  readonly index: number;
  /** The user's own name for it; never published. */
  readonly label: string | null;
  /** The stored profile record, if any (none before the first publish of a restored key). */
  readonly current: ResolvedIdentity | undefined;
}

export interface Identities {
  /**
   * The stored profile or tombstone of any did:is DID, verified on ingest; undefined when none is
   * stored. A DID not stored is looked up from peers first unless `askPeers` is false (payments:
   * asking tells peers whom the user is about to pay, so the user decides).
   */
  resolve(did: string, opts?: { askPeers?: boolean }): Promise<ResolvedIdentity | undefined>;
  /** The user's identities (keys of this vault with a stored record or a local entry). */
  mine(): MyIdentity[];
  /**
   * A 65-byte compact recoverable signature ([31 + recid] ‖ r ‖ s, low S) of `digest32` by the
   * key of one of our identities. Throws IdentityError NOT_FOUND when the DID is not ours,
   * ApiError VAULT_LOCKED when the vault is locked.
   */
  sign(did: string, digest32: Uint8Array): Uint8Array;
  /**
   * The DID's private metadata opened with `identityKey` (base64url, 32 bytes); undefined when it
   * has none stored or withdrew it. A key that does not open it throws IdentityError
   * METADATA_KEY_WRONG.
   */
  openMetadata(did: string, identityKey: string): Promise<MetadataFields | undefined>;
  /**
   * Stores a record made elsewhere and signed with one of our identities' keys (a backup another
   * domain sealed), verified and replicated as any record: 'stored', or 'unchanged' when the same
   * or a newer record already holds the slot.
   */
  publish(content: string): Promise<'stored' | 'unchanged'>;
  /** The current record (compact JWS) of a slot such as `did#backup:payments`, if one is stored. */
  slot(slot: string): string | undefined;
  /**
   * The DID's links to accounts and domains as this node stores and last checked them (removed
   * and revoked ones included, marked so); what other domains show as verification badges.
   */
  links(did: string): LinkView[];
  /** Called after any stored record changed; returns the function that stops listening. */
  onChanged(listener: (change: { did: string; kind: 'profile' | 'metadata' | 'link' | 'backup' }) => void): () => void;
}

declare module '../kernel/module.ts' {
  interface Components {
    identities: Identities;
  }
}
