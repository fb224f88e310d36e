// The MLS wrapper over ts-mls (docs §1, §3, §6): key packages bound to identities, community groups,
// commits checked by authorizeCommit before they are made and before they are merged, application
// messages with their authenticated sender, and state (de)serialization for the vault to seal.
// States are linear: after a call, use the returned group, not the one passed in (its secrets may
// have been wiped for forward secrecy). Keep serialized snapshots for rollbacks (sequencing.ts).
import { sha256 } from '@noble/hashes/sha2.js';
import {
  createApplicationMessage,
  createCommit,
  createGroup as mlsCreateGroup,
  decodeGroupState,
  defaultLifetime,
  emptyPskIndex,
  encodeGroupState,
  encodeMlsMessage,
  generateKeyPackageWithKey,
  joinGroup,
  mlsExporter,
} from 'ts-mls';
import type { ClientState, KeyPackage, PrivateKeyPackage, Proposal } from 'ts-mls';
import { authorizeCommit } from './authorize.ts';
import type { ProposalView } from './authorize.ts';
import { encodeBinding, verifyBinding } from './binding.ts';
import type { Binding } from './binding.ts';
import { acceptDescriptor } from './descriptor.ts';
import type { SignedDescriptor } from './descriptor.ts';
import { z } from 'zod';
import {
  b64,
  Base64Url,
  bytesToHex,
  communityError,
  decodeCanonical,
  encodeCanonical,
  hexToBytes,
  topicOf,
  utf8ToBytes,
} from './ids.ts';
import { MAX_KEY_PACKAGE_BYTES } from './invite.ts';
import {
  capabilities,
  clientConfig,
  contextOf,
  decodeMls,
  epochOf,
  groupExtensions,
  leafBinding,
  membersOf,
  readExtensions,
  tagOf,
  viewOf,
  wipe,
} from './mls-group.ts';
import type { Group, Member, MlsContext } from './mls-group.ts';
import { RANK, roleOf } from './roles.ts';
import { EMPTY_ROSTER } from './roster.ts';
import type { Roster } from './roster.ts';
import type { CommitRef } from './sequencing.ts';

export { createMlsContext, membersOf, tagOf, epochOf, CIPHERSUITE } from './mls-group.ts';
export type { Group, Member, MlsContext } from './mls-group.ts';

