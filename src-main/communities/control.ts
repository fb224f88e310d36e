// Control messages, acted on once a message is kept (inbox.ts): invitations recorded (sealed, read
// back at admission), a member's leave noted (an admin removes it), a community picture kept.
import type { Inner } from '../../src-shared/communities/envelope.ts';
import { InviteRecord } from '../../src-shared/communities/invite.ts';
import { mayInvite, roleOf } from '../../src-shared/communities/roles.ts';
import type { Env } from './env.ts';
import type { CommunityRow } from './repo.ts';

export interface ControlHooks {
  /** A member said it leaves: owner and admins remove it. */
  onLeave(row: CommunityRow, did: string): void;
}

export interface StoredInvite {
  record: InviteRecord;
  creator: string;
  at: number;
}

const INVITE = 'invite:';
const ASSET = 'asset:';

export function createControl(env: Env, hooks: ControlHooks) {
  return {
    /** Acts on a kept message of a control kind; other kinds pass. */
    act(row: CommunityRow, did: string, inner: Inner): void {
      const descriptor = row.data.descriptor?.descriptor;
      if (!descriptor) return;
      switch (inner.kind) {
        case 'invite': {
          // An invitation counts only from someone the policy lets invite (checked again on admission).
          if (!mayInvite(descriptor, roleOf(descriptor, did))) return;
          const value: StoredInvite = { record: inner.record, creator: did, at: inner.at };
          env.repo.secret.put(row.id, INVITE + inner.record.inviteId, env.sealer.sealText(JSON.stringify(value)));
          return;
        }
        case 'leave': {
          const latest = env.repo.get(row.id) ?? row;
          const leaving = [...new Set([...(latest.data.leaving ?? []), did])];
          env.repo.save({ ...latest, data: { ...latest.data, leaving } });
          if (did !== row.me) hooks.onLeave(latest, did);
          return;
        }
        case 'asset':
          if (descriptor.picture?.sha256 === inner.sha256)
            env.repo.secret.put(
              row.id,
              ASSET + inner.sha256,
              env.sealer.sealText(JSON.stringify({ mime: inner.mime, data: inner.data })),
            );
          return;
        default:
          return;
      }
    },
    invite(row: CommunityRow, inviteId: string): StoredInvite | undefined {
      const sealed = env.repo.secret.get(row.id, INVITE + inviteId);
      if (sealed === undefined) return undefined;
      const value = JSON.parse(env.sealer.openText(sealed)) as StoredInvite;
      return InviteRecord.safeParse(value.record).success ? value : undefined;
    },
    asset(row: CommunityRow, sha: string): { mime: string; data: string } | undefined {
      const sealed = env.repo.secret.get(row.id, ASSET + sha);
      return sealed === undefined
        ? undefined
        : (JSON.parse(env.sealer.openText(sealed)) as { mime: string; data: string });
    },
  };
}
