// Owner and admin actions, each one MLS commit made on the head epoch (docs §9): admit (Add and
// the invitation marked used), remove every device of a member (the commit's path re-keys the
// group in the same step), ban (a second commit: roster changes cannot ride with a path),
// unban, and owner-signed descriptor changes (name, channels, roles, persistence). The core checks
// each plan as every receiver will before it is made; a refusal keeps its code.
import { b64 } from '../../src-shared/communities/ids.ts';
import { commit, keyPackageRef, serializeGroup } from '../../src-shared/communities/mls.ts';
import type { CommitOutcome, CommitPlan, Group } from '../../src-shared/communities/mls.ts';
import type { Descriptor } from '../../src-shared/communities/descriptor.ts';
import { signDescriptor } from '../../src-shared/communities/descriptor.ts';
import { editRoster } from '../../src-shared/communities/roster.ts';
import { recordCommit } from '../../src-shared/communities/sequencing.ts';
import { authorizeEnvelope, type StorageKey } from '../../src-shared/communities/storage.ts';
import type { Envelope } from '../../src-shared/communities/envelope.ts';
import { errorText } from '../kernel/log.ts';
import { advance, epochStorageKey, tellNotices } from './advance.ts';
import { refusal, type Env } from './env.ts';
import type { Outbox } from './outbox.ts';
import type { CommunityRow } from './repo.ts';
import type { StorageClient } from './storage-client.ts';

export interface Committed {
  row: CommunityRow;
  group: Group;
  epoch: number;
  welcome?: Envelope;
}

interface CommitDeps {
  outbox: Outbox;
  storage: StorageClient;
  afterCommit: (row: CommunityRow, group: Group) => Promise<void>;
}

/**
 * Sends a commit made on `row` (now `next`): signed with the parent epoch's storage key when the
 * community has storage nodes, and pushed to those nodes (the parent epoch's, which hold its key:
 * a switch to relay mode reaches the nodes it retires, and a member back from offline who still
 * asks them learns of it there), then the joiner's Welcome when there is one.
 */
async function sendCommit(
  d: CommitDeps,
  row: CommunityRow,
  next: CommunityRow,
  out: CommitOutcome,
  parentKey: StorageKey,
  joinerKp: Uint8Array | undefined,
): Promise<Envelope | undefined> {
  const commitEnvelope: Envelope = {
    v: 1,
    topic: row.topic,
    kind: 'commit',
    epoch: String(out.ref.epoch),
    branch: out.ref.parent,
    body: b64.encode(out.commit),
  };
  const signed = d.storage.nodesOf(row).length > 0 ? authorizeEnvelope(commitEnvelope, parentKey) : commitEnvelope;
  await d.outbox.release(next, signed, { storeRow: row });
  let welcome: Envelope | undefined;
  if (out.welcome && joinerKp) {
    welcome = await d.outbox.finish(
      next,
      {
        v: 1,
        topic: row.topic,
        kind: 'welcome',
        epoch: String(next.data.epoch),
        branch: next.data.tag,
        to: keyPackageRef(joinerKp),
        body: b64.encode(out.welcome),
      },
      out.group,
    );
    await d.outbox.release(next, welcome);
  }
  return welcome;
}

export function createCommits(env: Env, d: CommitDeps) {
  /** Makes one commit on the head and publishes it; runs inside the community's queue. */
  async function make(row: CommunityRow, plan: CommitPlan, joinerKp?: Uint8Array): Promise<Committed> {
    if (row.state !== 'joined') throw refusal('not-joined', 'This node is not a member of that community.');
    const group = env.groups.get(row.id);
    if (!group) throw refusal('not-joined', 'This node holds no keys for that community.');
    const parentKey = await epochStorageKey(env, row.id, group);
    const snapshot = serializeGroup(group);
    const out = await commit(env.mls, group, plan, env.now());
    env.groups.putSnapshot(row.id, row.data.tag, snapshot);
    const chain = recordCommit(row.data.chain, out.ref, out.tag);
    const advanced = await advance(env, row, out.group, { at: env.now(), by: row.me, chain });
    const next: CommunityRow = {
      ...advanced.row,
      data: { ...advanced.row.data, ownCommits: [...(row.data.ownCommits ?? []), out.ref.id].slice(-32) },
    };
    env.groups.set(row.id, out.group);
    env.groups.keepSnapshots(
      row.id,
      chain.links.map((l) => l.tag),
    );
    env.repo.save(next);
    tellNotices(env, row.id, advanced.notices);
    // The nodes learn the new epoch's key before anything signed with it reaches them.
    await d.storage
      .announce(next, out.group)
      .catch((err: unknown) => env.log.info('communities: announcing an epoch key failed', { error: errorText(err) }));
    const welcome = await sendCommit(d, row, next, out, parentKey, joinerKp);
    await d.afterCommit(next, out.group);
    return { row: next, group: out.group, epoch: next.data.epoch, ...(welcome ? { welcome } : {}) };
  }

  /** A new owner-signed descriptor with the changes, committed. */
  async function describe(row: CommunityRow, patch: Partial<Descriptor>): Promise<Committed> {
    const current = row.data.descriptor!.descriptor;
    if (current.owner !== row.me) throw refusal('not-owner', 'Only the owner changes the community’s settings.');
    const signer = env.signers.signer(row.me);
    const descriptor = await signDescriptor(signer, {
      ...current,
      ...patch,
      version: current.version + 1,
      issuedAt: env.now(),
    });
    return make(row, { descriptor });
  }

  async function remove(row: CommunityRow, did: string, ban: boolean): Promise<Committed> {
    const leaves = row.data.members.filter((m) => m.did === did).map((m) => m.leaf);
    let out: Committed | undefined;
    if (leaves.length > 0) out = await make(row, { remove: leaves });
    if (!ban) {
      if (!out) throw refusal('not-a-member', `${did} is not a member.`, 'NOT_FOUND');
      return out;
    }
    const latest = out?.row ?? row;
    return make(latest, { roster: editRoster(latest.data.roster!, { ban: [did], now: env.now() }) });
  }

  async function unban(row: CommunityRow, did: string): Promise<Committed> {
    if (!row.data.roster?.bans.includes(did)) throw refusal('not-banned', `${did} is not banned.`, 'NOT_FOUND');
    return make(row, { roster: editRoster(row.data.roster, { unban: [did], now: env.now() }) });
  }

  return { make, describe, remove, unban };
}

export type Commits = ReturnType<typeof createCommits>;
