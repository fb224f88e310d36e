// Verification badges (docs/registry.md, trust): a signer's identity links that this node checked
// and found good show on the record page; unchecked, failed, removed or revoked ones never do.
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { LinkView } from '../../src-shared/identity/contract.ts';
import { waitFor } from '../kernel/time.ts';
import { createTestNet, testPerson } from './testkit.ts';

const ana = testPerson('ana');
const text = (s: string) => new TextEncoder().encode(s);
const sha512 = (b: Uint8Array) => createHash('sha512').update(b).digest('hex');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');

let net: ReturnType<typeof createTestNet>;
afterEach(() => net.close());

function link(target: string, over: Partial<LinkView> = {}, state: LinkView['check']['state'] = 'verified'): LinkView {
  const account = !target.startsWith('https://');
  return {
    did: ana.did,
    target,
    kind: account ? 'account' : 'domain',
    iat: 1,
    removed: false,
    revokedBy: null,
    chain: account ? 'DEVA' : null,
    caip2: null,
    address: account ? target.split(':')[2]! : null,
    pkh: null,
    check: { state, detail: null, checkedAt: 1, balances: [] },
    content: 'x.y.z',
    ...over,
  } as LinkView;
}

describe('verification badges', () => {
  it("shows the signer's verified domain and address, and none of its unchecked, failed or removed links", async () => {
    net = createTestNet();
    const links = {
      [ana.did]: [
        link('https://ana.example'),
        link('bip122:000000000000000000000000000000:rltc1qexampleaddressnumberone0000'),
        link('https://unchecked.example', {}, 'not-checked'),
        link('https://failed.example', {}, 'failed'),
        link('https://gone.example', { removed: true }),
        link('https://revoked.example', { removed: true, revokedBy: 'address' }),
      ],
    };
    const n = await net.node('Ana', [ana], {}, { links });
    const body = text('con insignias\n');
    const up = await n.call('registry.content.upload', { data: b64(body), done: true });
    const rec = await n.call('registry.publish', {
      did: ana.did,
      name: 'Insignias',
      language: 'es',
      licence: { spdx: 'CC0-1.0' },
      format: 'text/plain',
      hash: up.hash!,
      size: body.length,
    });
    expect(rec.hash).toBe(sha512(body));
    expect(rec.signerBadges).toEqual([
      { kind: 'domain', label: 'ana.example', target: 'https://ana.example' },
      {
        kind: 'account',
        label: 'DEVA rltc1qex…ne0000',
        target: 'bip122:000000000000000000000000000000:rltc1qexampleaddressnumberone0000',
      },
    ]);
  });

  it("shows a co-signer's verified domain at another node that knows its links", async () => {
    net = createTestNet();
    const bea = testPerson('bea');
    const beaLinks = { [bea.did]: [{ ...link('https://bea.example'), did: bea.did }] };
    const a = await net.node('Ana', [ana], {}, { links: beaLinks });
    const b = await net.node('Bea', [bea]);
    net.net.connect(a.peerId, b.peerId);
    const body = text('co-firmado\n');
    const up = await a.call('registry.content.upload', { data: b64(body), done: true });
    const rec = await a.call('registry.publish', {
      did: ana.did,
      name: 'Co-firmado',
      language: 'es',
      licence: { spdx: 'CC0-1.0' },
      format: 'text/plain',
      hash: up.hash!,
      size: body.length,
    });
    await waitFor(() => b.repo.record(rec.id), { timeoutMs: 5_000, what: 'the record at bea' });
    await b.call('registry.cosign', { did: bea.did, id: rec.id });
    const atA = await waitFor(
      async () => {
        const v = await a.call('registry.get', { id: rec.id });
        return v.cosigners === 1 && v;
      },
      { timeoutMs: 5_000, what: "bea's co-signature at ana" },
    );
    expect(atA.cosignerList).toEqual([
      expect.objectContaining({
        did: bea.did,
        badges: [{ kind: 'domain', label: 'bea.example', target: 'https://bea.example' }],
      }),
    ]);
    expect(atA.signerBadges).toEqual([]);
  });

  it('shows no badge for a signer this node knows no links of', async () => {
    net = createTestNet();
    const n = await net.node('Ana', [ana]);
    const body = text('sin insignias\n');
    const up = await n.call('registry.content.upload', { data: b64(body), done: true });
    const rec = await n.call('registry.publish', {
      did: ana.did,
      name: 'Sin insignias',
      language: 'es',
      licence: { spdx: 'CC0-1.0' },
      format: 'text/plain',
      hash: up.hash!,
      size: body.length,
    });
    expect(rec.signerBadges).toEqual([]);
  });
});
