// The commit authorisation check (docs §6): given the parent epoch's descriptor, roster and leaves,
// may this committer make these proposals? It runs inside ts-mls's commit callback, after the
// library validated the proposals and before anything is merged; a refusal leaves the epoch as is.
import type { SignedDescriptor } from './descriptor.ts';
import { acceptDescriptor } from './descriptor.ts';
import { OK, refuse } from './ids.ts';
import type { Verdict } from './ids.ts';
import { mayBan, mayCommit, mayJoinDm, mayRemove, roleOf } from './roles.ts';
import type { Roster } from './roster.ts';

export const MAX_DEVICES_PER_DID = 8;

/** What a member knows of the parent epoch: the group-context extensions and who holds each leaf. */
export interface GroupView {
  readonly descriptor: SignedDescriptor;
  readonly roster: Roster;
  /** leaf index → DID, for every non-blank leaf. */
  readonly leaves: ReadonlyMap<number, string>;
}

/** A proposal reduced to what the rules need; the MLS adapter builds these from ts-mls proposals. */
export type ProposalView =
  | { type: 'add'; did: string | undefined }
  | { type: 'remove'; leaf: number }
  | { type: 'update' }
  | {
      type: 'extensions';
      /** undefined: the extension is missing; 'malformed': present but unreadable. */
      descriptor: SignedDescriptor | 'malformed' | undefined;
      roster: Roster | 'malformed' | undefined;
      /** Types of any other extensions in the new group context. */
      others: number[];
    }
  | { type: 'other'; name: string };

export interface CommitView {
  /** The committer's leaf; undefined for a sender that is not a member (external commit). */
  readonly committer: number | undefined;
  readonly proposals: readonly ProposalView[];
}

export function authorizeCommit(view: GroupView, commit: CommitView): Verdict {
  const committerDid = commit.committer === undefined ? undefined : view.leaves.get(commit.committer);
  if (committerDid === undefined) return refuse('not-a-member', 'the committer is not a member of the group');
  const d = view.descriptor.descriptor;
  const role = roleOf(d, committerDid);
  if (!mayCommit(role)) return refuse('committer-not-admin', `${committerDid} is a ${role} and may not commit`);

  let roster = view.roster;
  const leaves = new Map(view.leaves);
  const added: string[] = [];
  for (const p of commit.proposals) {
    switch (p.type) {
      case 'update':
        break;
      case 'other':
        return refuse('proposal-not-allowed', `${p.name} proposals are not used in communities`);
      case 'add':
        if (p.did === undefined) return refuse('bad-credential', 'an added key package carries no binding');
        if (!mayJoinDm(d, p.did)) return refuse('dm-closed', 'a dm admits only its two parties');
        added.push(p.did);
        break;
      case 'remove': {
        const target = leaves.get(p.leaf);
        if (target === undefined) return refuse('remove-not-allowed', `leaf ${p.leaf} is empty`);
        if (!mayRemove(role, roleOf(d, target)))
          return refuse('remove-not-allowed', `a ${role} may not remove the ${roleOf(d, target)} ${target}`);
        leaves.delete(p.leaf);
        break;
      }
      case 'extensions': {
        const verdict = checkExtensions(view, role, p);
        if (!verdict.ok) return verdict;
        roster = p.roster as Roster;
        break;
      }
    }
  }
  return checkAfter(view, { roster, leaves, added });
}

function checkExtensions(
  view: GroupView,
  role: ReturnType<typeof roleOf>,
  p: Extract<ProposalView, { type: 'extensions' }>,
): Verdict {
  if (p.others.length > 0) return refuse('extension-not-allowed', `extensions ${p.others.join(', ')} are not used`);
  if (p.descriptor === undefined || p.roster === undefined)
    return refuse('extension-not-allowed', 'the group context keeps its descriptor and roster');
  if (p.descriptor === 'malformed') return refuse('descriptor-format', 'the new descriptor does not parse');
  if (p.roster === 'malformed') return refuse('bad-roster', 'the new roster does not parse');
  if (p.descriptor.sig !== view.descriptor.sig) {
    const verdict = acceptDescriptor(view.descriptor, p.descriptor);
    if (!verdict.ok) return verdict;
  }
  const before = new Set(view.roster.bans);
  const d = view.descriptor.descriptor;
  for (const did of p.roster.bans) {
    if (before.has(did)) continue;
    if (!mayBan(role, roleOf(d, did))) return refuse('ban-not-allowed', `a ${role} may not ban ${did}`);
  }
  // Unbanning needs only the right to commit, which rule 1 already checked.
  return OK;
}

/** Invariants of the state the commit leads to. */
function checkAfter(view: GroupView, next: { roster: Roster; leaves: Map<number, string>; added: string[] }): Verdict {
  const d = view.descriptor.descriptor;
  const banned = new Set(next.roster.bans);
  const counts = new Map<string, number>();
  for (const did of [...next.leaves.values(), ...next.added]) counts.set(did, (counts.get(did) ?? 0) + 1);
  for (const did of next.added) {
    if (banned.has(did)) return refuse('banned', `${did} is banned`);
    if ((counts.get(did) ?? 0) > MAX_DEVICES_PER_DID)
      return refuse('too-many-devices', `${did} would have more than ${MAX_DEVICES_PER_DID} devices`);
  }
  for (const did of next.leaves.values())
    if (banned.has(did)) return refuse('banned-still-member', `${did} is banned but keeps a leaf`);
  if (!counts.has(d.owner)) return refuse('remove-not-allowed', 'the owner keeps at least one device');
  return OK;
}
