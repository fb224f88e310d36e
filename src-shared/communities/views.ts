// The shapes communities take on the API: summaries and details of communities and DMs, members
// with roles, ordered messages with gaps, join requests. Times are unix milliseconds; message and
// gap fields are those of timeline.ts, so the node returns what the pure timeline computed.
import { z } from 'zod';
import { ChannelId, InvitePolicy, Persistence } from './descriptor.ts';
import { DeviceId, Did, Hex16, Hex32, Millis } from './ids.ts';

export const CommunityId = Hex32;
export const MessageId = Hex32;
export const RoleView = z.enum(['owner', 'admin', 'member']);
export const PersistenceMode = z.enum(['relay', 'store']);

export const ChannelView = z.object({
  id: ChannelId,
  name: z.string(),
  topic: z.string().optional(),
  unread: z.number().int().min(0),
});

export const CommunitySummary = z.object({
  id: CommunityId,
  kind: z.enum(['community', 'dm']),
  /** This node's identity in it. */
  me: Did,
  /** A chat about a swap (trading chat): the swap it was started from. */
  swapId: z.string().optional(),
  /** For a dm, the peer's name as this node knows it (or its DID). */
  name: z.string(),
  /** The other party of a dm. */
  peer: Did.optional(),
  picture: z.object({ sha256: Hex32, mime: z.string() }).nullable(),
  role: RoleView,
  members: z.number().int().min(0),
  unread: z.number().int().min(0),
  mentions: z.number().int().min(0),
  persistence: PersistenceMode,
  /** joined, or waiting for an admin to admit this node's request. */
  state: z.enum(['joined', 'requested', 'removed']),
  /** Why this node is no longer in it. */
  removedReason: z.enum(['removed', 'banned', 'left']).optional(),
  lastMessageAt: Millis.nullable(),
});

export const MemberView = z.object({
  did: Did,
  role: RoleView,
  devices: z.number().int().min(1),
  /** A device whose binding has run out: shown as not verified until it renews. */
  bindingExpired: z.boolean(),
  /** The name of the identity's published profile, when this node has it. */
  name: z.string().nullable(),
  /** Its binding is valid now and its identity is published (a profile this node verified). */
  verified: z.boolean(),
  me: z.boolean(),
});

export const CommunityDetail = CommunitySummary.extend({
  description: z.string(),
  owner: Did,
  version: z.number().int().min(1),
  invite: InvitePolicy,
  persistenceDetail: Persistence,
  channels: z.array(ChannelView),
  memberList: z.array(MemberView),
  /** Only for the owner and admins. */
  bans: z.array(Did).optional(),
  epoch: z.number().int().min(0),
});

export const AttachmentView = z.object({
  name: z.string(),
  mime: z.string(),
  size: z.number().int().min(1),
  sha256: Hex32,
});

export const MessageView = z.object({
  id: MessageId,
  did: Did,
  device: DeviceId,
  seq: z.number().int().min(1),
  at: Millis,
  ch: ChannelId,
  text: z.string(),
  replyTo: z.object({ id: MessageId, known: z.boolean() }).optional(),
  mentions: z.array(Did),
  mentionsMe: z.boolean(),
  attachments: z.array(AttachmentView),
  edited: z.boolean(),
  deleted: z.boolean(),
  reactions: z.array(z.object({ emoji: z.string(), count: z.number().int().min(1), mine: z.boolean() })),
  afterGap: z.boolean(),
  /** Sent by this node and not yet seen back from the network. */
  pending: z.boolean().optional(),
});

/** Key events shown in plain words in the conversation (membership, roles, keys, settings). */
export const NoticeKind = z.enum([
  'created',
  'joined',
  'removed',
  'left',
  'banned',
  'unbanned',
  'role',
  'descriptor',
  'persistence',
  'rekeyed',
  'removedMe',
]);
export const NoticeView = z.object({
  id: z.string().regex(/^[0-9a-f]{1,64}$/),
  at: Millis,
  epoch: z.number().int().min(0),
  kind: NoticeKind,
  /** Whom it is about. */
  did: Did.optional(),
  /** Who did it (the committer). */
  by: Did.optional(),
  role: RoleView.optional(),
  persistence: PersistenceMode.optional(),
});
export type NoticeView = z.infer<typeof NoticeView>;

export const GapView = z.object({
  device: DeviceId,
  did: Did.optional(),
  from: z.number().int().min(1),
  to: z.number().int().min(1),
});

export const JoinRequestView = z.object({
  requestId: Hex32,
  community: CommunityId,
  did: Did,
  at: Millis,
  via: z.enum(['invite', 'knock']),
  inviteId: Hex16.nullable(),
  /** Why an admin cannot admit it as is (e.g. invite-used, banned), if so. */
  problem: z.string().optional(),
});

export const StorageTopicView = z.object({
  topic: z.string(),
  items: z.number().int().min(0),
  bytes: z.number().int().min(0),
  quotaBytes: z.number().int().min(0),
  retentionDays: z.number().int().min(1),
  knocks: z.number().int().min(0),
  oldestAt: Millis.nullable(),
  newestAt: Millis.nullable(),
  epoch: z.number().int().min(0),
});

export const StorageReport = z.object({
  enabled: z.boolean(),
  /** The receipt key to name this node by in a descriptor. */
  key: z.string().nullable(),
  peerId: z.string(),
  topics: z.array(StorageTopicView),
  totalBytes: z.number().int().min(0),
  quotaBytesPerCommunity: z.number().int().min(0),
});

/** One of the user's identities that can take part: published, not deleted. */
export const IdentityChoice = z.object({ did: Did, label: z.string().nullable(), name: z.string().nullable() });

/**
 * details.code of the refusal (NOT_FOUND) to create, join or message without a published
 * identity: the user has to make one on the Identity page first.
 */
export const NO_IDENTITY = 'no-identity';

export type CommunitySummary = z.infer<typeof CommunitySummary>;
export type CommunityDetail = z.infer<typeof CommunityDetail>;
export type MemberView = z.infer<typeof MemberView>;
export type MessageView = z.infer<typeof MessageView>;
export type GapView = z.infer<typeof GapView>;
export type JoinRequestView = z.infer<typeof JoinRequestView>;
export type StorageReport = z.infer<typeof StorageReport>;
export type IdentityChoice = z.infer<typeof IdentityChoice>;
