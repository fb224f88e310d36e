// Writes src-shared/identity/fixtures/profiles.json: did:is profile records, valid and invalid, each
// invalid one naming the reason it must be refused with. Keys are fixed (SHA-256 of a label) and
// noble signs deterministically (RFC 6979), so running this again gives the same file.
//   node scripts/identity-fixtures.ts
import { writeFileSync } from 'node:fs';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { addressOfKey } from '../src-shared/identity/compact.ts';
import { b64urlFromBytes, b64urlFromText, b64urlToBytes } from '../src-shared/identity/jws.ts';
import { buildProfilePayload, buildTombstonePayload, didOf } from '../src-shared/identity/profile.ts';
import { didIsHeaderJson, keySigner, signDidIsJws } from '../src-shared/identity/verify.ts';
import {
  KNOWN_CHAINS,
  addressForKey,
  buildLinkRevocation,
  linkStatement,
  signStatement,
  type LinkChain,
  type SingleKeyAddressType,
} from '../src-shared/identity/links.ts';
import vectors from '../src-shared/identity/fixtures/did-is-vectors.json' with { type: 'json' };

const key = (label: string) => sha256(new TextEncoder().encode(label));
const alice = keySigner(key('hashlock identity fixture: alice'));
const bob = keySigner(key('hashlock identity fixture: bob'));
const A = addressOfKey(alice.publicKey);
const B = addressOfKey(bob.publicKey);
const IAT = 1_750_000_000_000;
const header = didIsHeaderJson(A);
const sign = (payload: string, h = header, signer = alice) => signDidIsJws(h, payload, signer);
const json = (o: Record<string, unknown>) => JSON.stringify(o);
const base = { identifier: didOf(A), iat: IAT, '@type': 'identity', '@state': 0 };

function replaceSig(jws: string, edit: (sig: Uint8Array) => Uint8Array): string {
  const [h, p, s] = jws.split('.') as [string, string, string];
  return `${h}.${p}.${b64urlFromBytes(edit(b64urlToBytes(s)!))}`;
}

function highS(sig: Uint8Array): Uint8Array {
  const s = secp256k1.Signature.fromBytes(sig.subarray(1), 'compact');
  const twin = new secp256k1.Signature(s.r, secp256k1.Point.CURVE().n - s.s);
  const out = new Uint8Array(65);
  out[0] = 31 + ((sig[0]! - 31) ^ 1);
  out.set(twin.toBytes('compact'), 1);
  return out;
}

const full = sign(
  buildProfilePayload(didOf(A), IAT, {
    name: 'Alice Example',
    shortname: 'alice',
    alias: 'al',
    title: 'Market maker',
    email: 'alice@example.com',
    url: 'https://alice.example',
    image: 'https://alice.example/logo.png',
    hubs: ['hub.example'],
  }),
);
const good = sign(buildProfilePayload(didOf(A), IAT, { name: 'Alice' }));
const [gh, gp] = good.split('.') as [string, string, string];

const valid = [
  ...vectors.valid.map((v) => ({ name: v.name, jws: v.jws, address: v.kid, state: 0 })),
  { name: 'our profile with every field', jws: full, address: A, state: 0 },
  {
    name: 'inline png image',
    jws: sign(buildProfilePayload(didOf(A), IAT, { image: 'data:image/png;base64,iVBORw0KGgo=' })),
    address: A,
    state: 0,
  },
  { name: 'tombstone', jws: sign(buildTombstonePayload(didOf(A), IAT + 1)), address: A, state: 999 },
  {
    name: 'members in another order, optional ones missing',
    jws: sign(json({ name: 'Alice', '@state': 0, iat: IAT, identifier: didOf(A) })),
    address: A,
    state: 0,
  },
  { name: 'typ left out of the header', jws: sign(json(base), json({ alg: 'ES256K', kid: A })), address: A, state: 0 },
];

