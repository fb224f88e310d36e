// The communities slice of the API contract (docs/communities.md). Naming: `communities.<verb>`
// acts, `communities.<noun>s` lists; events `communities.<noun>`. Refusals reach clients with
// details.code set to the pure core's codes (committer-not-admin, invite-used, banned, …).
import { z } from 'zod';
import { method } from '../api/method.ts';
import { Channel, ChannelId, InvitePolicy, MAX_PICTURE_BYTES, Persistence } from './descriptor.ts';
import { MAX_ATTACHMENT_TOTAL_BYTES, MAX_ATTACHMENTS, MAX_TEXT_CHARS } from './envelope.ts';
import { Base64Url, Did, Millis } from './ids.ts';
import {
  CommunityDetail,
  CommunityId,
  CommunitySummary,
  GapView,
  IdentityChoice,
  JoinRequestView,
  MessageId,
  MessageView,
  NoticeView,
  StorageReport,
} from './views.ts';

const Ok = z.object({ ok: z.literal(true) });
const Ref = z.object({ id: CommunityId }).strict();
const Text = z.string().max(MAX_TEXT_CHARS);
const Epoch = z.object({ id: CommunityId, epoch: z.number().int().min(0) });
const AttachmentInput = z
  .object({
    name: z.string().min(1).max(128),
    mime: z.string().min(3).max(100),
    data: Base64Url(MAX_ATTACHMENT_TOTAL_BYTES),
  })
  .strict();

