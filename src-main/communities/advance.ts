// What follows every new epoch of a community on this node (created, joined, a commit applied or
// made): the row's copy of the descriptor, roster and members, the epoch's storage-auth key (its
// public half stored, so this node can check other members' sync requests), and the key events
// in plain facts (who joined, was removed, banned, became admin; what changed) for the UI's words.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '../../src-shared/communities/ids.ts';
import { descriptorOf, epochOf, members, rosterOf, storageSeed, tagOf } from '../../src-shared/communities/mls.ts';
import type { Group } from '../../src-shared/communities/mls.ts';
import { storageKeyFromSeed } from '../../src-shared/communities/storage.ts';
import type { StorageKey } from '../../src-shared/communities/storage.ts';
import type { NoticeView } from '../../src-shared/communities/views.ts';
import type { Chain } from '../../src-shared/communities/sequencing.ts';
import type { Env } from './env.ts';
import type { MemberInfo } from './record.ts';
import type { CommunityRow } from './repo.ts';

/** Epoch keys of this many epochs back are kept to check members' requests (SERVE_EPOCH_WINDOW is 64). */
const EPOCH_KEYS_KEPT = 128;
const storageKeys = new Map<string, StorageKey>();

/** The storage-auth key of the group's epoch, the same for every member of it. */
export async function epochStorageKey(env: Env, id: string, group: Group): Promise<StorageKey> {
  const k = `${id}:${tagOf(group.state)}`;
  const known = storageKeys.get(k);
  if (known) return known;
  const key = storageKeyFromSeed(await storageSeed(env.mls, group));
  if (storageKeys.size > 1024) storageKeys.delete(storageKeys.keys().next().value!);
  storageKeys.set(k, key);
  return key;
}

export function forgetStorageKeys(): void {
  storageKeys.clear();
}

export function membersInfo(group: Group): MemberInfo[] {
  return members(group).map((m) => ({
    leaf: m.leaf,
    did: m.did,
    device: m.device,
    role: m.role,
    key: m.binding.key,
    notAfter: m.binding.notAfter,
  }));
}

export function noticeId(epoch: number, tag: string, kind: string, did = ''): string {
  return bytesToHex(sha256(utf8ToBytes(`${epoch}:${tag}:${kind}:${did}`))).slice(0, 32);
}

/** The row after the group moved to a new epoch, and the notices of what changed. */
export async function advance(
  env: Env,
  row: CommunityRow,
  group: Group,
  o: { at: number; by?: string; chain: Chain; first?: 'created' | 'joined' },
): Promise<{ row: CommunityRow; notices: NoticeView[] }> {
  const epoch = epochOf(group.state);
  const tag = tagOf(group.state);
  const descriptor = descriptorOf(group);
  const roster = rosterOf(group);
  const now = members(group).length > 0 ? membersInfo(group) : [];
  const key = await epochStorageKey(env, row.id, group);
  // The secret too (sealed): a member proves an older epoch to a peer that has not seen the newest.
  env.repo.epochs.put(row.id, epoch, tag, key.publicKey, env.sealer.sealBytes(key.secret), env.now());
  env.repo.epochs.prune(row.id, epoch - EPOCH_KEYS_KEPT);

  const notices: NoticeView[] = [];
  const add = (kind: NoticeView['kind'], extra: Partial<NoticeView> = {}) =>
    notices.push({
      id: noticeId(epoch, tag, kind, extra.did),
      at: o.at,
      epoch,
      kind,
      ...(o.by ? { by: o.by } : {}),
      ...extra,
    });
  if (o.first === 'created') add('created', { did: row.me });
  if (o.first === 'joined') add('joined', { did: row.me });
  if (!o.first) {
    const before = new Set(row.data.members.map((m) => m.did));
    const after = new Set(now.map((m) => m.did));
    for (const did of after) if (!before.has(did)) add('joined', { did });
    const leaving = new Set(row.data.leaving ?? []);
    for (const did of before) if (!after.has(did)) add(leaving.has(did) ? 'left' : 'removed', { did });
    const bansBefore = new Set(row.data.roster?.bans ?? []);
    for (const did of roster.bans) if (!bansBefore.has(did)) add('banned', { did });
    for (const did of bansBefore) if (!roster.bans.includes(did)) add('unbanned', { did });
    const old = row.data.descriptor?.descriptor;
    const d = descriptor.descriptor;
    if (old && old.version !== d.version) {
      for (const did of d.admins) if (!old.admins.includes(did)) add('role', { did, role: 'admin' });
      for (const did of old.admins) if (!d.admins.includes(did)) add('role', { did, role: 'member' });
      if (JSON.stringify(old.persistence) !== JSON.stringify(d.persistence))
        add('persistence', { persistence: d.persistence.mode });
      const looks = (x: typeof d) => JSON.stringify([x.name, x.description, x.channels, x.picture, x.invite]);
      if (looks(old) !== looks(d)) add('descriptor');
    }
  }
  const leaving = (row.data.leaving ?? []).filter((did) => now.some((m) => m.did === did));
  const next: CommunityRow = {
    ...row,
    updatedAt: env.now(),
    data: {
      ...row.data,
      descriptor,
      roster,
      epoch,
      tag,
      chain: o.chain,
      members: now,
      leaving,
      ...(o.first === 'joined' || o.first === 'created' ? { joinedEpoch: epoch } : {}),
    },
  };
  return { row: next, notices };
}

/** Stores notices and tells clients about each. */
export function tellNotices(env: Env, id: string, notices: readonly NoticeView[]): void {
  for (const n of notices)
    if (env.repo.notices.add(id, n.id, n.epoch, n.at, n)) env.emit('communities.notice', { id, notice: n });
}
