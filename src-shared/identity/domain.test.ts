// Domain linkage credentials: ours verify for their origin and window, and credentials for another
// origin, expired, not yet valid or naming another DID are refused.
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { addressOfKey } from './compact.ts';
import { isIdentityError } from './errors.ts';
import { didConfiguration, linkedDids, signDomainLinkage, verifyDomainLinkage } from './domain.ts';
import { didOf } from './profile.ts';
import { keySigner, signDidIsJws } from './verify.ts';

const alice = keySigner(sha256(new TextEncoder().encode('domain test: alice')));
const bob = keySigner(sha256(new TextEncoder().encode('domain test: bob')));
const DID = didOf(addressOfKey(alice.publicKey));
const NOW = 1_750_000_000_000;
const ORIGIN = 'https://alice.example';

function reason(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    if (isIdentityError(err)) return err.details.reason;
    throw err;
  }
}

describe('domain linkage', () => {
  const jwt = signDomainLinkage(DID, ORIGIN, NOW, 365, alice);

  it('verifies for its origin inside its window', () => {
    expect(verifyDomainLinkage(jwt, ORIGIN, NOW + 1000)).toMatchObject({ did: DID, origin: ORIGIN, nbf: NOW / 1000 });
  });

  it('has the DIF shape: iss = sub = issuer = subject id, both types, the context', () => {
    const payload = JSON.parse(atob(jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
    expect(payload).toMatchObject({
      iss: DID,
      sub: DID,
      vc: {
        issuer: DID,
        type: ['VerifiableCredential', 'DomainLinkageCredential'],
        credentialSubject: { id: DID, origin: ORIGIN },
        issuanceDate: '2025-06-15T15:06:40Z',
      },
    });
  });

  it.each([
    ['another origin', () => verifyDomainLinkage(jwt, 'https://mallory.example', NOW)],
    ['an expired credential', () => verifyDomainLinkage(jwt, ORIGIN, NOW + 366 * 86_400_000)],
    ['a credential not valid yet', () => verifyDomainLinkage(jwt, ORIGIN, NOW - 1000)],
  ])('refuses %s', (_n, fn) => {
    expect(reason(fn)).toBe('CREDENTIAL_INVALID');
  });

  it("refuses a credential signed by bob naming alice's DID", () => {
    const bobDid = didOf(addressOfKey(bob.publicKey));
    const p = signDomainLinkage(bobDid, ORIGIN, NOW, 10, bob).split('.')[1]!;
    const payload = atob(p.replace(/-/g, '+').replace(/_/g, '/')).replaceAll(bobDid, DID);
    const header = JSON.stringify({ alg: 'ES256K', typ: 'JWT', kid: `${DID}#key-1` });
    expect(reason(() => verifyDomainLinkage(signDidIsJws(header, payload, bob), ORIGIN, NOW))).toBe(
      'SIGNATURE_WRONG_KEY',
    );
    const own = JSON.stringify({ alg: 'ES256K', typ: 'JWT', kid: `${bobDid}#key-1` });
    expect(reason(() => verifyDomainLinkage(signDidIsJws(own, payload, bob), ORIGIN, NOW))).toBe('CREDENTIAL_INVALID');
  });

  it('reads the DIDs of a did-configuration file, leaving out credentials that fail', () => {
    const other = signDomainLinkage(DID, 'https://other.example', NOW, 10, alice);
    const found = linkedDids(didConfiguration([jwt, other, 'garbage']), ORIGIN, NOW);
    expect(found.map((l) => l.did)).toEqual([DID]);
    expect(reason(() => linkedDids({ linked_dids: [jwt] }, ORIGIN, NOW))).toBe('CREDENTIAL_INVALID');
  });
});
