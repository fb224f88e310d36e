// Linked accounts and domains: every fixture link is judged as fixtures/links.json says, statements
// are bound to the DID, the account and the iat, and each address type signs with its BIP137 header.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { isIdentityError } from './errors.ts';
import {
  KNOWN_CHAINS,
  addressForKey,
  linkStatement,
  parseAccountId,
  signStatement,
  verifyStatement,
  type SingleKeyAddressType,
} from './links.ts';
import { verifyRecord } from './records.ts';
import fixtures from './fixtures/links.json' with { type: 'json' };

function reason(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    if (isIdentityError(err)) return err.details.reason;
    throw err;
  }
}

describe('linked accounts', () => {
  it.each(fixtures.valid)('accepts $name', (f) => {
    const r = verifyRecord(f.content);
    expect(r.kind).toBe('link');
    expect(r.tombstone).toBe(f.tombstone);
    expect(r.slot).toMatch(/^did:is:P[1-9A-HJ-NP-Za-km-z]+#link:(bip122:|https:)/);
  });

  it.each(fixtures.invalid)('refuses $name with $reason', (f) => {
    expect(reason(() => verifyRecord(f.content))).toBe(f.reason);
  });

  it('a link, its removal and its revocation by the address share one slot', () => {
    const slots = fixtures.valid
      .filter((f) => f.name.includes('Litecoin') || f.name.includes('link r'))
      .map((f) => verifyRecord(f.content).slot);
    expect(new Set(slots).size).toBe(1);
  });

  it.each([
    ['p2pkh-uncompressed', 27],
    ['p2pkh', 31],
    ['p2sh-p2wpkh', 35],
    ['p2wpkh', 39],
  ] as const)('signs for %s with header %i + recid and verifies', (type: SingleKeyAddressType, base) => {
    const sk = secp256k1.utils.randomSecretKey();
    const chain = KNOWN_CHAINS[2]!;
    const pub = secp256k1.getPublicKey(sk, type !== 'p2pkh-uncompressed');
    const account = parseAccountId(`${chain.caip2}:${addressForKey(chain, pub, type)}`);
    const statement = linkStatement('did:is:PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP', account.id, 1);
    const sig = signStatement(sk, statement, chain, type);
    const header = atob(sig).charCodeAt(0);
    expect(header - base).toBeGreaterThanOrEqual(0);
    expect(header - base).toBeLessThan(4);
    expect(verifyStatement(statement, sig, account)).toBe(true);
    expect(verifyStatement(`${statement} `, sig, account)).toBe(false);
  });

  it('the statement names the DID, the account and the iat on their own lines', () => {
    expect(linkStatement('did:is:P1', 'bip122:x:y', 5)).toBe(
      'hashlock identity link v1\ndid: did:is:P1\naccount: bip122:x:y\niat: 5',
    );
    expect(linkStatement('did:is:P1', 'bip122:x:y', 5, true).split('\n')[0]).toBe('hashlock identity link revoked v1');
  });

  it('refuses script-hash-only account kinds it cannot verify (P2WSH)', () => {
    const chain = KNOWN_CHAINS[0]!;
    expect(
      reason(() => parseAccountId(`${chain.caip2}:bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3`)),
    ).toBe('LINK_INVALID');
  });
});
