import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/bindings.json' with { type: 'json' };
import { BindingCache, decodeBinding, encodeBinding, signBinding, verifyBinding } from './binding.ts';
import type { BindingMode } from './binding.ts';
import { hexToBytes, utf8ToBytes } from './ids.ts';
import { identity, T0 } from './testkit.ts';

type Case = (typeof fixtures.invalid)[number];
const mode = (c: { mode: string; at: number }): BindingMode =>
  c.mode === 'strict' ? { kind: 'strict', at: c.at } : { kind: 'membership' };
const check = (c: Omit<Case, 'error'>) =>
  new BindingCache().check(utf8ToBytes(c.credential), hexToBytes(c.key), mode(c));
const byName = (part: string) => fixtures.invalid.find((c) => c.description.includes(part))!;

describe('credential binding', () => {
  it('the fixture identities are the test kit’s', () => {
    expect(fixtures.identities).toEqual({ alice: identity('alice').did, mallory: identity('mallory').did });
  });

  for (const c of fixtures.valid) it(`accepts: ${c.description}`, () => expect(check(c)).toMatchObject({ ok: true }));
  for (const c of fixtures.invalid)
    it(`refuses (${c.error}): ${c.description}`, () => expect(check(c)).toMatchObject({ ok: false, code: c.error }));

  it('a binding signed by another identity is refused', () => {
    expect(check(byName('another identity'))).toMatchObject({ ok: false, code: 'binding-signature' });
  });

  it('a binding for another messaging key is refused', () => {
    expect(check(byName('another messaging key'))).toMatchObject({ ok: false, code: 'binding-key' });
  });

  it('an expired binding is refused in strict mode and accepted in membership mode', () => {
    const c = byName('expired');
    expect(check(c)).toMatchObject({ ok: false, code: 'binding-expired' });
    expect(check({ ...c, mode: 'membership' })).toMatchObject({ ok: true });
  });

  it('signs and reads back the exact canonical bytes', async () => {
    const alice = identity('alice');
    const b = await signBinding(alice.signer, { key: 'a1'.repeat(32), notBefore: T0, notAfter: T0 + 90 * 864e5 });
    expect(new TextDecoder().decode(encodeBinding(b))).toBe(fixtures.valid[0]!.credential);
    expect(decodeBinding(encodeBinding(b))).toEqual(b);
    expect(verifyBinding(b, hexToBytes('a1'.repeat(32)), { kind: 'strict', at: T0 })).toEqual({ ok: true });
  });

  it('the cache remembers a verified signature but still checks expiry each time', () => {
    const cache = new BindingCache();
    const c = fixtures.valid[0]!;
    const bytes = utf8ToBytes(c.credential);
    expect(cache.check(bytes, hexToBytes(c.key), { kind: 'strict', at: c.at })).toMatchObject({ ok: true });
    expect(cache.check(bytes, hexToBytes(c.key), { kind: 'strict', at: T0 + 365 * 864e5 })).toMatchObject({
      ok: false,
      code: 'binding-expired',
    });
    // The same bytes with another key were never verified for that key.
    expect(cache.check(bytes, hexToBytes('b2'.repeat(32)), { kind: 'membership' })).toMatchObject({
      code: 'binding-key',
    });
  });
});
