// Writes src-shared/registry/fixtures/statements.json: registry statements, valid and invalid, each
// invalid one naming the reason it must be refused with (docs/registry.md §9). Keys are fixed
// (SHA-256 of a label) and noble signs deterministically, so running this again gives the same file.
//   node scripts/registry-fixtures.ts
import { writeFileSync } from 'node:fs';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { addressOfKey } from '../src-shared/identity/compact.ts';
import { b64urlFromText } from '../src-shared/identity/jws.ts';
import { didIsHeaderJson, keySigner, signDidIsJws } from '../src-shared/identity/verify.ts';
import { canonicalJson } from '../src-shared/protocol/canonical.ts';
import { signStatement, verifyStatement, type StatementSigner } from '../src-shared/registry/statements.ts';

const key = (label: string) => sha256(new TextEncoder().encode(label));
const person = (label: string) => {
  const s = keySigner(key(`hashlock registry fixture: ${label}`));
  const address = addressOfKey(s.publicKey);
  return {
    address,
    did: `did:is:${address}`,
    signer: { did: `did:is:${address}`, signDigest: s.signDigest } as StatementSigner,
    raw: s,
  };
};
const alice = person('alice');
const bob = person('bob');
const node = person('node');
const IAT = 1_760_000_000_000;
const CONTENT = new TextEncoder().encode('Hola, mundo.\n');
const HASH = bytesToHex(sha512(CONTENT));
const OTHER = bytesToHex(sha512(new TextEncoder().encode('Hello, world.\n')));
const PEER = '12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp';

const record = {
  hash: HASH,
  size: CONTENT.length,
  name: 'Hola mundo',
  language: 'es-MX',
  licence: { spdx: 'CC-BY-4.0' },
  format: 'text/plain',
  uris: ['https://example.org/hola.txt', `hashlock://${PEER}/${HASH}`],
  relations: [{ type: 'translation-of' as const, hash: OTHER }],
  parties: [] as string[],
};
const recordJws = signStatement('record', record, alice.signer, IAT);
const recordId = verifyStatement(recordJws).id;

/** Signs any payload text as `who` (no field checks): the way to make invalid statements. */
const rawSign = (payload: Record<string, unknown> | string, who = alice, kid = who.address) =>
  signDidIsJws(didIsHeaderJson(kid), typeof payload === 'string' ? payload : canonicalJson(payload), who.raw);
const recordPayload = (over: Record<string, unknown>) => ({
  '@type': 'registry-record',
  v: 1,
  signer: alice.did,
  iat: IAT,
  ...record,
  ...over,
});

const valid = [
  { name: 'a record with a translation relation', content: recordJws, kind: 'record' },
  {
    name: 'an agreement naming two parties, free-text licence',
    content: signStatement(
      'record',
      {
        ...record,
        name: 'Acuerdo',
        licence: { text: 'Todos los derechos reservados' },
        relations: [],
        parties: [alice.did, bob.did],
        uris: ['https://example.org/acuerdo.txt'],
      },
      alice.signer,
      IAT + 1,
    ),
    kind: 'record',
  },
  {
    name: 'a record with an SPDX expression and grandfathered tag',
    content: signStatement(
      'record',
      {
        ...record,
        language: 'i-klingon',
        licence: { spdx: '(MIT OR Apache-2.0) AND GPL-2.0-or-later WITH Classpath-exception-2.0' },
        relations: [],
      },
      bob.signer,
      IAT,
    ),
    kind: 'record',
  },
  {
    name: 'a co-signature',
    content: signStatement('cosign', { record: recordId, hash: HASH }, bob.signer, IAT + 5),
    kind: 'cosign',
  },
  {
    name: 'an added https URI',
    content: signStatement('uri', { hash: HASH, uri: 'https://mirror.example.net/h.txt' }, bob.signer, IAT + 6),
    kind: 'uri',
  },
  {
    name: 'an added overlay URI by a node key',
    content: signStatement('uri', { hash: HASH, uri: `hashlock://${PEER}/${HASH}` }, node.signer, IAT + 7),
    kind: 'uri',
  },
  {
    name: 'a witness',
    content: signStatement('witness', { record: recordId, hash: HASH }, node.signer, IAT + 8),
    kind: 'witness',
  },
  {
    name: 'friendship for every language',
    content: signStatement('trust', { subject: bob.did, level: 'friend', languages: null }, alice.signer, IAT),
    kind: 'trust',
  },
  {
    name: 'trust scoped to Spanish and Brazilian Portuguese',
    content: signStatement(
      'trust',
      { subject: alice.did, level: 'trust', languages: ['es', 'pt-BR'] },
      bob.signer,
      IAT,
    ),
    kind: 'trust',
  },
  {
    name: 'a trust revocation',
    content: signStatement('trust', { subject: bob.did, level: 'none', languages: null }, alice.signer, IAT + 9),
    kind: 'trust',
  },
].map((v) => ({ ...v, id: verifyStatement(v.content).id, signer: verifyStatement(v.content).signer }));

