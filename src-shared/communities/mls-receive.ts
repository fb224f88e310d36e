// Receiving MLS messages: commits are checked by authorizeCommit inside ts-mls's commit callback,
// after the library validated them and before anything is merged; application messages come back
// with their sender, which ts-mls does not return, so the sender data is decrypted here first.
import { sha256 } from '@noble/hashes/sha2.js';
import { emptyPskIndex, processPrivateMessage } from 'ts-mls';
import type {
  CiphersuiteImpl,
  ClientState,
  IncomingMessageAction,
  PrivateMessage,
  ProposalWithSender,
  RatchetTree,
} from 'ts-mls';
import { decryptSenderData } from 'ts-mls/privateMessage.js';
import { authorizeCommit } from './authorize.ts';
import type { GroupView, ProposalView } from './authorize.ts';
import { bytesToHex, decodeCanonical } from './ids.ts';
import type { Verdict } from './ids.ts';
import {
  clientConfig,
  CommitAad,
  decodeMls,
  epochOf,
  leafBinding,
  memberAt,
  readExtensions,
  tagOf,
  viewOf,
  wipe,
} from './mls-group.ts';
import type { Group, Member, MlsContext } from './mls-group.ts';
import { RANK, roleOf } from './roles.ts';
import type { CommitRef } from './sequencing.ts';

export type Incoming =
  | {
      kind: 'message';
      group: Group;
      sender: Member & { bindingExpired: boolean };
      plaintext: Uint8Array;
      epoch: number;
    }
  | {
      kind: 'commit';
      group: Group;
      ref: CommitRef;
      tag: string;
      at: number;
      removedMe: boolean;
      /** The committer's DID, as the parent epoch knew its leaf. */
      committer: string;
    }
  | { kind: 'refused'; group: Group; code: string; reason: string };

function refused(group: Group, code: string, reason: string): Incoming {
  return { kind: 'refused', group, code, reason };
}

type Refusal = { ok: false; code: string; reason: string };
const isRefusal = (x: object): x is Refusal => 'ok' in x;

function privateMessageOf(bytes: Uint8Array): PrivateMessage | Refusal {
  let msg;
  try {
    msg = decodeMls(bytes);
  } catch {
    return { ok: false, code: 'mls-format', reason: 'not an MLS message' };
  }
  if (msg.wireformat !== 'mls_private_message')
    return { ok: false, code: 'wrong-wireformat', reason: `${msg.wireformat} is not a group message` };
  return msg.privateMessage;
}

type Arg = Uint8Array | number | undefined;

function sameArgs(a: readonly Arg[], b: readonly Arg[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x instanceof Uint8Array && y instanceof Uint8Array) {
      if (x.length !== y.length) return false;
      for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
    } else if (x !== y) return false;
  }
  return true;
}

/**
 * The ciphersuite with its HKDF-Expand and AEAD decryption remembered while `recording`: ts-mls
 * decrypts a message's sender data again inside processPrivateMessage, after senderOf did, with
 * the same calls on the same inputs. Those are answered from memory (the inputs compared byte for
 * byte; only results are kept, so a refusal is computed again); every other call is computed.
 * Both functions are deterministic, so the bytes are the ones a second computation would give.
 */
function remembering(impl: CiphersuiteImpl) {
  const calls: Array<{ args: Arg[]; out: Uint8Array }> = [];
  let recording = true;
  const memo = async (args: Arg[], compute: () => Promise<Uint8Array>) => {
    const hit = calls.find((c) => sameArgs(c.args, args));
    if (hit) return hit.out.slice();
    const out = await compute();
    // Copies: ts-mls may reuse or wipe its arrays, and what is kept here is wiped by `forget`.
    if (recording) calls.push({ args: args.map((a) => (a instanceof Uint8Array ? a.slice() : a)), out: out.slice() });
    return out;
  };
  const wrapped: CiphersuiteImpl = {
    ...impl,
    kdf: { ...impl.kdf, expand: (prk, info, len) => memo([prk, info, len], () => impl.kdf.expand(prk, info, len)) },
    hpke: {
      ...impl.hpke,
      decryptAead: (key, nonce, aad, ct) =>
        memo([key, nonce, aad, ct], () => impl.hpke.decryptAead(key, nonce, aad, ct)),
    },
  };
  return {
    impl: wrapped,
    /** Stops recording: later calls are answered from what was recorded, or computed. */
    stop() {
      recording = false;
    },
    /** Zeroes what was recorded (the sender-data secret, key and nonce among it). */
    forget() {
      for (const c of calls) wipe([c.out, ...c.args.filter((a) => a instanceof Uint8Array)]);
      calls.length = 0;
    },
  };
}