const invalid: Array<{ name: string; jws: string; reason: string }> = [
  { name: 'two parts', jws: `${gh}.${gp}`, reason: 'JWS_MALFORMED' },
  { name: 'padding in a part', jws: `${gh}=.${gp}.${good.split('.')[2]}`, reason: 'JWS_MALFORMED' },
  { name: 'base64 with + and /', jws: good.replace(/-/g, '+').replace(/_/g, '/') + '+/', reason: 'JWS_MALFORMED' },
  { name: 'empty payload', jws: `${gh}..${good.split('.')[2]}`, reason: 'JWS_MALFORMED' },
  {
    name: 'over 32 KiB',
    jws: sign(json({ ...base, name: 'x'.repeat(33_000) })),
    reason: 'JWS_TOO_LARGE',
  },
  { name: 'header not JSON', jws: sign(json(base), 'not json'), reason: 'HEADER_INVALID' },
  {
    name: 'header with jku',
    jws: sign(json(base), json({ alg: 'ES256K', typ: 'JWT', kid: A, jku: 'https://x' })),
    reason: 'HEADER_INVALID',
  },
  { name: 'typ JOSE', jws: sign(json(base), json({ alg: 'ES256K', typ: 'JOSE', kid: A })), reason: 'HEADER_INVALID' },
  { name: 'alg none', jws: sign(json(base), json({ alg: 'none', typ: 'JWT', kid: A })), reason: 'ALG_UNSUPPORTED' },
  { name: 'alg ES256', jws: sign(json(base), json({ alg: 'ES256', typ: 'JWT', kid: A })), reason: 'ALG_UNSUPPORTED' },
  { name: 'alg HS256', jws: sign(json(base), json({ alg: 'HS256', typ: 'JWT', kid: A })), reason: 'ALG_UNSUPPORTED' },
  {
    name: 'kid with a bad checksum',
    jws: sign(json(base), didIsHeaderJson(A.slice(0, -1) + (A.endsWith('a') ? 'b' : 'a'))),
    reason: 'KID_INVALID',
  },
  { name: 'kid as a DID URL', jws: sign(json(base), didIsHeaderJson(`${didOf(A)}#key-1`)), reason: 'KID_INVALID' },
  {
    name: 'kid of bob, signed by alice',
    jws: sign(json({ ...base, identifier: didOf(B) }), didIsHeaderJson(B)),
    reason: 'SIGNATURE_WRONG_KEY',
  },
  {
    name: 'identifier of bob, kid and key of alice',
    jws: sign(json({ ...base, identifier: didOf(B) })),
    reason: 'KID_MISMATCH',
  },
  {
    name: 'identifier of another method',
    jws: sign(json({ ...base, identifier: `did:web:${A}` })),
    reason: 'KID_MISMATCH',
  },
  {
    name: 'payload edited after signing',
    jws: `${gh}.${b64urlFromText(json({ ...base, name: 'Mallory' }))}.${good.split('.')[2]}`,
    reason: 'SIGNATURE_WRONG_KEY',
  },
  { name: '64-byte signature', jws: replaceSig(good, (s) => s.subarray(1)), reason: 'SIGNATURE_MALFORMED' },
  {
    name: 'uncompressed-key header byte',
    jws: replaceSig(good, (s) => Uint8Array.from([27 + ((s[0]! - 31) & 3), ...s.subarray(1)])),
    reason: 'SIGNATURE_MALFORMED',
  },
  {
    name: 'r = 0',
    jws: replaceSig(good, (s) => Uint8Array.from([s[0]!, ...new Uint8Array(32), ...s.subarray(33)])),
    reason: 'SIGNATURE_MALFORMED',
  },
  { name: 'high-S twin', jws: replaceSig(good, highS), reason: 'SIGNATURE_HIGH_S' },
  { name: 'payload not JSON', jws: sign('hello'), reason: 'PAYLOAD_NOT_JSON' },
  { name: 'payload a JSON array', jws: sign('[1,2]'), reason: 'PAYLOAD_NOT_JSON' },
  {
    name: 'duplicate member',
    jws: sign(`{"identifier":"${didOf(A)}","iat":${IAT},"name":"a","name":"b"}`),
    reason: 'PAYLOAD_NOT_JSON',
  },
  { name: '@type person', jws: sign(json({ ...base, '@type': 'person' })), reason: 'TYPE_UNKNOWN' },
  { name: '@state 1', jws: sign(json({ ...base, '@state': 1 })), reason: 'STATE_UNKNOWN' },
  { name: '@state "0"', jws: sign(json({ ...base, '@state': '0' })), reason: 'STATE_UNKNOWN' },
  { name: 'name of 513 characters', jws: sign(json({ ...base, name: 'n'.repeat(513) })), reason: 'FIELD_TOO_LONG' },
  { name: 'shortname of 65', jws: sign(json({ ...base, shortname: 's'.repeat(65) })), reason: 'FIELD_TOO_LONG' },
  { name: 'alias of 65', jws: sign(json({ ...base, alias: 'a'.repeat(65) })), reason: 'FIELD_TOO_LONG' },
  { name: 'title of 256', jws: sign(json({ ...base, title: 't'.repeat(256) })), reason: 'FIELD_TOO_LONG' },
  {
    name: 'email of 256',
    jws: sign(json({ ...base, email: `${'e'.repeat(244)}@example.com` })),
    reason: 'FIELD_TOO_LONG',
  },
  {
    name: 'url of 2001',
    jws: sign(json({ ...base, url: `https://x.example/${'u'.repeat(1983)}` })),
    reason: 'FIELD_TOO_LONG',
  },
  { name: 'four hubs', jws: sign(json({ ...base, hubs: ['a', 'b', 'c', 'd'] })), reason: 'HUBS_TOO_MANY' },
  { name: 'hubs not an array', jws: sign(json({ ...base, hubs: 'a' })), reason: 'FIELD_INVALID' },
  { name: 'name a number', jws: sign(json({ ...base, name: 7 })), reason: 'FIELD_INVALID' },
  { name: 'image javascript:', jws: sign(json({ ...base, image: 'javascript:alert(1)' })), reason: 'IMAGE_INVALID' },
  {
    name: 'image svg data',
    jws: sign(json({ ...base, image: 'data:image/svg+xml;base64,PHN2Zz4=' })),
    reason: 'IMAGE_INVALID',
  },
  { name: 'image file:', jws: sign(json({ ...base, image: 'file:///etc/passwd' })), reason: 'IMAGE_INVALID' },
  { name: 'unknown member', jws: sign(json({ ...base, bio: 'hi' })), reason: 'FIELD_UNKNOWN' },
  {
    name: 'tombstone with a name',
    jws: sign(json({ ...base, '@state': 999, name: 'still here' })),
    reason: 'TOMBSTONE_NOT_EMPTY',
  },
  { name: 'iat missing', jws: sign(json({ identifier: didOf(A), '@type': 'identity' })), reason: 'IAT_INVALID' },
  { name: 'iat negative', jws: sign(json({ ...base, iat: -1 })), reason: 'IAT_INVALID' },
  { name: 'iat fractional', jws: sign(json({ ...base, iat: 1.5 })), reason: 'IAT_INVALID' },
  { name: 'iat a string', jws: sign(json({ ...base, iat: String(IAT) })), reason: 'IAT_INVALID' },
  { name: 'iat over 2^53', jws: sign(`{"identifier":"${didOf(A)}","iat":9007199254740993}`), reason: 'IAT_INVALID' },
];