const [h, p] = recordJws.split('.') as [string, string, string];
const otherSig = rawSign(recordPayload({ name: 'Otro' })).split('.')[2];
const invalid: Array<{ name: string; content: string; reason: string }> = [
  { name: 'not three parts', content: 'abc.def', reason: 'JWS_MALFORMED' },
  { name: 'over 16 KiB', content: `${h}.${'A'.repeat(17_000)}.${otherSig}`, reason: 'JWS_TOO_LARGE' },
  {
    name: 'payload with whitespace',
    content: rawSign(JSON.stringify(recordPayload({}), null, 1)),
    reason: 'NOT_CANONICAL',
  },
  {
    name: 'payload with keys out of order',
    content: rawSign(JSON.stringify(Object.fromEntries(Object.entries(recordPayload({})).reverse()))),
    reason: 'NOT_CANONICAL',
  },
  { name: 'unknown @type', content: rawSign(recordPayload({ '@type': 'registry-poem' })), reason: 'TYPE_UNKNOWN' },
  { name: 'version 2', content: rawSign(recordPayload({ v: 2 })), reason: 'VERSION_UNKNOWN' },
  { name: 'an unknown member', content: rawSign(recordPayload({ colour: 'blue' })), reason: 'FIELD_UNKNOWN' },
  {
    name: 'a missing member',
    content: rawSign(Object.fromEntries(Object.entries(recordPayload({})).filter(([k]) => k !== 'format'))),
    reason: 'FIELD_INVALID',
  },
  {
    name: 'signer other than the key',
    content: rawSign(recordPayload({ signer: bob.did })),
    reason: 'SIGNER_MISMATCH',
  },
  { name: 'fractional iat', content: rawSign(JSON.stringify(recordPayload({ iat: 1.5 }))), reason: 'IAT_INVALID' },
  { name: 'uppercase hash', content: rawSign(recordPayload({ hash: HASH.toUpperCase() })), reason: 'HASH_INVALID' },
  { name: 'SHA-256 sized hash', content: rawSign(recordPayload({ hash: HASH.slice(0, 64) })), reason: 'HASH_INVALID' },
  { name: 'negative size', content: rawSign(recordPayload({ size: -1 })), reason: 'FIELD_INVALID' },
  { name: 'empty name', content: rawSign(recordPayload({ name: ' ' })), reason: 'NAME_INVALID' },
  {
    name: 'name with a bidi override',
    content: rawSign(recordPayload({ name: 'evil\u202Etxt.exe' })),
    reason: 'NAME_INVALID',
  },
  {
    name: 'language with an underscore',
    content: rawSign(recordPayload({ language: 'es_MX' })),
    reason: 'LANGUAGE_INVALID',
  },
  {
    name: 'language with an empty subtag',
    content: rawSign(recordPayload({ language: 'es--mx' })),
    reason: 'LANGUAGE_INVALID',
  },
  {
    name: 'language subtag over 8 letters',
    content: rawSign(recordPayload({ language: 'castellano-es' })),
    reason: 'LANGUAGE_INVALID',
  },
  {
    name: 'language with a repeated variant',
    content: rawSign(recordPayload({ language: 'de-DE-1996-1996' })),
    reason: 'LANGUAGE_INVALID',
  },
  {
    name: 'language with a repeated extension',
    content: rawSign(recordPayload({ language: 'en-a-bbb-a-ccc' })),
    reason: 'LANGUAGE_INVALID',
  },
  {
    name: 'licence expression cut short',
    content: rawSign(recordPayload({ licence: { spdx: 'MIT OR' } })),
    reason: 'LICENCE_INVALID',
  },
  {
    name: 'licence with both forms',
    content: rawSign(recordPayload({ licence: { spdx: 'MIT', text: 'x' } })),
    reason: 'LICENCE_INVALID',
  },
  {
    name: 'format with a parameter',
    content: rawSign(recordPayload({ format: 'text/plain; charset=utf-8' })),
    reason: 'FORMAT_INVALID',
  },
  { name: 'format in capitals', content: rawSign(recordPayload({ format: 'Text/Plain' })), reason: 'FORMAT_INVALID' },
  { name: 'no URI', content: rawSign(recordPayload({ uris: [] })), reason: 'URI_INVALID' },
  {
    name: 'a javascript: URI',
    content: rawSign(recordPayload({ uris: ['javascript:alert(1)'] })),
    reason: 'URI_INVALID',
  },
  { name: 'a file: URI', content: rawSign(recordPayload({ uris: ['file:///etc/passwd'] })), reason: 'URI_INVALID' },
  {
    name: 'a URI with credentials',
    content: rawSign(recordPayload({ uris: ['https://user:pw@example.org/x'] })),
    reason: 'URI_INVALID',
  },
  {
    name: 'a URI not in its normal form',
    content: rawSign(recordPayload({ uris: ['https://Example.org/x'] })),
    reason: 'URI_INVALID',
  },
  {
    name: 'an overlay URI for other content',
    content: rawSign(recordPayload({ uris: [`hashlock://${PEER}/${OTHER}`] })),
    reason: 'URI_INVALID',
  },
  {
    name: 'nine URIs',
    content: rawSign(recordPayload({ uris: Array.from({ length: 9 }, (_, i) => `https://example.org/${i}`) })),
    reason: 'URIS_TOO_MANY',
  },
  {
    name: 'a relation to itself',
    content: rawSign(recordPayload({ relations: [{ type: 'revision-of', hash: HASH }] })),
    reason: 'RELATION_INVALID',
  },
  {
    name: 'an unknown relation type',
    content: rawSign(recordPayload({ relations: [{ type: 'likes', hash: OTHER }] })),
    reason: 'RELATION_INVALID',
  },
  {
    name: 'a party that is not a DID',
    content: rawSign(recordPayload({ parties: ['alice'] })),
    reason: 'PARTIES_INVALID',
  },
  {
    name: 'an edited name under the old signature',
    content: `${h}.${b64urlFromText(canonicalJson(recordPayload({ name: 'Adiós mundo' })))}.${recordJws.split('.')[2]}`,
    reason: 'SIGNATURE_WRONG_KEY',
  },
  {
    name: "a forged co-signature: bob's name, mallory's key",
    content: rawSign(
      { '@type': 'registry-cosign', v: 1, signer: bob.did, iat: IAT, record: recordId, hash: HASH },
      person('mallory'),
      bob.address,
    ),
    reason: 'SIGNATURE_WRONG_KEY',
  },
  {
    name: 'a co-signature with a short record id',
    content: rawSign(
      { '@type': 'registry-cosign', v: 1, signer: bob.did, iat: IAT, record: recordId.slice(2), hash: HASH },
      bob,
    ),
    reason: 'FIELD_INVALID',
  },
  {
    name: 'trust in oneself',
    content: rawSign({
      '@type': 'registry-trust',
      v: 1,
      signer: alice.did,
      iat: IAT,
      subject: alice.did,
      level: 'trust',
      languages: null,
    }),
    reason: 'TRUST_SELF',
  },
  {
    name: 'trust with an empty language list',
    content: rawSign({
      '@type': 'registry-trust',
      v: 1,
      signer: alice.did,
      iat: IAT,
      subject: bob.did,
      level: 'trust',
      languages: [],
    }),
    reason: 'LANGUAGE_INVALID',
  },
  {
    name: 'trust with an unknown level',
    content: rawSign({
      '@type': 'registry-trust',
      v: 1,
      signer: alice.did,
      iat: IAT,
      subject: bob.did,
      level: 'love',
      languages: null,
    }),
    reason: 'FIELD_INVALID',
  },
  {
    name: 'a URI addition with an ftp URI',
    content: rawSign(
      { '@type': 'registry-uri', v: 1, signer: bob.did, iat: IAT, hash: HASH, uri: 'ftp://example.org/x' },
      bob,
    ),
    reason: 'URI_INVALID',
  },
  {
    name: 'alg none',
    content: `${b64urlFromText('{"alg":"none","typ":"JWT","kid":"' + alice.address + '"}')}.${p}.${otherSig}`,
    reason: 'ALG_UNSUPPORTED',
  },
];

for (const f of invalid) {
  let reason = 'accepted';
  try {
    verifyStatement(f.content);
  } catch (err) {
    reason = (err as { details?: { reason?: string } }).details?.reason ?? String(err);
  }
  if (reason !== f.reason) throw new Error(`fixture "${f.name}": expected ${f.reason}, got ${reason}`);
}

const out = {
  content: { text: 'Hola, mundo.\n', hash: HASH },
  people: { alice: alice.did, bob: bob.did, node: node.did },
  valid,
  invalid,
};
writeFileSync(
  new URL('../src-shared/registry/fixtures/statements.json', import.meta.url),
  `${JSON.stringify(out, null, 2)}\n`,
);
console.log(`wrote ${valid.length} valid and ${invalid.length} invalid statements`);
