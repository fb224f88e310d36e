// The membership proof of a sync request (docs §13): signed by an epoch's storage key, judged on
// its time and epoch every time, its signature remembered once checked (a member reuses one proof
// for the pages of a catch-up).
import { describe, expect, it } from 'vitest';
import { storageKeyFromSeed } from './storage.ts';
import { makeProof, verifyProof, VerifiedProofs } from './sync.ts';
import { topicOf, utf8ToBytes } from './ids.ts';
import { T0 } from './testkit.ts';

const key = (s: string) => storageKeyFromSeed(utf8ToBytes(s.padEnd(32, '.')));
const epoch3 = key('epoch 3');
const stranger = key('stranger');
const topic = topicOf('c'.repeat(64));
const branch = 'b'.repeat(32);
const known = (over: { newestEpoch?: number; verified?: VerifiedProofs } = {}) => ({
  keyOf: (e: number, b: string) => (e === 3 && b === branch ? epoch3.publicKey : undefined),
  newestEpoch: over.newestEpoch ?? 3,
  ...(over.verified ? { verified: over.verified } : {}),
});
const proof = (signer = epoch3, at = T0) => makeProof(topic, 'since', { epoch: 3, branch }, at, signer);

describe('verifyProof', () => {
  it('a member of a known epoch, asking now, is served', () => {
    expect(verifyProof(topic, 'since', proof(), known(), T0 + 1000)).toEqual({ ok: true });
  });

  it('is refused when signed by another key, for another request kind or topic, too old, from too old or an unknown epoch', () => {
    expect(verifyProof(topic, 'since', proof(stranger), known(), T0)).toMatchObject({ code: 'bad-auth' });
    expect(verifyProof(topic, 'range', proof(), known(), T0)).toMatchObject({ code: 'bad-auth' });
    expect(verifyProof(topicOf('d'.repeat(64)), 'since', proof(), known(), T0)).toMatchObject({ code: 'bad-auth' });
    expect(verifyProof(topic, 'since', proof(), known(), T0 + 10 * 60_000)).toMatchObject({ code: 'serve-time' });
    expect(verifyProof(topic, 'since', proof(), known({ newestEpoch: 100 }), T0)).toMatchObject({
      code: 'serve-epoch',
    });
    expect(verifyProof(topic, 'since', { ...proof(), epoch: '4' }, known({ newestEpoch: 4 }), T0)).toMatchObject({
      code: 'unknown-epoch',
    });
  });

  it('a remembered signature skips the signature check only: time and epoch are judged again, a changed field is checked afresh', () => {
    class Counted extends VerifiedProofs {
      hits = 0;
      override has(k: string): boolean {
        const known = super.has(k);
        if (known) this.hits++;
        return known;
      }
    }
    const verified = new Counted();
    const p = proof();
    expect(verifyProof(topic, 'since', p, known({ verified }), T0)).toEqual({ ok: true });
    expect(verified.hits).toBe(0);
    // The next page's request with the same proof: served from memory.
    expect(verifyProof(topic, 'since', p, known({ verified }), T0 + 1)).toEqual({ ok: true });
    expect(verified.hits).toBe(1);
    // The same proof past the skew, or once its epoch is too old, is refused.
    expect(verifyProof(topic, 'since', p, known({ verified }), T0 + 10 * 60_000)).toMatchObject({
      code: 'serve-time',
    });
    expect(verifyProof(topic, 'since', p, known({ verified, newestEpoch: 100 }), T0)).toMatchObject({
      code: 'serve-epoch',
    });
    // Another time under the same signature, another kind, or the same proof under another key: not from memory.
    expect(verifyProof(topic, 'since', { ...p, at: T0 + 5 }, known({ verified }), T0)).toMatchObject({
      code: 'bad-auth',
    });
    expect(verifyProof(topic, 'commits', p, known({ verified }), T0)).toMatchObject({ code: 'bad-auth' });
    const otherKey = { ...known({ verified }), keyOf: () => stranger.publicKey };
    expect(verifyProof(topic, 'since', p, otherKey, T0)).toMatchObject({ code: 'bad-auth' });
    expect(verified.hits).toBe(1);
  });

  it('remembers a bounded number, oldest out first', () => {
    const verified = new VerifiedProofs(2);
    verified.add('a');
    verified.add('b');
    verified.add('c');
    expect([verified.has('a'), verified.has('b'), verified.has('c')]).toEqual([false, true, true]);
  });
});