/** The leaf that sent `pm` in the epoch it names (current or retained), or undefined. */
async function senderOf(
  ctx: { impl: CiphersuiteImpl },
  state: ClientState,
  pm: PrivateMessage,
): Promise<{ leaf: number; tree: RatchetTree } | undefined> {
  const current = pm.epoch === state.groupContext.epoch;
  const old = current ? undefined : state.historicalReceiverData.get(pm.epoch);
  const secret = current ? state.keySchedule.senderDataSecret : old?.senderDataSecret;
  const tree = current ? state.ratchetTree : old?.ratchetTree;
  if (!secret || !tree) return undefined;
  try {
    const data = await decryptSenderData(pm, secret, ctx.impl);
    return data ? { leaf: data.leafIndex, tree } : undefined;
  } catch {
    return undefined;
  }
}

/** A commit as sequencing sees it, read against the state it claims to be made on. */
export async function commitRef(ctx: MlsContext, group: Group, bytes: Uint8Array): Promise<CommitRef | Refusal> {
  const pm = privateMessageOf(bytes);
  if (isRefusal(pm)) return pm;
  return refOf(ctx, group, pm, bytes, viewOf(group.state));
}

async function refOf(
  ctx: MlsContext,
  group: Group,
  pm: PrivateMessage,
  bytes: Uint8Array,
  view: GroupView,
): Promise<CommitRef | Refusal> {
  if (pm.contentType !== 'commit') return { ok: false, code: 'not-a-commit', reason: 'not a commit' };
  if (pm.epoch !== group.state.groupContext.epoch)
    return { ok: false, code: 'commit-epoch', reason: 'the commit is for another epoch of this state' };
  const sender = await senderOf(ctx, group.state, pm);
  const did = sender === undefined ? undefined : view.leaves.get(sender.leaf);
  if (did === undefined) return { ok: false, code: 'not-a-member', reason: 'the commit’s sender is no member' };
  const role = roleOf(view.descriptor.descriptor, did);
  return { id: bytesToHex(sha256(bytes)), epoch: epochOf(group.state), parent: tagOf(group.state), rank: RANK[role] };
}

/**
 * Processes one MLS message on `group`. `now` marks application senders whose binding has expired;
 * commits are judged at their own time (their authenticated data), never at `now`.
 */
export async function receive(ctx: MlsContext, group: Group, bytes: Uint8Array, now: number): Promise<Incoming> {
  const pm = privateMessageOf(bytes);
  if (isRefusal(pm)) return refused(group, pm.code, pm.reason);
  if (pm.contentType === 'proposal')
    return refused(group, 'proposal-by-reference', 'proposals travel inside commits in communities');
  if (pm.contentType === 'commit') return receiveCommit(ctx, group, pm, bytes);
  const calls = remembering(ctx.impl);
  try {
    return await receiveApplication(calls, group, pm, now);
  } finally {
    calls.forget();
  }
}

/** An application message: its sender read and checked first (the sender data decrypted once). */
async function receiveApplication(
  calls: ReturnType<typeof remembering>,
  group: Group,
  pm: PrivateMessage,
  now: number,
): Promise<Incoming> {
  const sender = await senderOf(calls, group.state, pm);
  calls.stop();
  const leaf = sender?.tree[sender.leaf * 2];
  if (!sender || leaf?.nodeType !== 'leaf') return refused(group, 'not-a-member', 'no member sent this message');
  const binding = leafBinding(leaf.leaf);
  // A message under an old epoch from a key that is no longer in the group was sent after the
  // removal as easily as before it: refused (docs §9, removal).
  const key = bytesToHex(leaf.leaf.signaturePublicKey);
  const current = memberAt(group.state, sender.leaf);
  const stillIn = current?.binding.key === key ? current : undefined;
  if (!binding || !stillIn) return refused(group, 'sender-removed', 'the sender is no longer a member');
  try {
    // The sender data is read from `calls`' memory, the rest (ratchet, content, signature) computed.
    const result = await processPrivateMessage(group.state, pm, emptyPskIndex, calls.impl);
    if (result.kind !== 'applicationMessage')
      return refused({ state: result.newState }, 'mls-invalid', 'not an application message');
    wipe(result.consumed);
    const plaintext = result.message;
    const bindingExpired = now < binding.notBefore || now > binding.notAfter;
    return {
      kind: 'message',
      group: { state: result.newState },
      sender: { ...stillIn, bindingExpired },
      plaintext,
      epoch: Number(pm.epoch),
    };
  } catch (err) {
    return refused(group, 'mls-invalid', (err as Error).message);
  }
}

