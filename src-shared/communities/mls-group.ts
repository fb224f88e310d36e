// What the MLS wrapper reads out of a ts-mls group state: the descriptor and roster in the group
// context, who holds each leaf (from its credential binding), the epoch tag, and the client
// configurations that plug the binding check into ts-mls's authentication-service hook.
import {
  decodeMlsMessage,
  defaultCapabilities,
  defaultKeyPackageEqualityConfig,
  defaultKeyRetentionConfig,
  defaultLifetimeConfig,
  getCiphersuiteFromName,
  getCiphersuiteImpl,
} from 'ts-mls';
import type { CiphersuiteImpl, ClientConfig, ClientState, CryptoProvider, Extension, LeafNode } from 'ts-mls';
import { BindingCache, decodeBinding } from './binding.ts';
import type { Binding, BindingMode } from './binding.ts';
import type { GroupView } from './authorize.ts';
import { decodeDescriptor, DESCRIPTOR_EXTENSION, encodeDescriptor } from './descriptor.ts';
import type { SignedDescriptor } from './descriptor.ts';
import { bytesToHex, communityError, deviceOf, Millis, taggedHash } from './ids.ts';
import { z } from 'zod';
import type { Verdict } from './ids.ts';
import { decodeRoster, encodeRoster, ROSTER_EXTENSION } from './roster.ts';
import type { Roster } from './roster.ts';
import { roleOf } from './roles.ts';
import type { Role } from './roles.ts';

export const CIPHERSUITE = 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519' as const;

/** A member's state of one community. Opaque outside this folder: read it through mls.ts. */
export interface Group {
  readonly state: ClientState;
}

/** A commit's authenticated data: its time, against which every member checks new bindings. */
export const CommitAad = z.object({ v: z.literal(1), t: Millis }).strict();

/** One whole MLS message; trailing bytes or anything unreadable is a coded error. */
export function decodeMls(bytes: Uint8Array) {
  let decoded;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch {
    decoded = undefined;
  }
  if (!decoded || decoded[1] !== bytes.length) throw communityError('mls-format', 'not an MLS message');
  return decoded[0];
}

/**
 * Zeroes secrets ts-mls says a call consumed. Its own zeroOutUint8Array draws random bytes first
 * (one crypto.getRandomValues call per secret, ~2% of a catch-up); a plain fill does the same job:
 * JavaScript engines do not drop writes to a typed array.
 */
export function wipe(secrets: readonly Uint8Array[]): void {
  for (const s of secrets) s.fill(0);
}

/** What every MLS call needs: the ciphersuite's primitives and the binding check's cache. */
export interface MlsContext {
  readonly impl: CiphersuiteImpl;
  readonly bindings: BindingCache;
}

export async function createMlsContext(provider?: CryptoProvider): Promise<MlsContext> {
  const impl = await getCiphersuiteImpl(getCiphersuiteFromName(CIPHERSUITE), provider);
  return { impl, bindings: new BindingCache() };
}

/** Our key packages declare the two group-context extensions, as MLS requires of every member. */
export function capabilities() {
  const caps = defaultCapabilities();
  return { ...caps, extensions: [...caps.extensions, DESCRIPTOR_EXTENSION, ROSTER_EXTENSION] };
}

/**
 * A client config whose authentication service checks bindings in `mode`. `onRefuse` hears why a
 * credential was refused, since ts-mls only reports a generic validation error.
 */
export function clientConfig(ctx: MlsContext, mode: BindingMode, onRefuse?: (v: Verdict) => void): ClientConfig {
  return {
    // Gossip may reorder a sender's messages and a member back from a gap reads a long run of one
    // sender: keep more skipped keys and allow longer forward ratchets than the defaults (10, 200).
    keyRetentionConfig: {
      ...defaultKeyRetentionConfig,
      retainKeysForGenerations: 256,
      maximumForwardRatchetSteps: 4096,
    },
    lifetimeConfig: defaultLifetimeConfig,
    keyPackageEqualityConfig: defaultKeyPackageEqualityConfig,
    // Our own padding buckets (envelope.ts) already hide sizes; MLS's would only add to them.
    paddingConfig: { kind: 'padUntilLength', padUntilLength: 0 },
    authService: {
      async validateCredential(credential, signaturePublicKey) {
        if (credential.credentialType !== 'basic') {
          onRefuse?.({ ok: false, code: 'bad-credential', reason: 'only basic credentials carry a binding' });
          return false;
        }
        const verdict = ctx.bindings.check(credential.identity, signaturePublicKey, mode);
        if (!verdict.ok) onRefuse?.(verdict);
        return verdict.ok;
      },
    },
  };
}

