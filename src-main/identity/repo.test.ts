// The repository finds a DID's records through the slot index (migration 0002 dropped the DID
// index): the same records, in slot order, and nothing of another DID.
import { describe, expect, it } from 'vitest';
import { testIdentity, testRegistry } from './testkit.ts';

describe('identity repo without a DID index', () => {
  it('keeps one index per key: no second index of the DID', () => {
    const { db } = testRegistry();
    const indexes = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'identity_records'",
      )
      .all()
      .map((r) => r.name);
    expect(indexes).not.toContain('identity_records_by_did');
    expect(indexes).toContain('identity_records_by_order_key');
  });

  it("finds a DID's records, its key and profile pages in DID order through the slot index", () => {
    const { repo, registry } = testRegistry();
    const people = Array.from({ length: 30 }, (_, i) => testIdentity(`repo ${i}`));
    for (const p of people) {
      expect(registry.ingest(p.profile(1), { via: 'api' }).stored).toBe(true);
      expect(registry.ingest(p.metadata(2, null), { via: 'api' }).stored).toBe(true);
      expect(registry.ingest(p.domainLink(3, 'https://example.com'), { via: 'api' }).stored).toBe(true);
    }
    for (const p of people) {
      const slots = repo.byDid(p.did).map((r) => r.slot);
      expect(slots).toEqual([p.did, `${p.did}#link:https://example.com`, `${p.did}#metadata`]);
      expect(repo.publicKeyOf(p.did)).toEqual(p.signer.publicKey);
    }
    expect(repo.byDid(testIdentity('nobody').did)).toEqual([]);
    expect(repo.publicKeyOf(testIdentity('nobody').did)).toBeUndefined();
    const dids = people.map((p) => p.did).sort();
    const page1 = repo.listProfiles({ limit: 20 });
    const page2 = repo.listProfiles({ limit: 20, after: page1.at(-1)!.did });
    expect([...page1, ...page2].map((r) => r.did)).toEqual(dids);
    expect([...page1, ...page2].every((r) => r.kind === 'profile')).toBe(true);
  });
});
