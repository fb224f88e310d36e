// The communities.* API methods (src-shared/communities/contract.ts) on the node's parts. Each
// check a person would want named (who may do what, which channel, whose message) is made here
// with the core's codes before anything is sent; the core checks again as every receiver will.
import { sha256 } from '@noble/hashes/sha2.js';
import type { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { methods } from '../../src-shared/communities/contract.ts';
import { draftDescriptor, signDescriptor } from '../../src-shared/communities/descriptor.ts';
import type { Descriptor } from '../../src-shared/communities/descriptor.ts';
import type { Inner } from '../../src-shared/communities/envelope.ts';
import { b64, bytesToHex, topicOf } from '../../src-shared/communities/ids.ts';
import { createGroup, epochOf, tagOf } from '../../src-shared/communities/mls.ts';
import { mayDelete, roleOf } from '../../src-shared/communities/roles.ts';
import { startChain } from '../../src-shared/communities/sequencing.ts';
import { STORE_PROTOCOL } from '../../src-shared/communities/sync.ts';
import { randomBytes } from 'node:crypto';
import { freshKeyPackage } from './admission.ts';
import { advance, tellNotices } from './advance.ts';
import type { Delivery } from './delivery.ts';
import { asApiError, refusal, rowOf, type Env } from './env.ts';
import { emptyData } from './record.ts';
import type { CommunityRow } from './repo.ts';
import type { Admission } from './admission.ts';
import type { CatchUp } from './catchup.ts';
import type { Commits } from './commits.ts';
import type { Dms } from './dm.ts';
import type { Outbox } from './outbox.ts';
import type { StorageClient } from './storage-client.ts';
import type { StorageNode } from './storage-node.ts';
import type { Timelines } from './timelines.ts';
import type { Names, Views } from './views.ts';

type M = typeof methods;
export type CommunityHandlers = {
  [K in keyof M]: (params: z.output<M[K]['params']>) => Promise<z.output<M[K]['result']>>;
};

export interface Parts {
  storage: StorageClient;
  outbox: Outbox;
  commits: Commits;
  admission: Admission;
  dms: Dms;
  catchUp: CatchUp;
}

export function createHandlers(h: {
  env: Env;
  parts: Parts;
  views: Views;
  names: Names;
  timelines: Timelines;
  delivery: Delivery;
  storageNode: StorageNode | undefined;
  later: (fn: () => Promise<unknown>) => void;
}): CommunityHandlers {
  const { env, parts, views, timelines } = h;
  const unlocked = () => {
    if (!env.unlocked()) throw new ApiError('VAULT_LOCKED', 'The vault is locked: unlock it to use communities.');
  };
  const joined = (id: string): CommunityRow => {
    unlocked();
    const row = rowOf(env, id);
    if (row.state !== 'joined') throw refusal('not-joined', 'This node is not a member of that community (yet).');
    return row;
  };
  const channelOf = (row: CommunityRow, ch: string) => {
    if (!row.data.descriptor?.descriptor.channels.some((c) => c.id === ch))
      throw refusal('channel-unknown', `There is no channel ${ch}.`, 'NOT_FOUND');
  };
  const target = (row: CommunityRow, messageId: string) => {
    const found = timelines.find(row.id, messageId);
    if (!found || found.inner.kind !== 'post') throw refusal('message-unknown', 'No such message here.', 'NOT_FOUND');
    return found as typeof found & { inner: Extract<Inner, { kind: 'post' }> };
  };
  const detail = async (id: string) => views.detail(rowOf(env, id));
  const send = async (id: string, body: Parameters<typeof parts.outbox.send>[1]) => ({
    messageId: await parts.outbox.send(id, body),
  });
  const wrap = <T>(p: Promise<T>): Promise<T> => p.catch((err: unknown) => Promise.reject(asApiError(err)));

  const handlers: CommunityHandlers = {
    async 'communities.list'(p) {
      const rows = env.repo.all().filter((r) => !p.kind || r.kind === p.kind);
      await h.names.load(rows.flatMap((r) => (r.peer ? [r.peer] : [])));
      return rows.map((r) => views.summary(r)).sort((a, b) => (b.lastMessageAt ?? 0) - (a.lastMessageAt ?? 0));
    },
    'communities.get': (p) => detail(p.id),
    async 'communities.create'(p) {
      unlocked();
      const owner = env.signers.pick(p.identity);
      const nonce = bytesToHex(randomBytes(16));
      const descriptor = await signDescriptor(
        env.signers.signer(owner),
        draftDescriptor({
          owner,
          nonce,
          issuedAt: env.now(),
          name: p.name,
          ...(p.description !== undefined ? { description: p.description } : {}),
          ...(p.channels ? { channels: p.channels } : {}),
          ...(p.invite ? { invite: p.invite } : {}),
          ...(p.persistence ? { persistence: p.persistence } : {}),
        }),
      );
      const group = await createGroup(env.mls, { descriptor, own: await freshKeyPackage(env, owner) });
      const id = descriptor.descriptor.id;
      const base: CommunityRow = {
        id,
        topic: topicOf(id),
        kind: 'community',
        me: owner,
        state: 'joined',
        removedReason: null,
        swapId: null,
        peer: null,
        data: emptyData(),
        createdAt: env.now(),
        updatedAt: env.now(),
        lastMessageAt: null,
      };
      const chain = startChain(epochOf(group.state), tagOf(group.state));
      const { row, notices } = await advance(env, base, group, { at: env.now(), chain, first: 'created' });
      await env.groups.run(id, () => {
        env.groups.set(id, group);
        env.repo.save(row);
      });
      tellNotices(env, id, notices);
      h.delivery.join(row);
      if (row.data.descriptor?.descriptor.persistence.mode === 'store')
        h.later(async () => {
          await parts.storage.grant(row);
          await parts.storage.announce(row, group);
        });
      return views.summary(row);
    },
    async 'communities.update'(p) {
      const row = joined(p.id);
      const patch: Partial<Descriptor> = {
        ...(p.name !== undefined ? { name: p.name } : {}),
        ...(p.description !== undefined ? { description: p.description } : {}),
        ...(p.channels ? { channels: p.channels } : {}),
        ...(p.invite ? { invite: p.invite } : {}),
      };
      await wrap(
        env.groups.run(row.id, async () => {
          let latest = env.repo.get(row.id)!;
          if (p.picture !== undefined) {
            if (p.picture === null) patch.picture = null;
            else {
              const bytes = b64.decode(p.picture.data);
              const hash = bytesToHex(sha256(bytes));
              await parts.outbox.sendNow(latest, {
                kind: 'asset',
                sha256: hash,
                mime: p.picture.mime,
                data: p.picture.data,
              });
              patch.picture = { sha256: hash, mime: p.picture.mime, size: bytes.length };
              latest = env.repo.get(row.id)!;
            }
          }
          await parts.commits.describe(latest, patch);
        }),
      );
      return detail(p.id);
    },
    async 'communities.setPersistence'(p) {
      const row = joined(p.id);
      await wrap(
        env.groups.run(row.id, () => parts.commits.describe(env.repo.get(row.id)!, { persistence: p.persistence })),
      );
      return detail(p.id);
    },
    async 'communities.setRole'(p) {
      const row = joined(p.id);
      const d = row.data.descriptor!.descriptor;
      if (d.owner === p.did) throw refusal('owner-role', 'The owner stays the owner.');
      const admins = p.role === 'admin' ? [...new Set([...d.admins, p.did])] : d.admins.filter((a) => a !== p.did);
      await wrap(env.groups.run(row.id, () => parts.commits.describe(env.repo.get(row.id)!, { admins })));
      return detail(p.id);
    },
    'communities.invite': (p) => wrap(parts.admission.invite(joined(p.id), p.expiresInSec)),
    async 'communities.join'(p) {
      unlocked();
      const row = await wrap(parts.admission.join(p.link, env.signers.pick(p.identity)));
      return views.summary(row);
    },
    async 'communities.requests'(p) {
      return parts.admission.requests(joined(p.id));
    },
    async 'communities.admit'(p) {
      joined(p.id);
      const out = await wrap(parts.admission.admit(p.id, p.requestId));
      return { id: p.id, epoch: out.epoch };
    },
    async 'communities.reject'(p) {
      joined(p.id);
      parts.admission.reject(p.id, p.requestId);
      return { ok: true as const };
    },
    async 'communities.leave'(p) {
      const row = joined(p.id);
      if (row.data.descriptor?.descriptor.owner === row.me)
        throw refusal(
          'owner-cannot-leave',
          'The owner cannot leave its community (ownership cannot be handed on yet).',
        );
      await wrap(
        env.groups.run(row.id, async () => {
          await parts.outbox.sendNow(env.repo.get(row.id)!, { kind: 'leave' });
          const latest = env.repo.get(row.id)!;
          env.repo.save({ ...latest, removedReason: 'left' });
        }),
      );
      return { ok: true as const };
    },
    async 'communities.remove'(p) {
      const row = joined(p.id);
      if (p.did === row.me) throw refusal('remove-self', 'To go, leave the community instead.');
      const out = await wrap(
        env.groups.run(row.id, () => parts.commits.remove(env.repo.get(row.id)!, p.did, p.ban ?? false)),
      );
      return { id: p.id, epoch: out.epoch };
    },
    async 'communities.unban'(p) {
      const row = joined(p.id);
      const out = await wrap(env.groups.run(row.id, () => parts.commits.unban(env.repo.get(row.id)!, p.did)));
      return { id: p.id, epoch: out.epoch };
    },
    async 'communities.send'(p) {
      const row = joined(p.id);
      channelOf(row, p.channel);
      const attachments = (p.attachments ?? []).map((a) => {
        const bytes = b64.decode(a.data);
        return { name: a.name, mime: a.mime, size: bytes.length, sha256: bytesToHex(sha256(bytes)), data: a.data };
      });
      return wrap(
        send(p.id, {
          kind: 'post',
          ch: p.channel,
          text: p.text,
          ...(p.replyTo ? { replyTo: p.replyTo } : {}),
          ...(p.mentions?.length ? { mentions: p.mentions } : {}),
          ...(attachments.length ? { attachments } : {}),
        }),
      );
    },
    async 'communities.edit'(p) {
      const row = joined(p.id);
      const t = target(row, p.messageId);
      if (t.did !== row.me) throw refusal('edit-not-allowed', 'Only its author edits a message.');
      return wrap(
        send(p.id, {
          kind: 'edit',
          ch: t.inner.ch,
          target: p.messageId,
          text: p.text,
          ...(p.mentions?.length ? { mentions: p.mentions } : {}),
        }),
      );
    },
    async 'communities.delete'(p) {
      const row = joined(p.id);
      const t = target(row, p.messageId);
      const d = row.data.descriptor!.descriptor;
      if (!mayDelete({ did: row.me, role: roleOf(d, row.me) }, { did: t.did, role: roleOf(d, t.did) }))
        throw refusal(
          'delete-not-allowed',
          'You may delete your own messages, and as a moderator those of lower roles.',
        );
      return wrap(send(p.id, { kind: 'delete', ch: t.inner.ch, target: p.messageId }));
    },
    async 'communities.react'(p) {
      const row = joined(p.id);
      const t = target(row, p.messageId);
      return wrap(send(p.id, { kind: 'react', ch: t.inner.ch, target: p.messageId, emoji: p.emoji, on: p.on }));
    },
    async 'communities.messages'(p) {
      const row = joined(p.id);
      channelOf(row, p.channel);
      const t = timelines.timeline(row.id);
      const all = t.channels.get(p.channel) ?? [];
      const end = p.before
        ? Math.max(
            0,
            all.findIndex((m) => m.id === p.before),
          )
        : all.length;
      const limit = p.limit ?? 200;
      const slice = all.slice(Math.max(0, end - limit), end);
      const read = env.repo.reads.get(row.id, p.channel);
      const unread = timelines.unread(row).perChannel.get(p.channel) ?? 0;
      const notices = env.repo.notices.all(row.id) as z.output<M['communities.messages']['result']>['notices'];
      return {
        messages: slice,
        gaps: t.gaps.slice(0, 200),
        unread,
        notices,
        readId: read?.message ?? null,
        more: end - limit > 0,
      };
    },
    async 'communities.attachment'(p) {
      const row = joined(p.id);
      const a = target(row, p.messageId).inner.attachments?.[p.index];
      if (!a) throw refusal('attachment-unknown', 'That message has no such attachment.', 'NOT_FOUND');
      return { name: a.name, mime: a.mime, data: a.data };
    },
    async 'communities.markRead'(p) {
      const row = joined(p.id);
      const t = target(row, p.messageId);
      env.repo.reads.set(row.id, p.channel, p.messageId, t.inner.at);
      const u = timelines.unread(row);
      const unread = u.perChannel.get(p.channel) ?? 0;
      env.emit('communities.unread', { id: row.id, channel: p.channel, unread, mentions: u.mentions });
      return { unread };
    },
    async 'communities.dmStart'(p) {
      unlocked();
      const row = await wrap(
        parts.dms.dmStart({
          me: env.signers.pick(p.identity),
          peer: p.peer,
          ...(p.peerId ? { peerId: p.peerId } : {}),
        }),
      );
      return views.summary(row);
    },
    async 'communities.swapChat'(p) {
      unlocked();
      return views.summary(await wrap(parts.dms.swapChat(p.swapId)));
    },
    async 'communities.identities'() {
      unlocked();
      return env.signers.mine();
    },
    async 'communities.storageNodes'() {
      const offering = env.p2p.peers().filter((peer) => peer.protocols?.includes(STORE_PROTOCOL));
      const infos = await Promise.all(
        offering.map(async (peer) => ({ peerId: peer.peerId, info: await parts.storage.info(peer.peerId) })),
      );
      return infos.flatMap((x) =>
        x.info
          ? [
              {
                peerId: x.peerId,
                key: x.info.key,
                quotaBytes: x.info.quotaBytes,
                maxRetentionDays: x.info.maxRetentionDays,
              },
            ]
          : [],
      );
    },
    async 'communities.storageReport'() {
      return (
        h.storageNode?.report() ?? {
          enabled: false,
          key: null,
          peerId: env.p2p.peerId,
          topics: [],
          totalBytes: 0,
          quotaBytesPerCommunity: 0,
        }
      );
    },
  };
  return handlers;
}