export const methods = {
  'communities.list': method(
    z.object({ kind: z.enum(['community', 'dm']).optional() }).strict(),
    z.array(CommunitySummary),
    'Communities and DMs this node is in (or has asked to join), with unread counts.',
  ),
  'communities.get': method(Ref, CommunityDetail, 'One community: descriptor, channels, members and roles.'),
  'communities.create': method(
    z
      .object({
        name: z.string().min(1).max(100),
        description: z.string().max(2000).optional(),
        channels: z.array(Channel).min(1).max(64).optional(),
        invite: InvitePolicy.optional(),
        persistence: Persistence.optional(),
        /** The owner identity; the node's default identity when absent. */
        identity: Did.optional(),
      })
      .strict(),
    CommunitySummary,
    'Create a community owned by one of this node’s identities (version-1 descriptor, one-member group).',
  ),
  'communities.update': method(
    z
      .object({
        id: CommunityId,
        name: z.string().min(1).max(100).optional(),
        description: z.string().max(2000).optional(),
        channels: z.array(Channel).min(1).max(64).optional(),
        invite: InvitePolicy.optional(),
        /** Image bytes (png, jpeg, webp, ≤ 32 KiB); null removes the picture. */
        picture: z
          .object({ mime: z.enum(['image/png', 'image/jpeg', 'image/webp']), data: Base64Url(MAX_PICTURE_BYTES) })
          .nullable()
          .optional(),
      })
      .strict(),
    CommunityDetail,
    'Owner only: sign a descriptor with a higher version and commit it.',
  ),
  'communities.setPersistence': method(
    z.object({ id: CommunityId, persistence: Persistence }).strict(),
    CommunityDetail,
    'Owner only: switch between relay (nothing kept) and store (named storage nodes keep ciphertext for the retention).',
  ),
  'communities.setRole': method(
    z.object({ id: CommunityId, did: Did, role: z.enum(['admin', 'member']) }).strict(),
    CommunityDetail,
    'Owner only: make a member an admin or an admin a member.',
  ),
  'communities.invite': method(
    z
      .object({
        id: CommunityId,
        expiresInSec: z
          .number()
          .int()
          .min(60)
          .max(30 * 86_400)
          .optional(),
      })
      .strict(),
    z.object({ link: z.string(), inviteId: z.string(), expiresAt: Millis }),
    'Make a one-time invitation link (also for a QR code, byte mode). Allowed by the descriptor’s invite policy.',
  ),
  'communities.join': method(
    z.object({ link: z.string().min(1).max(200), identity: Did.optional() }).strict(),
    CommunitySummary,
    'Ask to join with an invitation link; the community shows as requested until an admin or the owner admits.',
  ),
  'communities.requests': method(Ref, z.array(JoinRequestView), 'Owner and admins: pending join requests.'),
  'communities.admit': method(
    z.object({ id: CommunityId, requestId: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    Epoch,
    'Owner or any admin: admit a join request (one commit: add and mark the invitation used).',
  ),
  'communities.reject': method(
    z.object({ id: CommunityId, requestId: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    Ok,
    'Owner or any admin: drop a join request.',
  ),
  'communities.leave': method(Ref, Ok, 'Leave: tell the admins, stop sending; an admin commits the removal.'),
  'communities.remove': method(
    z.object({ id: CommunityId, did: Did, ban: z.boolean().optional() }).strict(),
    Epoch,
    'Owner or admin (per the role table): remove every device of a member, re-keying in the same commit; ban keeps it out.',
  ),
  'communities.unban': method(z.object({ id: CommunityId, did: Did }).strict(), Epoch, 'Owner or admin: lift a ban.'),
  'communities.send': method(
    z
      .object({
        id: CommunityId,
        channel: ChannelId,
        text: Text,
        replyTo: MessageId.optional(),
        mentions: z.array(Did).max(32).optional(),
        attachments: z.array(AttachmentInput).max(MAX_ATTACHMENTS).optional(),
      })
      .strict(),
    z.object({ messageId: MessageId }),
    'Post to a channel. Attachments are encrypted with the message; together at most 160 KiB.',
  ),
  'communities.edit': method(
    z.object({ id: CommunityId, messageId: MessageId, text: Text, mentions: z.array(Did).max(32).optional() }).strict(),
    z.object({ messageId: MessageId }),
    'Edit one of this identity’s messages (a signed follow-up; the latest edit wins).',
  ),
  'communities.delete': method(
    z.object({ id: CommunityId, messageId: MessageId }).strict(),
    z.object({ messageId: MessageId }),
    'Delete a message: one’s own, or as a moderator one of a lower role.',
  ),
  'communities.react': method(
    z.object({ id: CommunityId, messageId: MessageId, emoji: z.string().min(1).max(16), on: z.boolean() }).strict(),
    z.object({ messageId: MessageId }),
    'Add or take back a reaction.',
  ),
  'communities.messages': method(
    z
      .object({
        id: CommunityId,
        channel: ChannelId,
        before: MessageId.optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    z.object({
      messages: z.array(MessageView),
      gaps: z.array(GapView),
      unread: z.number().int().min(0),
      /** Key events (joins, removals with re-keying, roles, settings), for the conversation. */
      notices: z.array(NoticeView),
      /** The read position: the last message read. */
      readId: MessageId.nullable(),
      /** Older messages exist before the first one returned. */
      more: z.boolean(),
    }),
    'A channel’s ordered messages (oldest first), the gaps still being fetched and the key events.',
  ),
  'communities.attachment': method(
    z
      .object({
        id: CommunityId,
        messageId: MessageId,
        index: z
          .number()
          .int()
          .min(0)
          .max(MAX_ATTACHMENTS - 1),
      })
      .strict(),
    z.object({ name: z.string(), mime: z.string(), data: z.string() }),
    'The bytes (base64url) of one attachment of a message.',
  ),
  'communities.markRead': method(
    z.object({ id: CommunityId, channel: ChannelId, messageId: MessageId }).strict(),
    z.object({ unread: z.number().int().min(0) }),
    'Set the channel’s read position to a message.',
  ),
  'communities.dmStart': method(
    z.object({ peer: Did, identity: Did.optional(), peerId: z.string().min(1).max(128).optional() }).strict(),
    CommunitySummary,
    'Start (or return) the direct message with an identity: a community of two. The node hosting it is found on the DHT, or named by peerId.',
  ),
  'communities.swapChat': method(
    z.object({ swapId: z.string().min(1).max(128) }).strict(),
    CommunitySummary,
    'Start (or return) a direct conversation with the counterparty of a swap. Both sides use a new identity made for that swap only, so nothing links the chat to their other identities.',
  ),
  'communities.identities': method(
    z.object({}).strict(),
    z.array(IdentityChoice),
    'This node’s identities that can own, join or be messaged in communities: those with a published profile that is not deleted. Empty until the user creates one (identity.create); creating, joining or messaging is then refused with details.code no-identity.',
  ),
  'communities.storageNodes': method(
    z.object({}).strict(),
    z.array(
      z.object({
        peerId: z.string(),
        key: z.string(),
        quotaBytes: z.number().int(),
        maxRetentionDays: z.number().int(),
      }),
    ),
    'Connected peers that offer to store communities’ ciphertext (for the owner’s persistence setting).',
  ),
  'communities.storageReport': method(
    z.object({}).strict(),
    StorageReport,
    'As a storage node: what this node keeps per community topic (items, bytes, quota, retention). It never knows names or members.',
  ),
} as const;

export const events = {
  'communities.message': z.object({ id: CommunityId, message: MessageView }),
  'communities.updated': z.object({
    id: CommunityId,
    reason: z.enum([
      'descriptor',
      'members',
      'roles',
      'persistence',
      'bans',
      'admitted',
      'epoch',
      'messages',
      'requests',
    ]),
  }),
  'communities.request': z.object({ id: CommunityId, request: JoinRequestView }),
  'communities.gaps': z.object({ id: CommunityId, channel: ChannelId, gaps: z.array(GapView) }),
  'communities.unread': z.object({
    id: CommunityId,
    channel: ChannelId,
    unread: z.number().int().min(0),
    mentions: z.number().int().min(0),
  }),
  'communities.removed': z.object({ id: CommunityId, reason: z.enum(['removed', 'banned', 'left']) }),
  'communities.notice': z.object({ id: CommunityId, notice: NoticeView }),
} as const;

export const communitiesContract = { methods, events } as const;