async function receiveCommit(ctx: MlsContext, group: Group, pm: PrivateMessage, bytes: Uint8Array): Promise<Incoming> {
  const aad = decodeCanonical(pm.authenticatedData, CommitAad, 64);
  if (!aad) return refused(group, 'commit-format', 'the commit carries no time');
  const view = viewOf(group.state);
  const ref = await refOf(ctx, group, pm, bytes, view);
  if (isRefusal(ref)) return refused(group, ref.code, ref.reason);
  let committer = '';
  let verdict: Verdict | undefined;
  let credentialRefusal: Verdict | undefined;
  const callback = (
    incoming: Parameters<NonNullable<Parameters<typeof processPrivateMessage>[4]>>[0],
  ): IncomingMessageAction => {
    if (incoming.kind === 'proposal') {
      verdict = { ok: false, code: 'proposal-by-reference', reason: 'proposals travel inside commits' };
      return 'reject';
    }
    if (incoming.proposals.some((p) => p.senderLeafIndex !== incoming.senderLeafIndex)) {
      verdict = { ok: false, code: 'proposal-by-reference', reason: 'proposals travel inside commits' };
      return 'reject';
    }
    committer = view.leaves.get(incoming.senderLeafIndex ?? -1) ?? '';
    verdict = authorizeCommit(view, {
      committer: incoming.senderLeafIndex,
      proposals: incoming.proposals.map(viewProposal),
    });
    return verdict.ok ? 'accept' : 'reject';
  };
  const state: ClientState = {
    ...group.state,
    clientConfig: clientConfig(ctx, { kind: 'strict', at: aad.t }, (v) => (credentialRefusal = v)),
  };
  try {
    const result = await processPrivateMessage(state, pm, emptyPskIndex, ctx.impl, callback);
    if (result.kind !== 'newState') return refused(group, 'mls-invalid', 'not a commit');
    const next = { state: { ...result.newState, clientConfig: clientConfig(ctx, { kind: 'membership' }) } };
    if (result.actionTaken === 'reject') {
      const v = verdict && !verdict.ok ? verdict : { code: 'refused', reason: 'refused' };
      return refused(next, v.code, v.reason);
    }
    wipe(result.consumed);
    const removedMe = next.state.groupActiveState.kind === 'removedFromGroup';
    return {
      kind: 'commit',
      group: next,
      ref,
      tag: removedMe ? '' : tagOf(next.state),
      at: aad.t,
      removedMe,
      committer,
    };
  } catch (err) {
    const v = credentialRefusal && !credentialRefusal.ok ? credentialRefusal : undefined;
    return refused(group, v ? v.code : 'mls-invalid', v ? v.reason : (err as Error).message);
  }
}

/** A ts-mls proposal reduced to what authorizeCommit judges. */
function viewProposal(p: ProposalWithSender): ProposalView {
  const proposal = p.proposal;
  switch (proposal.proposalType) {
    case 'add':
      return {
        type: 'add',
        did: leafBinding(proposal.add.keyPackage.leafNode as Parameters<typeof leafBinding>[0])?.did,
      };
    case 'remove':
      return { type: 'remove', leaf: proposal.remove.removed };
    case 'update':
      return { type: 'update' };
    case 'group_context_extensions':
      return { type: 'extensions', ...readExtensions(proposal.groupContextExtensions.extensions) };
    default:
      return { type: 'other', name: String(proposal.proposalType) };
  }
}

export type { GroupView };
