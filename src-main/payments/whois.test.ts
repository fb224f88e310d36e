// Profiles peers send are verified like registry records: only a record signed by the DID's own key,
// for that DID, is shown.
import { describe, expect, it } from 'vitest';
import { profileFromContent } from './whois.ts';
import { profileRecord, testIdentity } from './testkit.ts';

const alice = testIdentity(1);
const mallory = testIdentity(2);

describe('whois answers', () => {
  it('a profile signed by the identity is read with its fields', () => {
    expect(profileFromContent(alice.did, profileRecord(alice, 7, { name: 'Alice Shop' }))).toMatchObject({
      deleted: false,
      iat: 7,
      fields: { name: 'Alice Shop' },
    });
  });

  it('a tombstone is read as deleted', () => {
    expect(profileFromContent(alice.did, profileRecord(alice, 8, 'deleted'))?.deleted).toBe(true);
  });

  it("another identity's profile is not an answer for this DID", () => {
    expect(profileFromContent(alice.did, profileRecord(mallory, 7, { name: 'Alice Shop' }))).toBeUndefined();
  });

  it('a profile changed after signing is refused', () => {
    const [h, , s] = profileRecord(alice, 7, { name: 'Alice Shop' }).split('.');
    const forged = Buffer.from(
      JSON.stringify({ identifier: alice.did, iat: 7, '@type': 'identity', '@state': 0, name: 'Alice Sh0p' }),
    ).toString('base64url');
    expect(profileFromContent(alice.did, `${h}.${forged}.${s}`)).toBeUndefined();
  });
});