export interface MessagingKey {
  readonly signKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export async function newMessagingKey(ctx: MlsContext): Promise<MessagingKey> {
  return ctx.impl.signature.keygen();
}

export interface KeyPackageBundle {
  readonly publicPackage: KeyPackage;
  readonly privatePackage: PrivateKeyPackage;
  /** The MLS-encoded key package, as it travels. */
  readonly bytes: Uint8Array;
}

export async function createKeyPackage(
  ctx: MlsContext,
  binding: Binding,
  key: MessagingKey,
): Promise<KeyPackageBundle> {
  const ok = verifyBinding(binding, key.publicKey, { kind: 'membership' });
  if (!ok.ok) throw communityError(ok.code, ok.reason);
  const { publicPackage, privatePackage } = await generateKeyPackageWithKey(
    { credentialType: 'basic', identity: encodeBinding(binding) },
    capabilities(),
    defaultLifetime,
    [],
    key,
    ctx.impl,
  );
  const bytes = encodeMlsMessage({ version: 'mls10', wireformat: 'mls_key_package', keyPackage: publicPackage });
  return { publicPackage, privatePackage, bytes };
}

export function decodeKeyPackage(bytes: Uint8Array): KeyPackage {
  const msg = decodeMls(bytes);
  if (msg.wireformat !== 'mls_key_package') throw communityError('mls-format', 'not a key package');
  return msg.keyPackage;
}

const SealedKeyPackage = z
  .object({
    v: z.literal(1),
    keyPackage: Base64Url(MAX_KEY_PACKAGE_BYTES),
    init: Base64Url(128),
    hpke: Base64Url(128),
    signature: Base64Url(128),
  })
  .strict();

/** A key package with its private keys, for the vault to seal while a join request waits for its Welcome. */
export function exportKeyPackage(bundle: KeyPackageBundle): Uint8Array {
  const p = bundle.privatePackage;
  return encodeCanonical({
    v: 1,
    keyPackage: b64.encode(bundle.bytes),
    init: b64.encode(p.initPrivateKey),
    hpke: b64.encode(p.hpkePrivateKey),
    signature: b64.encode(p.signaturePrivateKey),
  });
}

export function importKeyPackage(bytes: Uint8Array): KeyPackageBundle {
  const sealed = decodeCanonical(bytes, SealedKeyPackage, 8 * 1024);
  if (!sealed) throw communityError('state-format', 'not an exported key package');
  const kpBytes = b64.decode(sealed.keyPackage);
  return {
    publicPackage: decodeKeyPackage(kpBytes),
    privatePackage: {
      initPrivateKey: b64.decode(sealed.init),
      hpkePrivateKey: b64.decode(sealed.hpke),
      signaturePrivateKey: b64.decode(sealed.signature),
    },
    bytes: kpBytes,
  };
}

/** The DID a key package's binding names (unverified: MLS checks it when the package is added). */
export function keyPackageDid(kp: KeyPackage): string | undefined {
  return leafBinding(kp.leafNode as Parameters<typeof leafBinding>[0])?.did;
}

export async function createGroup(
  ctx: MlsContext,
  input: { descriptor: SignedDescriptor; own: KeyPackageBundle; roster?: Roster },
): Promise<Group> {
  const verdict = acceptDescriptor(undefined, input.descriptor);
  if (!verdict.ok) throw communityError(verdict.code, verdict.reason);
  if (keyPackageDid(input.own.publicPackage) !== input.descriptor.descriptor.owner)
    throw communityError('not-owner', 'only the owner creates its community');
  const state = await mlsCreateGroup(
    hexToBytes(input.descriptor.descriptor.id),
    input.own.publicPackage,
    input.own.privatePackage,
    groupExtensions(input.descriptor, input.roster ?? EMPTY_ROSTER),
    ctx.impl,
    clientConfig(ctx, { kind: 'membership' }),
  );
  return { state };
}

export function members(group: Group): Member[] {
  return membersOf(group.state);
}

/** A copy: parsed extensions are shared between states. */
export function descriptorOf(group: Group): SignedDescriptor {
  return structuredClone(contextOf(group.state).descriptor);
}

export function rosterOf(group: Group): Roster {
  return structuredClone(contextOf(group.state).roster);
}

export function ownLeaf(group: Group): number {
  return group.state.privatePath.leafIndex;
}

export function isActive(group: Group): boolean {
  return group.state.groupActiveState.kind === 'active';
}

export interface CommitPlan {
  add?: KeyPackage[];
  remove?: number[];
  /** A new owner-signed descriptor (higher version). */
  descriptor?: SignedDescriptor;
  /** The roster after this commit (bans, used invitations). */
  roster?: Roster;
  /** Renews the committer's own binding; a renewal commit carries nothing else. */
  renew?: Binding;
}

export interface CommitOutcome {
  group: Group;
  commit: Uint8Array;
  welcome?: Uint8Array;
  ref: CommitRef;
  tag: string;
}

function planProposals(group: Group, plan: CommitPlan): { proposals: Proposal[]; views: ProposalView[] } {
  const proposals: Proposal[] = [];
  const views: ProposalView[] = [];
  for (const leaf of plan.remove ?? []) {
    proposals.push({ proposalType: 'remove', remove: { removed: leaf } });
    views.push({ type: 'remove', leaf });
  }
  for (const keyPackage of plan.add ?? []) {
    proposals.push({ proposalType: 'add', add: { keyPackage } });
    views.push({ type: 'add', did: keyPackageDid(keyPackage) });
  }
  if (plan.descriptor || plan.roster) {
    const current = contextOf(group.state);
    const extensions = groupExtensions(plan.descriptor ?? current.descriptor, plan.roster ?? current.roster);
    proposals.push({ proposalType: 'group_context_extensions', groupContextExtensions: { extensions } });
    views.push({ type: 'extensions', ...readExtensions(extensions) });
  }
  return { proposals, views };
}

/** Makes a commit, after checking it as every receiver will; refusals throw with the receivers' code. */
export async function commit(ctx: MlsContext, group: Group, plan: CommitPlan, now: number): Promise<CommitOutcome> {
  const { proposals, views } = planProposals(group, plan);
  // ts-mls 1.6.4 encrypts a commit's path under the old group-context extensions while receivers
  // use the new ones, so a commit that changes extensions must not carry a path (no removals).
  if ((plan.descriptor || plan.roster) && (plan.remove?.length || plan.renew))
    throw communityError('commit-shape', 'descriptor and roster changes go in a commit without removals');
  const view = viewOf(group.state);
  const me = ownLeaf(group);
  const verdict = authorizeCommit(view, { committer: me, proposals: views });
  if (!verdict.ok) throw communityError(verdict.code, verdict.reason);
  let state: ClientState = group.state;
  if (plan.renew) {
    if (proposals.length > 0) throw communityError('renew-alone', 'a renewal commit carries nothing else');
    state = withOwnCredential(state, plan.renew);
  }
  const parent = tagOf(group.state);
  const rank = RANK[roleOf(view.descriptor.descriptor, view.leaves.get(me)!)];
  let refusal: { code: string; reason: string } | undefined;
  state = {
    ...state,
    clientConfig: clientConfig(ctx, { kind: 'strict', at: now }, (v) => (refusal = v.ok ? undefined : v)),
  };
  let result;
  try {
    result = await createCommit(
      { state, cipherSuite: ctx.impl },
      { extraProposals: proposals, ratchetTreeExtension: true, authenticatedData: encodeCanonical({ v: 1, t: now }) },
    );
  } catch (err) {
    throw refusal
      ? communityError(refusal.code, refusal.reason)
      : communityError('mls-invalid', (err as Error).message);
  }
  wipe(result.consumed);
  const bytes = encodeMlsMessage(result.commit);
  const next = { state: { ...result.newState, clientConfig: clientConfig(ctx, { kind: 'membership' }) } };
  const welcome = result.welcome
    ? encodeMlsMessage({ version: 'mls10', wireformat: 'mls_welcome', welcome: result.welcome })
    : undefined;
  return {
    group: next,
    commit: bytes,
    ...(welcome ? { welcome } : {}),
    ref: { id: bytesToHex(sha256(bytes)), epoch: epochOf(group.state), parent, rank },
    tag: tagOf(next.state),
  };
}

/** ts-mls copies the committer's credential into its new leaf: put the renewed one there first. */
function withOwnCredential(state: ClientState, binding: Binding): ClientState {
  const at = state.privatePath.leafIndex * 2;
  const node = state.ratchetTree[at];
  if (node?.nodeType !== 'leaf') throw communityError('mls-state', 'no own leaf');
  if (bytesToHex(node.leaf.signaturePublicKey) !== binding.key)
    throw communityError('binding-key', 'the renewed binding is for another messaging key');
  const tree = state.ratchetTree.slice();
  tree[at] = {
    nodeType: 'leaf',
    leaf: { ...node.leaf, credential: { credentialType: 'basic', identity: encodeBinding(binding) } },
  };
  return { ...state, ratchetTree: tree };
}

/** Joins from a Welcome; the group must carry a valid descriptor for its own id. */
export async function joinFromWelcome(
  ctx: MlsContext,
  welcomeBytes: Uint8Array,
  own: KeyPackageBundle,
): Promise<Group> {
  const msg = decodeMls(welcomeBytes);
  if (msg.wireformat !== 'mls_welcome') throw communityError('mls-format', 'not a welcome');
  const state = await joinGroup(
    msg.welcome,
    own.publicPackage,
    own.privatePackage,
    emptyPskIndex,
    ctx.impl,
    undefined,
    undefined,
    clientConfig(ctx, { kind: 'membership' }),
  );
  const { descriptor } = contextOf(state);
  const verdict = acceptDescriptor(undefined, descriptor);
  if (!verdict.ok) throw communityError(verdict.code, verdict.reason);
  if (bytesToHex(state.groupContext.groupId) !== descriptor.descriptor.id)
    throw communityError('descriptor-id', 'the group is not the one its descriptor names');
  return { state };
}

export async function encrypt(
  ctx: MlsContext,
  group: Group,
  plaintext: Uint8Array,
): Promise<{ group: Group; message: Uint8Array }> {
  const result = await createApplicationMessage(group.state, plaintext, ctx.impl);
  wipe(result.consumed);
  const message = encodeMlsMessage({
    version: 'mls10',
    wireformat: 'mls_private_message',
    privateMessage: result.privateMessage,
  });
  return { group: { state: result.newState }, message };
}

const STATE_FORMAT = 1;

/** The state's bytes for the vault to seal: everything, private keys included. */
export function serializeGroup(group: Group): Uint8Array {
  const body = encodeGroupState(group.state);
  const out = new Uint8Array(1 + body.length);
  out[0] = STATE_FORMAT;
  out.set(body, 1);
  return out;
}

export function deserializeGroup(ctx: MlsContext, bytes: Uint8Array): Group {
  if (bytes[0] !== STATE_FORMAT) throw communityError('state-format', 'unknown group state format');
  let decoded;
  try {
    // A copy: decoded secrets are views into the buffer, and wiping them after use must never
    // reach the caller's snapshot bytes.
    decoded = decodeGroupState(bytes.slice(1), 0);
  } catch {
    decoded = undefined;
  }
  if (!decoded || decoded[1] !== bytes.length - 1) throw communityError('state-format', 'the group state is damaged');
  return { state: { ...decoded[0], clientConfig: clientConfig(ctx, { kind: 'membership' }) } };
}

/** What a Welcome's `to` names: the SHA-256 of the key package as it travels. */
export function keyPackageRef(keyPackageBytes: Uint8Array): string {
  return bytesToHex(sha256(keyPackageBytes));
}

/** This device's messaging (MLS signature) public key, hex. */
export function ownKey(group: Group): string {
  const node = group.state.ratchetTree[ownLeaf(group) * 2];
  if (node?.nodeType !== 'leaf') throw communityError('mls-state', 'no own leaf');
  return bytesToHex(node.leaf.signaturePublicKey);
}

/**
 * Signs `message` with this device's messaging key (storage epoch-key announcements, docs §14).
 * Only 32-byte digests of our own tagged values: MLS signs its SignContent, which begins with the
 * length-prefixed "MLS 1.0 " label, so no signature here can stand for an MLS one.
 */
export async function signAsDevice(ctx: MlsContext, group: Group, message: Uint8Array): Promise<Uint8Array> {
  return ctx.impl.signature.sign(group.state.signaturePrivateKey, message);
}

/** The seed of this epoch's storage-auth key (storage.ts): the same for every member of the epoch. */
export async function storageSeed(ctx: MlsContext, group: Group): Promise<Uint8Array> {
  const topic = utf8ToBytes(topicOf(descriptorOf(group).descriptor.id));
  return mlsExporter(group.state.keySchedule.exporterSecret, 'hashlock communities storage', topic, 32, ctx.impl);
}

export { receive, commitRef } from './mls-receive.ts';
export type { Incoming } from './mls-receive.ts';
