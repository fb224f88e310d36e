// The identity contract slice: every method is in the identity group, params are strict and capped
// as the domain's rules say, and results describe what the node returns.
import { describe, expect, it } from 'vitest';
import { events, methods } from './contract.ts';

describe('identity contract slice', () => {
  it('names every method identity.* and documents it', () => {
    for (const [name, spec] of Object.entries(methods)) {
      expect(name).toMatch(/^identity\.[a-z]+(\.[a-z]+)?$/);
      expect(spec.doc.length).toBeGreaterThan(10);
    }
    expect(Object.keys(events)).toEqual(['identity.updated', 'identity.sync']);
  });

  it('create takes profile fields within their limits and nothing else', () => {
    const p = methods['identity.create'].params;
    expect(p.safeParse({ profile: { name: 'Alice' } }).success).toBe(true);
    expect(p.safeParse({ profile: { name: 'x'.repeat(513) } }).success).toBe(false);
    expect(p.safeParse({ profile: { hubs: ['a', 'b', 'c', 'd'] } }).success).toBe(false);
    expect(p.safeParse({ profile: {}, extra: 1 }).success).toBe(false);
    expect(p.safeParse({ account: -1, profile: {} }).success).toBe(false);
  });

  it('links.add takes an account with its wallet signature; links.domain an origin', () => {
    const p = methods['identity.links.add'].params;
    const did = 'did:is:PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP';
    expect(p.safeParse({ did, account: 'bip122:x:y', iat: 1, signature: 'A'.repeat(88) }).success).toBe(true);
    expect(p.safeParse({ did, account: 'bip122:x:y' }).success).toBe(false);
    expect(p.safeParse({ did, origin: 'https://a.example' }).success).toBe(false);
    expect(methods['identity.links.domain'].params.safeParse({ did, origin: 'https://a.example' }).success).toBe(true);
  });

  it('every method takes an object of named fields (the CLI builds options from them)', () => {
    for (const spec of Object.values(methods)) expect(typeof spec.params.shape).toBe('object');
  });

  it('labels stay short and are the only thing create adds to the profile', () => {
    const p = methods['identity.create'].params;
    expect(p.safeParse({ label: 'work', profile: {} }).success).toBe(true);
    expect(p.safeParse({ label: 'x'.repeat(65), profile: {} }).success).toBe(false);
  });

  it('attestations last at most 30 days', () => {
    const p = methods['identity.attest'].params;
    expect(p.safeParse({ did: 'did:is:PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP', days: 31 }).success).toBe(false);
  });
});
