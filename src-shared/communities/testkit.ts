// Test and bench helpers: deterministic identities, devices with bound messaging keys, and a
// community with members already joined. Not used by production code.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { addressOfKey } from '../identity/compact.ts';
import { DEFAULT_BINDING_MS, secretKeySigner, signBinding } from './binding.ts';
import type { IdentitySigner } from './binding.ts';
import { draftDescriptor, signDescriptor } from './descriptor.ts';
import type { Descriptor } from './descriptor.ts';
import { bytesToHex, didOfAddress, utf8ToBytes } from './ids.ts';
import { commit, createGroup, createKeyPackage, joinFromWelcome, newMessagingKey } from './mls.ts';
import type { Group, KeyPackageBundle, MessagingKey, MlsContext } from './mls.ts';

export const T0 = Date.UTC(2026, 0, 1);

export interface TestIdentity {
  name: string;
  did: string;
  secret: Uint8Array;
  signer: IdentitySigner;
}

export function identity(name: string): TestIdentity {
  const secret = sha256(utf8ToBytes(`hashlock test identity ${name}`));
  const did = didOfAddress(addressOfKey(secp256k1.getPublicKey(secret, true)));
  return { name, did, secret, signer: secretKeySigner(did, secret) };
}

export interface TestDevice {
  who: TestIdentity;
  key: MessagingKey;
  bundle: KeyPackageBundle;
}

export async function device(
  ctx: MlsContext,
  who: TestIdentity,
  at = T0,
  validMs = DEFAULT_BINDING_MS,
): Promise<TestDevice> {
  const key = await newMessagingKey(ctx);
  const binding = await signBinding(who.signer, {
    key: bytesToHex(key.publicKey),
    notBefore: at - 1000,
    notAfter: at + validMs,
  });
  return { who, key, bundle: await createKeyPackage(ctx, binding, key) };
}

export const nonceOf = (name: string) => bytesToHex(sha256(utf8ToBytes(`nonce ${name}`))).slice(0, 32);

export async function descriptorFor(owner: TestIdentity, patch: Partial<Parameters<typeof draftDescriptor>[0]> = {}) {
  return signDescriptor(
    owner.signer,
    draftDescriptor({ owner: owner.did, nonce: nonceOf(owner.name), issuedAt: T0, name: 'Test', ...patch }),
  );
}

export async function resign(owner: TestIdentity, d: Descriptor, patch: Partial<Descriptor>) {
  return signDescriptor(owner.signer, { ...d, ...patch, version: d.version + 1 });
}

export interface TestCommunity {
  owner: TestDevice;
  /** Each device's current group, by identity name (owner included). */
  groups: Map<string, Group>;
  devices: Map<string, TestDevice>;
}

/** A community whose owner admitted `others` in one commit; `admins` are named in the descriptor. */
export async function community(
  ctx: MlsContext,
  ownerName: string,
  others: string[],
  admins: string[] = [],
): Promise<TestCommunity> {
  const owner = await device(ctx, identity(ownerName));
  const signed = await descriptorFor(owner.who, { admins: admins.map((n) => identity(n).did) });
  let group = await createGroup(ctx, { descriptor: signed, own: owner.bundle });
  const groups = new Map([[ownerName, group]]);
  const devices = new Map([[ownerName, owner]]);
  if (others.length === 0) return { owner, groups, devices };
  for (const name of others) devices.set(name, await device(ctx, identity(name)));
  const out = await commit(ctx, group, { add: others.map((n) => devices.get(n)!.bundle.publicPackage) }, T0);
  group = out.group;
  groups.set(ownerName, group);
  for (const name of others) groups.set(name, await joinFromWelcome(ctx, out.welcome!, devices.get(name)!.bundle));
  return { owner, groups, devices };
}
