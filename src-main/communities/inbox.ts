// A decrypted application message, after MLS named its sender: the inner message parsed under its
// caps, a live flood cut by the rate rules (hidden and counted, its publisher scored), the message
// kept (sealed) and handed to the timeline, and control messages acted on: invitations recorded,
// a member's leave noted (an admin removes it), a community picture kept.
import { decodeInner, isEnvelopeError, messageId } from '../../src-shared/communities/envelope.ts';
import type { Inner } from '../../src-shared/communities/envelope.ts';
import { InviteRecord } from '../../src-shared/communities/invite.ts';
import { NO_RATES, pruneRates, rateCheck } from '../../src-shared/communities/rate.ts';
import type { RateState } from '../../src-shared/communities/rate.ts';
import { mayInvite, roleOf } from '../../src-shared/communities/roles.ts';
import type { Env } from './env.ts';
import type { Source } from './ingest.ts';
import type { CommunityRow } from './repo.ts';
import type { Timelines } from './timelines.ts';

export interface Decrypted {
  did: string;
  device: string;
  plaintext: Uint8Array;
  epoch: number;
  expired: boolean;
}

export interface InboxHooks {
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

export function createInbox(env: Env, timelines: Timelines, hooks: InboxHooks) {
  let rates: RateState = NO_RATES;
  let hidden = 0;

  /** Keeps one message (ours or received) and acts on control kinds; false when it was known. */
  function keep(row: CommunityRow, m: { did: string; device: string; epoch: number; inner: Inner }, live: boolean) {
    const id = messageId(m.did, m.device, m.inner);
    const inner = m.inner;
    const stored = env.repo.messages.insert(row.id, {
      id,
      did: m.did,
      device: m.device,
      seq: inner.seq,
      epoch: m.epoch,
      kind: inner.kind,
      ch: 'ch' in inner ? inner.ch : null,
      at: inner.at,
      receivedAt: env.now(),
      sealed: env.sealer.sealText(JSON.stringify(inner)),
    });
    if (!stored) return { id, fresh: false };
    control(row, m.did, inner);
    if (inner.kind === 'post') {
      const latest = env.repo.get(row.id);
      if (latest && (latest.lastMessageAt ?? 0) < inner.at) env.repo.save({ ...latest, lastMessageAt: inner.at });
    }
    timelines.add(row.id, { id, did: m.did, device: m.device, epoch: m.epoch, inner }, live);
    return { id, fresh: true };
  }

  function control(row: CommunityRow, did: string, inner: Inner): void {
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
  }

  async function onMessage(row: CommunityRow, d: Decrypted, live: boolean, source: Source) {
    let inner: Inner;
    try {
      inner = decodeInner(d.plaintext);
    } catch (err) {
      const code = isEnvelopeError(err) ? err.code : 'message-format';
      if (source.via === 'gossip' || source.via === 'deliver')
        env.score(
          source.peer,
          code === 'attachment-too-large' ? 'oversize' : 'malformed',
          `${code} in ${row.id.slice(0, 12)}`,
        );
      return { status: 'refused' as const };
    }
    if (live) {
      const attachmentBytes = inner.kind === 'post' ? (inner.attachments ?? []).reduce((n, a) => n + a.size, 0) : 0;
      const r = rateCheck(rates, { kind: 'message', community: row.id, did: d.did, attachmentBytes }, env.now());
      if (!r.allowed) {
        hidden++;
        env.score(source.peer, 'rateLimited', `a flood of messages in ${row.id.slice(0, 12)}`);
        return { status: 'refused' as const };
      }
      rates = r.state.size > 10_000 ? pruneRates(r.state, env.now()) : r.state;
    }
    keep(row, { did: d.did, device: d.device, epoch: d.epoch, inner }, live);
    return { status: 'done' as const, slot: { device: d.device, seq: inner.seq } };
  }

  return {
    onMessage,
    keep,
    hiddenCount: () => hidden,
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

export type Inbox = ReturnType<typeof createInbox>;
