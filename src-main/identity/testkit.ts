// For tests: signed records by throwaway keys, and a registry over an in-memory store with the
// libsecp256k1 verifier (secp-verify.ts), as the module builds it.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { coinsForNetwork } from '../../src-shared/coins/networks.ts';
import { addressOfKey } from '../../src-shared/identity/compact.ts';
import { buildLinkPayload, linkStatement, signStatement, addressForKey } from '../../src-shared/identity/links.ts';
import { buildMetadataPayload } from '../../src-shared/identity/metadata.ts';
import {
  buildProfilePayload,
  buildTombstonePayload,
  didOf,
  type ProfileInput,
} from '../../src-shared/identity/profile.ts';
import { didIsHeaderJson, keySigner, signDidIsJws } from '../../src-shared/identity/verify.ts';
import { openTestStore } from '../core/test-store.ts';
import { chainLookup, linkChainOf } from './chains.ts';
import { createStoredKeyCache } from './native-verify.ts';
import { createSecpVerifier } from './secp-verify.ts';
import { createRegistry } from './registry.ts';
import { createIdentityRepo } from './repo.ts';

const utf8 = new TextEncoder();

export function testIdentity(label: string) {
  const secret = sha256(utf8.encode(`identity test key: ${label}`));
  const signer = keySigner(secret);
  const address = addressOfKey(signer.publicKey);
  const did = didOf(address);
  const sign = (payload: string) => signDidIsJws(didIsHeaderJson(address), payload, signer);
  return {
    secret,
    signer,
    address,
    did,
    sign,
    profile: (iat: number, fields: ProfileInput = { name: `${label} at ${iat}` }) =>
      sign(buildProfilePayload(did, iat, fields)),
    tombstone: (iat: number) => sign(buildTombstonePayload(did, iat)),
    metadata: (iat: number, jwe: string | null) => sign(buildMetadataPayload(did, iat, jwe)),
    domainLink: (iat: number, origin: string) => sign(buildLinkPayload(did, iat, { origin })),
  };
}

export const DEVNET_COINS = coinsForNetwork('devnet');
export const DEVNET_CHAIN = linkChainOf(DEVNET_COINS[0]!);

/** An account link of `who` to a P2PKH address on the devnet chain, signed by that address's key. */
export function accountLink(who: ReturnType<typeof testIdentity>, iat: number, addressLabel = 'wallet') {
  const key = sha256(utf8.encode(`identity test wallet key: ${addressLabel}`));
  const address = addressForKey(DEVNET_CHAIN, secp256k1.getPublicKey(key, true), 'p2pkh');
  const account = `${DEVNET_CHAIN.caip2}:${address}`;
  const signature = signStatement(key, linkStatement(who.did, account, iat), DEVNET_CHAIN, 'p2pkh');
  return {
    account,
    address,
    content: who.sign(buildLinkPayload(who.did, iat, { account, signature }, chainLookup(DEVNET_COINS))),
  };
}

export function testRegistry(now = () => 1_800_000_000_000) {
  const db = openTestStore();
  const repo = createIdentityRepo(db);
  const verifier = createSecpVerifier();
  const keys = createStoredKeyCache((address) => repo.publicKeyOf(`did:is:${address}`));
  const chains = chainLookup(DEVNET_COINS);
  const registry = createRegistry({ repo, verifier, keys, chains, now });
  return { db, repo, registry, verifier, keys, chains };
}
