// Roles and what each may do (docs §5). Roles belong to DIDs and come from the descriptor in force;
// every permission question in this folder is answered here, so the table in the docs is this file.
import type { Descriptor } from './descriptor.ts';

export type Role = 'owner' | 'admin' | 'member';

/** Higher outranks lower: sequencing prefers the higher committer, moderation the higher deleter. */
export const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1 };

export function roleOf(descriptor: Descriptor, did: string): Role {
  if (did === descriptor.owner) return 'owner';
  if (descriptor.admins.includes(did)) return 'admin';
  return 'member';
}

/** Only owner and admins commit: every membership change is theirs (Quiet #3431). */
export function mayCommit(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

export function mayAdd(role: Role): boolean {
  return mayCommit(role);
}

/**
 * Removing a leaf. An admin removes members; only the owner removes admins; the owner's leaves go
 * only by the owner itself (its other devices — the caller checks one owner leaf stays).
 */
export function mayRemove(committer: Role, target: Role): boolean {
  if (target === 'owner') return committer === 'owner';
  if (target === 'admin') return committer === 'owner';
  return mayCommit(committer);
}

/** Banning: like removing, except that the owner can never be banned. */
export function mayBan(committer: Role, target: Role): boolean {
  if (target === 'owner') return false;
  return mayRemove(committer, target);
}

export function mayInvite(descriptor: Descriptor, role: Role): boolean {
  if (descriptor.kind === 'dm') return false;
  switch (descriptor.invite) {
    case 'owner':
      return role === 'owner';
    case 'admins':
      return role !== 'member';
    case 'members':
      return true;
  }
}

/** A delete counts from the author (same DID) or from someone of a higher role (moderation). */
export function mayDelete(deleter: { did: string; role: Role }, author: { did: string; role: Role }): boolean {
  return deleter.did === author.did || RANK[deleter.role] > RANK[author.role];
}

/** A dm admits only the devices of its two parties. */
export function mayJoinDm(descriptor: Descriptor, did: string): boolean {
  return descriptor.kind !== 'dm' || did === descriptor.owner || did === descriptor.peer;
}
