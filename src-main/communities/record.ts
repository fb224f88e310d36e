// What this node keeps about one community besides its secrets (community.data): the descriptor
// and roster of the head epoch, the sequencing chain, its own device and message counter, the
// member list it last computed, where it stopped reading each storage node, a pending join.
import type { Chain } from '../../src-shared/communities/sequencing.ts';
import type { Roster } from '../../src-shared/communities/roster.ts';
import type { SignedDescriptor } from '../../src-shared/communities/descriptor.ts';
import type { Role } from '../../src-shared/communities/roles.ts';

export interface MemberInfo {
  leaf: number;
  did: string;
  device: string;
  role: Role;
  /** The leaf's Ed25519 messaging key (hex): the storage grant lists those of owner and admins. */
  key: string;
  notAfter: number;
}

export interface PendingJoin {
  inviteId: string | null;
  /** SHA-256 of the key package bytes: a Welcome names it in `to`. */
  kpRef: string;
  at: number;
  /** The sealed join envelope, re-sent while waiting. */
  envelope: unknown;
}

export interface CommunityData {
  descriptor?: SignedDescriptor;
  roster?: Roster;
  epoch: number;
  tag: string;
  /** The first epoch this node could read: older messages are not expected (timeline). */
  joinedEpoch: number;
  chain: Chain;
  device?: string;
  seq: number;
  members: MemberInfo[];
  /** Per storage node (peer id): the last storage seq read from it. */
  cursors: Record<string, number>;
  join?: PendingJoin;
  /** When this node last finished catching up (ms). */
  syncedAt?: number;
  /** Version of the storage grant this node (as owner) last sent. */
  grantVersion?: number;
  /** Members who said they leave: their removal reads "left". */
  leaving?: string[];
  /** Ids of the latest commits this node made: after a switch, those no longer on the chain are re-proposed. */
  ownCommits?: string[];
}

export function emptyData(): CommunityData {
  return { epoch: 0, tag: '', joinedEpoch: 0, chain: { links: [], lost: [] }, seq: 0, members: [], cursors: {} };
}