export function groupExtensions(descriptor: SignedDescriptor, roster: Roster): Extension[] {
  return [
    { extensionType: DESCRIPTOR_EXTENSION, extensionData: encodeDescriptor(descriptor) },
    { extensionType: ROSTER_EXTENSION, extensionData: encodeRoster(roster) },
  ];
}

export function readExtensions(extensions: readonly Extension[]): {
  descriptor: SignedDescriptor | 'malformed' | undefined;
  roster: Roster | 'malformed' | undefined;
  others: number[];
} {
  let descriptor: SignedDescriptor | 'malformed' | undefined;
  let roster: Roster | 'malformed' | undefined;
  const others: number[] = [];
  for (const e of extensions) {
    if (e.extensionType === DESCRIPTOR_EXTENSION && descriptor === undefined)
      descriptor = remember(e.extensionData, decodeDescriptor) ?? 'malformed';
    else if (e.extensionType === ROSTER_EXTENSION && roster === undefined)
      roster = remember(e.extensionData, decodeRoster) ?? 'malformed';
    else others.push(typeof e.extensionType === 'number' ? e.extensionType : -1);
  }
  return { descriptor, roster, others };
}

/** Parsed values by their bytes: states share unchanged bytes, and a weak map forgets them with the states. */
const parsed = new WeakMap<Uint8Array, unknown>();
function remember<T>(bytes: Uint8Array, parse: (b: Uint8Array) => T | undefined): T | undefined {
  if (!parsed.has(bytes)) parsed.set(bytes, parse(bytes) ?? null);
  return (parsed.get(bytes) as T | null) ?? undefined;
}

export interface Member {
  leaf: number;
  did: string;
  device: string;
  binding: Binding;
  role: Role;
}

export function leafBinding(leaf: LeafNode): Binding | undefined {
  return leaf.credential.credentialType === 'basic' ? remember(leaf.credential.identity, decodeBinding) : undefined;
}

/** The group's descriptor and roster; a state without them was never a community (refused on join). */
export function contextOf(state: ClientState): { descriptor: SignedDescriptor; roster: Roster } {
  const { descriptor, roster } = readExtensions(state.groupContext.extensions);
  if (typeof descriptor !== 'object' || typeof roster !== 'object')
    throw communityError('not-a-community', 'the group carries no valid descriptor and roster');
  return { descriptor, roster };
}

export function membersOf(state: ClientState, tree = state.ratchetTree): Member[] {
  const { descriptor } = contextOf(state);
  const out: Member[] = [];
  for (let i = 0; i < tree.length; i += 2) {
    const m = memberFrom(tree, i / 2, descriptor);
    if (m) out.push(m);
  }
  return out;
}

/** The member at one leaf of `tree`, as membersOf names it: one leaf read, not the whole tree (each received message). */
export function memberAt(state: ClientState, leaf: number, tree = state.ratchetTree): Member | undefined {
  return memberFrom(tree, leaf, contextOf(state).descriptor);
}

function memberFrom(tree: ClientState['ratchetTree'], leaf: number, descriptor: SignedDescriptor): Member | undefined {
  const node = tree[leaf * 2];
  if (node?.nodeType !== 'leaf') return undefined;
  const binding = leafBinding(node.leaf);
  if (!binding) return undefined;
  return {
    leaf,
    did: binding.did,
    device: deviceOf(node.leaf.signaturePublicKey),
    binding,
    role: roleOf(descriptor.descriptor, binding.did),
  };
}

export function viewOf(state: ClientState): GroupView {
  const { descriptor, roster } = contextOf(state);
  return { descriptor, roster, leaves: new Map(membersOf(state).map((m) => [m.leaf, m.did])) };
}

/** A state's tag: one per branch and epoch, and says nothing about the epoch's secrets. */
export function tagOf(state: ClientState): string {
  return bytesToHex(taggedHash('communities.epoch', state.keySchedule.epochAuthenticator)).slice(0, 32);
}

export function epochOf(state: ClientState): number {
  return Number(state.groupContext.epoch);
}
