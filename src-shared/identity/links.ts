// Two-way links between a DID and a Bitcoin-family address (or a web origin): the address's key
// signs a statement naming the DID (BIP137 signmessage), the DID signs the link record back.
// Either side revokes. Account ids are CAIP-10 (`bip122:<genesis prefix>:<address>`).
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { base64, bech32, createBase58check } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { messageDigest, verifySignedMessage, decodeAddress as decodeCoinAddress } from '../orders/index.ts';
import { hash160 } from './compact.ts';
import { fail } from './errors.ts';
import { jsonInOrder } from './jws.ts';
import { checkIat, checkState, STATE_ACTIVE, STATE_DELETED } from './profile.ts';
import { addressOfDid } from './verify.ts';

export const LINK_TYPE = 'identity-link';
export const LINK_REVOCATION_TYPE = 'identity-link-revocation';
export const MAX_LINK_REVOCATION_CHARS = 1024;

/** A chain whose addresses can be linked: its CAIP-2 id and what its addresses and signed messages look like. */
export interface LinkChain {
  readonly caip2: string;
  readonly name: string;
  readonly family: 'bitcoin' | 'litecoin';
  readonly bech32: string;
  readonly pubKeyHash: number;
  readonly scriptHash: number;
}

/** Genesis-hash prefixes (CAIP-2 bip122). Regtest chains share one genesis per family. */
export const KNOWN_CHAINS: readonly LinkChain[] = [
  {
    caip2: 'bip122:000000000019d6689c085ae165831e93',
    name: 'Bitcoin',
    family: 'bitcoin',
    bech32: 'bc',
    pubKeyHash: 0x00,
    scriptHash: 0x05,
  },
  {
    caip2: 'bip122:000000000933ea01ad0ee984209779ba',
    name: 'Bitcoin testnet3',
    family: 'bitcoin',
    bech32: 'tb',
    pubKeyHash: 0x6f,
    scriptHash: 0xc4,
  },
  {
    caip2: 'bip122:12a765e31ffd4059bada1e25190f6e98',
    name: 'Litecoin',
    family: 'litecoin',
    bech32: 'ltc',
    pubKeyHash: 0x30,
    scriptHash: 0x32,
  },
  {
    caip2: 'bip122:530827f38f93b43ed12af0b3ad25a288',
    name: 'Litecoin regtest',
    family: 'litecoin',
    bech32: 'rltc',
    pubKeyHash: 0x6f,
    scriptHash: 0x3a,
  },
];

export type ChainLookup = (caip2: string) => LinkChain | undefined;
export const knownChain: ChainLookup = (caip2) => KNOWN_CHAINS.find((c) => c.caip2 === caip2);

const CAIP10 = /^(bip122:[0-9a-f]{32}):([A-Za-z0-9]{14,90})$/;

export interface Account {
  readonly id: string;
  readonly chain: LinkChain;
  readonly address: string;
}

/** A CAIP-10 account id on a chain we know, whose address is one its keys can sign for. */
export function parseAccountId(id: unknown, chains: ChainLookup = knownChain): Account {
  const m = typeof id === 'string' ? CAIP10.exec(id) : null;
  if (!m) fail('LINK_INVALID', 'account is not a CAIP-10 bip122:<32 hex>:<address> id');
  const chain = chains(m[1]!);
  if (!chain) fail('LINK_CHAIN_UNKNOWN', `chain ${m[1]} is not one this node links`);
  const decoded = decodeCoinAddress(m[2]!, chain);
  if (!decoded || decoded.kind === 'p2wsh' || decoded.kind === 'p2tr') {
    fail('LINK_INVALID', `${m[2]} is not a single-key address on ${chain.name}`);
  }
  return { id: m[0], chain, address: m[2]! };
}

/** `https://host[:port]` exactly as URL.origin spells it. */
export function checkOrigin(origin: unknown): string {
  if (typeof origin !== 'string' || origin.length > 253 + 14 || !URL.canParse(origin)) {
    fail('LINK_INVALID', 'origin is not an https origin');
  }
  const url = new URL(origin);
  if (url.protocol !== 'https:' || url.origin !== origin) fail('LINK_INVALID', `${origin} is not an https origin`);
  return origin;
}

/** The text the address's key signs (BIP137), naming the DID, the account and the record's iat. */
export function linkStatement(did: string, accountId: string, iat: number, revoked = false): string {
  const title = revoked ? 'hashlock identity link revoked v1' : 'hashlock identity link v1';
  return `${title}\ndid: ${did}\naccount: ${accountId}\niat: ${iat}`;
}

export type SingleKeyAddressType = 'p2pkh' | 'p2pkh-uncompressed' | 'p2sh-p2wpkh' | 'p2wpkh';
const HEADER_BASE: Record<SingleKeyAddressType, number> = {
  'p2pkh-uncompressed': 27,
  p2pkh: 31,
  'p2sh-p2wpkh': 35,
  p2wpkh: 39,
};

/** The address of `publicKey` (33 bytes, or 65 for uncompressed P2PKH) on `chain`. */
export function addressForKey(chain: LinkChain, publicKey: Uint8Array, type: SingleKeyAddressType): string {
  const b58 = createBase58check(sha256);
  const keyHash = hash160(publicKey);
  if (type === 'p2wpkh') return bech32.encode(chain.bech32, [0, ...bech32.toWords(keyHash)]);
  if (type === 'p2sh-p2wpkh') {
    return b58.encode(
      concatBytes(Uint8Array.of(chain.scriptHash), hash160(concatBytes(Uint8Array.of(0, 20), keyHash))),
    );
  }
  return b58.encode(concatBytes(Uint8Array.of(chain.pubKeyHash), keyHash));
}

