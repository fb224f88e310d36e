import { describe, expect, it } from 'vitest';
import type { IdentityView, LinkView } from '../../src-shared/identity/contract.ts';
import { byChain, displayName, linkWords, verificationWords } from './words.ts';

const view = (o: Partial<IdentityView> = {}): IdentityView => ({
  did: 'did:is:PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP',
  address: 'PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP',
  mine: false,
  deleted: false,
  iat: 1_800_000_000_000,
  updated: '2027-01-15T08:00:00Z',
  created: '2026-01-15T08:00:00Z',
  recordId: 'ab'.repeat(32),
  publicKey: '02'.padEnd(66, '1'),
  profile: {
    name: 'Alice',
    shortname: null,
    alias: null,
    title: null,
    email: null,
    url: null,
    image: null,
    hubs: null,
  },
  content: 'x.y.z',
  seen: {
    firstSeenAt: 1_790_000_000_000,
    storedAt: 1_800_000_000_500,
    via: 'gossip',
    peerId: '12D3KooWAbcdefghijklmnop',
  },
  label: null,
  key: null,
  ...o,
});
const link = (o: Partial<LinkView> = {}): LinkView => ({
  did: view().did,
  target: 'bip122:530827f38f93b43ed12af0b3ad25a288:mxyz',
  kind: 'account',
  iat: 1,
  removed: false,
  revokedBy: null,
  chain: 'Litecoin regtest',
  caip2: 'bip122:530827f38f93b43ed12af0b3ad25a288',
  address: 'mxyz',
  pkh: 'did:pkh:bip122:530827f38f93b43ed12af0b3ad25a288:mxyz',
  check: { state: 'not-checked', detail: null, checkedAt: null, balances: [] },
  content: 'x.y.z',
  ...o,
});

describe('verification in words', () => {
  it('says the signature holds, how fresh it is and which peer it came from', () => {
    const words = verificationWords(view(), Date.parse('2027-01-20T00:00:00Z')).map((s) => s.text);
    expect(words[0]).toMatch(/^Signature valid/);
    expect(words[1]).toMatch(/^Last updated/);
    expect(words[2]).toMatch(/Heard from peer 12D3KooW…klmnop as it was published/);
  });

  it('warns about a profile not updated for over a year, and says plainly what a delete means', () => {
    const stale = verificationWords(view(), Date.parse('2029-02-01T00:00:00Z'));
    expect(stale[1]).toMatchObject({ tone: 'warn', text: expect.stringMatching(/2 years ago/) });
    const gone = verificationWords(view({ deleted: true }));
    expect(gone[1]).toMatchObject({ tone: 'error', text: expect.stringMatching(/Copies made before may persist/) });
    expect(displayName(view({ deleted: true }))).toBe('Deleted identity');
  });

  it('names an identity by its name, else a shortened address', () => {
    expect(displayName(view())).toBe('Alice');
    expect(displayName(view({ profile: { ...view().profile, name: null } }))).toBe('PB7izpag…4SGjuP');
  });
});

describe('links in words', () => {
  it('an account link is two-way; its balance is said only where this node could check', () => {
    expect(linkWords(link())[1]!.text).toMatch(/^Balance not checked/);
    const held = linkWords(
      link({
        check: {
          state: 'verified',
          detail: null,
          checkedAt: 1,
          balances: [{ ticker: 'DEVA', amount: '1.5', outputs: 2 }],
        },
      }),
    );
    expect(held[0]!.text).toMatch(/^Both sides signed/);
    expect(held[1]!.text).toMatch(/^Holds 1.5 DEVA in 2 outputs now/);
  });

  it('a domain is confirmed, refused or not checked, and a revoked link says by whom', () => {
    const d = (state: LinkView['check']['state']) =>
      linkWords(
        link({
          kind: 'domain',
          target: 'https://a.example',
          check: { state, detail: 'why', checkedAt: null, balances: [] },
        }),
      )[1]!;
    expect(d('verified').text).toMatch(/confirms it/);
    expect(d('failed')).toMatchObject({ tone: 'error' });
    expect(d('not-checked').text).toMatch(/^Not checked: why/);
    expect(linkWords(link({ removed: true, revokedBy: 'address' }))[0]!.text).toBe('Revoked by the address.');
  });

  it('groups accounts by chain, live links first', () => {
    const groups = byChain([
      link({ chain: 'Litecoin', iat: 1 }),
      link({ chain: null, caip2: 'bip122:ffff' }),
      link({ chain: 'Bitcoin' }),
      link({ chain: 'Litecoin', removed: true, iat: 5 }),
      link({ kind: 'domain' }),
    ]);
    expect(groups.map((g) => g.chain)).toEqual(['Bitcoin', 'Litecoin', 'Other chain (bip122:ffff)']);
    expect(groups[1]!.links.map((l) => l.removed)).toEqual([false, true]);
  });
});
