// Every fixture profile is judged as fixtures/profiles.json says: valid ones verify to their address,
// invalid ones are refused with their named reason (docs/identity.md §11).
import { describe, expect, it } from 'vitest';
import { isIdentityError, type IdentityError } from './errors.ts';
import { verifyRecord } from './records.ts';
import fixtures from './fixtures/profiles.json' with { type: 'json' };

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isIdentityError(err)) return err.details.reason;
    throw err;
  }
  return 'accepted';
}

describe('profile fixtures', () => {
  it.each(fixtures.valid)('accepts $name', (f) => {
    const r = verifyRecord(f.jws);
    expect(r.kind).toBe('profile');
    expect(r.address).toBe(f.address);
    expect(r.did).toBe(`did:is:${f.address}`);
    expect(r.tombstone).toBe(f.state === 999);
  });

  it.each(fixtures.invalid)('refuses $name with $reason', (f) => {
    expect(reasonOf(() => verifyRecord(f.jws))).toBe(f.reason);
  });

  it('refuses a record that is not a string', () => {
    expect(reasonOf(() => verifyRecord(42))).toBe('JWS_MALFORMED');
  });

  it('reports refusals as INVALID_PARAMS with the reason in details', () => {
    try {
      verifyRecord(fixtures.invalid.find((f) => f.reason === 'ALG_UNSUPPORTED')!.jws);
      expect.unreachable();
    } catch (err) {
      expect((err as IdentityError).toData()).toMatchObject({
        code: 'INVALID_PARAMS',
        details: { reason: 'ALG_UNSUPPORTED' },
      });
    }
  });
});