/** BIP137 signmessage with the header flag of the address type: for tests and tools (wallets sign for real). */
export function signStatement(
  secretKey: Uint8Array,
  statement: string,
  chain: LinkChain,
  type: SingleKeyAddressType,
): string {
  const digest = messageDigest(new TextEncoder().encode(statement), chain.family);
  const rec = secp256k1.sign(digest, secretKey, { prehash: false, format: 'recovered' });
  const out = Uint8Array.from(rec);
  out[0] = HEADER_BASE[type] + rec[0]!;
  return base64.encode(out);
}

export function verifyStatement(statement: string, signature: unknown, account: Account): boolean {
  if (typeof signature !== 'string' || signature.length !== 88) return false;
  return verifySignedMessage(account.address, signature, new TextEncoder().encode(statement), account.chain);
}

export interface LinkPayload {
  identifier: string;
  iat: number;
  '@type': typeof LINK_TYPE;
  '@state': 0 | 999;
  account: string | null;
  origin: string | null;
  signature: string | null;
}

const LINK_MEMBERS = new Set(['identifier', 'iat', '@type', '@state', 'account', 'origin', 'signature']);

/** The link's target: its slot within the DID. */
export function linkTarget(p: Pick<LinkPayload, 'account' | 'origin'>): string {
  return (p.account ?? p.origin)!;
}

/** A received link payload: shape, exactly one target, and the address's proof for active account links. */
export function checkLinkPayload(payload: Record<string, unknown>, chains: ChainLookup = knownChain): LinkPayload {
  for (const key of Object.keys(payload)) {
    if (!LINK_MEMBERS.has(key)) fail('FIELD_UNKNOWN', `link member "${key.slice(0, 32)}" is not allowed`);
  }
  const did = payload.identifier;
  if (addressOfDid(did) === undefined) fail('IDENTIFIER_INVALID', 'identifier is not a did:is DID');
  const iat = checkIat(payload.iat);
  const state = checkState(payload['@state']);
  const { account, origin, signature } = payload;
  if ((account == null) === (origin == null)) fail('LINK_INVALID', 'a link names exactly one of account and origin');
  if (origin != null) {
    checkOrigin(origin);
    if (signature != null) fail('LINK_INVALID', 'a domain link carries no signature (the domain proves itself)');
  } else {
    const parsed = parseAccountId(account, chains);
    if (state === STATE_DELETED) {
      if (signature != null) fail('TOMBSTONE_NOT_EMPTY', 'a removed link carries no signature');
    } else if (!verifyStatement(linkStatement(did as string, parsed.id, iat), signature, parsed)) {
      fail('LINK_PROOF_INVALID', `the signature is not ${parsed.address}'s signature of the link statement`);
    }
  }
  return {
    identifier: did as string,
    iat,
    '@type': LINK_TYPE,
    '@state': state,
    account: (account as string | null | undefined) ?? null,
    origin: (origin as string | null | undefined) ?? null,
    signature: (signature as string | null | undefined) ?? null,
  };
}

export type LinkTargetInput = { account: string; signature: string } | { origin: string };

export function buildLinkPayload(did: string, iat: number, target: LinkTargetInput, chains = knownChain): string {
  const account = 'account' in target ? target.account : null;
  const payload = jsonInOrder([
    ['identifier', did],
    ['iat', iat],
    ['@type', LINK_TYPE],
    ['@state', STATE_ACTIVE],
    ['account', account],
    ['origin', 'origin' in target ? target.origin : null],
    ['signature', 'signature' in target ? target.signature : null],
  ]);
  checkLinkPayload(JSON.parse(payload) as Record<string, unknown>, chains);
  return payload;
}

export function buildLinkTombstonePayload(did: string, iat: number, target: { account: string } | { origin: string }) {
  return jsonInOrder([
    ['identifier', did],
    ['iat', iat],
    ['@type', LINK_TYPE],
    ['@state', STATE_DELETED],
    ['account', 'account' in target ? target.account : null],
    ['origin', 'origin' in target ? target.origin : null],
    ['signature', null],
  ]);
}

export interface LinkRevocation {
  '@type': typeof LINK_REVOCATION_TYPE;
  identifier: string;
  account: string;
  iat: number;
  signature: string;
}

/** The record an address publishes to disown a DID: JSON, signed by the address (BIP137). */
export function buildLinkRevocation(did: string, accountId: string, iat: number, signature: string): string {
  return jsonInOrder([
    ['@type', LINK_REVOCATION_TYPE],
    ['identifier', did],
    ['account', accountId],
    ['iat', iat],
    ['signature', signature],
  ]);
}

export function checkLinkRevocation(value: Record<string, unknown>, chains: ChainLookup = knownChain): LinkRevocation {
  const keys = Object.keys(value);
  if (keys.length !== 5 || keys.some((k) => !['@type', 'identifier', 'account', 'iat', 'signature'].includes(k))) {
    fail('LINK_INVALID', 'a link revocation has exactly @type, identifier, account, iat and signature');
  }
  if (value['@type'] !== LINK_REVOCATION_TYPE) fail('TYPE_UNKNOWN', 'not a link revocation');
  if (addressOfDid(value.identifier) === undefined) fail('IDENTIFIER_INVALID', 'identifier is not a did:is DID');
  const iat = checkIat(value.iat);
  const account = parseAccountId(value.account, chains);
  const statement = linkStatement(value.identifier as string, account.id, iat, true);
  if (!verifyStatement(statement, value.signature, account)) {
    fail('LINK_PROOF_INVALID', `the signature is not ${account.address}'s signature of the revocation`);
  }
  return value as unknown as LinkRevocation;
}
