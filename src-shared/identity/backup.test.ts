// The backup record kind: a did:is-signed wrapper of a JWE only its owner opens, one per
// `did#backup:<name>` slot, verified and refused like every other record.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { BACKUP_TYPE, MAX_BACKUP_JWE_CHARS, buildBackupPayload, checkBackupPayload } from './backup.ts';
import { addressOfKey } from './compact.ts';
import { identityReason } from './errors.ts';
import { b64urlFromText } from './jws.ts';
import { verifyRecord } from './records.ts';
import { didIsHeaderJson, keySigner, signDidIsJws } from './verify.ts';

const key = new Uint8Array(32).fill(7);
const address = addressOfKey(secp256k1.getPublicKey(key, true));
const did = `did:is:${address}`;
const header = (iss: string) => b64urlFromText(JSON.stringify({ alg: 'dir', enc: 'A256GCM', cty: 'json', iss }));
const jwe = (iss = did, body = 'Y2lwaGVy') => `${header(iss)}..aXZpdmL2aXZpdg.${body}.dGFndGFndGFndGFn`;
const sign = (payload: string) => signDidIsJws(didIsHeaderJson(address), payload, keySigner(key));

const reason = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return identityReason(e) ?? String(e);
  }
  return 'accepted';
};

describe('backup records', () => {
  it('a signed backup verifies into its own slot', () => {
    const r = verifyRecord(sign(buildBackupPayload(did, 5, 'payments', jwe())));
    expect(r).toMatchObject({ kind: 'backup', slot: `${did}#backup:payments`, iat: 5, tombstone: false });
    expect(r.kind === 'backup' && r.backup['@type']).toBe(BACKUP_TYPE);
  });

  it('a withdrawn backup is a tombstone of the same slot', () => {
    const r = verifyRecord(sign(buildBackupPayload(did, 6, 'payments', null)));
    expect(r).toMatchObject({ kind: 'backup', slot: `${did}#backup:payments`, tombstone: true });
  });

  const base = { identifier: did, iat: 1, '@type': BACKUP_TYPE, '@state': 0, name: 'payments', jwe: jwe() };
  const cases: Array<[string, Record<string, unknown>, string]> = [
    [
      'a JWE that names another identity',
      { ...base, jwe: jwe('did:is:PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP') },
      'BACKUP_INVALID',
    ],
    ['a JWE over the size cap', { ...base, jwe: jwe(did, 'A'.repeat(MAX_BACKUP_JWE_CHARS)) }, 'BACKUP_INVALID'],
    ['a JWE with a wrapped key (not dir)', { ...base, jwe: jwe().replace('..', '.a2V5.') }, 'BACKUP_INVALID'],
    ['a name with capitals', { ...base, name: 'Payments' }, 'BACKUP_INVALID'],
    ['a withdrawal that still carries a JWE', { ...base, '@state': 999 }, 'TOMBSTONE_NOT_EMPTY'],
    ['an unknown member', { ...base, extra: 1 }, 'FIELD_UNKNOWN'],
    ['a bad identifier', { ...base, identifier: 'did:is:nope' }, 'IDENTIFIER_INVALID'],
  ];
  for (const [name, payload, expected] of cases) {
    it(`refuses ${name} (${expected})`, () => {
      expect(reason(() => checkBackupPayload(payload))).toBe(expected);
    });
  }

  it("refuses a backup signed by another key for this DID's slot", () => {
    const other = new Uint8Array(32).fill(9);
    const forged = signDidIsJws(
      didIsHeaderJson(address),
      buildBackupPayload(did, 7, 'payments', jwe()),
      keySigner(other),
    );
    expect(reason(() => verifyRecord(forged))).toBe('SIGNATURE_WRONG_KEY');
  });
});