const out = {
  _comment:
    'did:is v0.0.1 profile records: valid ones verify, each invalid one is refused with its reason. Made by scripts/identity-fixtures.ts; alice and bob are SHA-256 of their labels there.',
  addresses: { alice: A, bob: B },
  valid,
  invalid,
};
write('profiles.json', out);

// ---- links: the address's key (wallet) signs the statement, alice's DID signs the record ----
const wallet = key('hashlock identity fixture: wallet');
const walletPub = secp256k1.getPublicKey(wallet, true);
const btc = KNOWN_CHAINS.find((c) => c.name === 'Bitcoin')!;
const ltc = KNOWN_CHAINS.find((c) => c.name === 'Litecoin')!;
const account = (chain: LinkChain, type: SingleKeyAddressType) =>
  `${chain.caip2}:${addressForKey(chain, type === 'p2pkh-uncompressed' ? secp256k1.getPublicKey(wallet, false) : walletPub, type)}`;
const linkPayload = (acct: string | null, iat: number, signature: string | null, extra: Record<string, unknown> = {}) =>
  json({
    identifier: didOf(A),
    iat,
    '@type': 'identity-link',
    '@state': 0,
    account: acct,
    origin: null,
    signature,
    ...extra,
  });
function link(chain: LinkChain, type: SingleKeyAddressType, iat = IAT, statementDid = didOf(A), statementIat = iat) {
  const acct = account(chain, type);
  return sign(
    linkPayload(acct, iat, signStatement(wallet, linkStatement(statementDid, acct, statementIat), chain, type)),
  );
}
const ltcAccount = account(ltc, 'p2wpkh');
const links = {
  _comment:
    'Link records (did:is JWS by alice, proof by the wallet key via BIP137) and link revocations (JSON by the wallet). Made by scripts/identity-fixtures.ts.',
  valid: [
    { name: 'Bitcoin P2PKH, compressed key', content: link(btc, 'p2pkh'), tombstone: false },
    { name: 'Bitcoin P2PKH, uncompressed key', content: link(btc, 'p2pkh-uncompressed'), tombstone: false },
    { name: 'Bitcoin P2SH-P2WPKH', content: link(btc, 'p2sh-p2wpkh'), tombstone: false },
    { name: 'Litecoin P2WPKH', content: link(ltc, 'p2wpkh'), tombstone: false },
    {
      name: 'domain link',
      content: sign(
        json({
          identifier: didOf(A),
          iat: IAT,
          '@type': 'identity-link',
          '@state': 0,
          account: null,
          origin: 'https://alice.example',
          signature: null,
        }),
      ),
      tombstone: false,
    },
    {
      name: 'link removed by the DID',
      content: sign(
        json({
          identifier: didOf(A),
          iat: IAT + 1,
          '@type': 'identity-link',
          '@state': 999,
          account: ltcAccount,
          origin: null,
          signature: null,
        }),
      ),
      tombstone: true,
    },
    {
      name: 'link revoked by the address',
      content: buildLinkRevocation(
        didOf(A),
        ltcAccount,
        IAT + 2,
        signStatement(wallet, linkStatement(didOf(A), ltcAccount, IAT + 2, true), ltc, 'p2wpkh'),
      ),
      tombstone: true,
    },
  ],
  invalid: [
    {
      name: 'statement signed by another key',
      content: sign(
        linkPayload(
          ltcAccount,
          IAT,
          signStatement(key('someone else'), linkStatement(didOf(A), ltcAccount, IAT), ltc, 'p2wpkh'),
        ),
      ),
      reason: 'LINK_PROOF_INVALID',
    },
    { name: 'statement naming another DID', content: link(ltc, 'p2wpkh', IAT, didOf(B)), reason: 'LINK_PROOF_INVALID' },
    {
      name: 'statement of an older iat replayed',
      content: link(ltc, 'p2wpkh', IAT + 5, didOf(A), IAT),
      reason: 'LINK_PROOF_INVALID',
    },
    {
      name: 'Bitcoin magic used for a Litecoin address',
      content: sign(
        linkPayload(
          ltcAccount,
          IAT,
          signStatement(wallet, linkStatement(didOf(A), ltcAccount, IAT), { ...ltc, family: 'bitcoin' }, 'p2wpkh'),
        ),
      ),
      reason: 'LINK_PROOF_INVALID',
    },
    {
      name: 'unknown chain',
      content: sign(linkPayload(`bip122:${'ab'.repeat(16)}:${ltcAccount.split(':')[2]}`, IAT, 'x')),
      reason: 'LINK_CHAIN_UNKNOWN',
    },
    {
      name: 'address of another chain',
      content: sign(linkPayload(`${btc.caip2}:${ltcAccount.split(':')[2]}`, IAT, 'x')),
      reason: 'LINK_INVALID',
    },
    {
      name: 'account and origin both',
      content: sign(linkPayload(ltcAccount, IAT, null, { origin: 'https://alice.example' })),
      reason: 'LINK_INVALID',
    },
    {
      name: 'http origin',
      content: sign(linkPayload(null, IAT, null, { origin: 'http://alice.example' })),
      reason: 'LINK_INVALID',
    },
    {
      name: 'origin with a path',
      content: sign(linkPayload(null, IAT, null, { origin: 'https://alice.example/x' })),
      reason: 'LINK_INVALID',
    },
    {
      name: 'removed link still carrying a signature',
      content: sign(linkPayload(ltcAccount, IAT, 'x', { '@state': 999 })),
      reason: 'TOMBSTONE_NOT_EMPTY',
    },
    {
      name: 'revocation signed by another key',
      content: buildLinkRevocation(
        didOf(A),
        ltcAccount,
        IAT + 2,
        signStatement(key('someone else'), linkStatement(didOf(A), ltcAccount, IAT + 2, true), ltc, 'p2wpkh'),
      ),
      reason: 'LINK_PROOF_INVALID',
    },
    {
      name: 'revocation using the link statement (not the revoke one)',
      content: buildLinkRevocation(
        didOf(A),
        ltcAccount,
        IAT,
        signStatement(wallet, linkStatement(didOf(A), ltcAccount, IAT), ltc, 'p2wpkh'),
      ),
      reason: 'LINK_PROOF_INVALID',
    },
  ],
};
write('links.json', links);

function write(name: string, value: unknown) {
  const path = new URL(`../src-shared/identity/fixtures/${name}`, import.meta.url);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  console.log(`wrote ${path.pathname}`);
}
