import { describe, expect, it } from 'vitest';
import { swapDeadlines } from './timelock.ts';
import { MAKER_KEYS, START, TAKER_KEYS, pubkeyOf, seen, setup, terms } from './testkit.ts';
import type { HtlcSeen, SwapTerms } from './types.ts';
import { expectedHtlc, verifyMakerHtlc, verifyTakerHtlc } from './verify.ts';

const t = terms();
const s = setup(t);
const d = swapDeadlines(s);

/** The maker HTLC a cheating or buggy maker would fund under different terms, as the taker sees it. */
function makerHtlcFrom(other: SwapTerms, over: Partial<HtlcSeen> = {}): HtlcSeen {
  return { ...seen('makerChain', {}, other), ...over };
}

describe('verifyMakerHtlc (taker side), one reason per fault', () => {
  const cases: Array<[string, HtlcSeen, string]> = [
    ['one satoshi less than agreed', seen('makerChain', { amount: t.makerLeg.amount - 1n }), 'wrong-amount'],
    ['one satoshi more than agreed', seen('makerChain', { amount: t.makerLeg.amount + 1n }), 'wrong-amount'],
    ['a hash of another secret', makerHtlcFrom({ ...t, secretHash: '00'.repeat(32) }), 'wrong-secret-hash'],
    [
      "a claim key that is not the taker's",
      makerHtlcFrom({ ...t, takerPubkeys: { ...TAKER_KEYS, makerChain: pubkeyOf(7) } }),
      'wrong-claim-key',
    ],
    [
      'a refund key that is not the agreed one',
      makerHtlcFrom({ ...t, makerPubkeys: { ...MAKER_KEYS, makerChain: pubkeyOf(8) } }),
      'wrong-refund-key',
    ],
    [
      'a lock one block shorter',
      makerHtlcFrom({ ...t, makerLeg: { ...t.makerLeg, locktime: t.makerLeg.locktime - 1 } }),
      'lock-too-short',
    ],
    [
      'a lock one block longer',
      makerHtlcFrom({ ...t, makerLeg: { ...t.makerLeg, locktime: t.makerLeg.locktime + 1 } }),
      'wrong-locktime',
    ],
    [
      'an output that pays another script',
      seen('makerChain', { outputScript: seen('takerChain').outputScript }),
      'output-script-mismatch',
    ],
    [
      'a declared script that is not an HTLC',
      seen('makerChain', { witnessScript: '76a914' + '00'.repeat(20) + '88ac' }),
      'script-not-htlc',
    ],
    ['a declared script that is not hex', seen('makerChain', { witnessScript: 'xyz' }), 'script-not-htlc'],
    ["the taker's own HTLC offered back as the maker's", seen('takerChain'), 'wrong-claim-key'],
  ];
  it.each(cases)('%s', (_name, htlc, code) => {
    expect(verifyMakerHtlc(s, htlc, START)).toMatchObject({ status: 'invalid', code });
  });
  it('a right HTLC with the agreed depth is valid', () =>
    expect(verifyMakerHtlc(s, seen('makerChain'), START)).toEqual({ status: 'valid' }));
  it('a right HTLC still in the mempool is pending', () => {
    expect(verifyMakerHtlc(s, seen('makerChain', { confirmations: 0 }), START)).toEqual({
      status: 'pending',
      confirmations: 0,
      required: 1,
    });
  });
  it('a right HTLC after the taker fund-by height is expired', () => {
    expect(verifyMakerHtlc(s, seen('makerChain'), { ...START, takerChain: d.takerFundBy.height + 1 })).toMatchObject({
      status: 'expired',
      code: 'deadline-passed',
    });
  });
  it('a wrong HTLC is reported as wrong even when also late', () => {
    expect(verifyMakerHtlc(s, seen('makerChain', { amount: 1n }), { ...START, takerChain: 10_000 })).toMatchObject({
      status: 'invalid',
      code: 'wrong-amount',
    });
  });
});

describe('verifyTakerHtlc (maker side)', () => {
  it('a right HTLC with the agreed depth before makerClaimBy is valid', () =>
    expect(verifyTakerHtlc(s, seen('takerChain'), START)).toEqual({ status: 'valid' }));
  it('a wrong amount is invalid', () =>
    expect(verifyTakerHtlc(s, seen('takerChain', { amount: 1n }), START)).toMatchObject({
      status: 'invalid',
      code: 'wrong-amount',
    }));
  it('a lock shorter than agreed is invalid', () => {
    const short = seen('takerChain', {}, { ...t, takerLeg: { ...t.takerLeg, locktime: t.takerLeg.locktime - 3 } });
    expect(verifyTakerHtlc(s, short, START)).toMatchObject({ status: 'invalid', code: 'lock-too-short' });
  });
  it('at makerClaimBy it is expired: claiming then could cost the maker both coins', () => {
    expect(verifyTakerHtlc(s, seen('takerChain'), { ...START, takerChain: d.makerClaimBy.height })).toMatchObject({
      status: 'expired',
      code: 'deadline-passed',
    });
  });
  it('pending until the agreed depth', () => {
    const deep = setup({ ...t, takerLeg: { ...t.takerLeg, confirmations: 3 } });
    expect(verifyTakerHtlc(deep, seen('takerChain', { confirmations: 2 }, deep.terms), START)).toEqual({
      status: 'pending',
      confirmations: 2,
      required: 3,
    });
  });
});

describe('expectedHtlc', () => {
  it('maker HTLC: taker claims on the maker chain, maker refunds', () => {
    expect(expectedHtlc(t, 'makerChain')).toMatchObject({
      claimPubkey: TAKER_KEYS.makerChain,
      refundPubkey: MAKER_KEYS.makerChain,
      locktime: t.makerLeg.locktime,
      amount: t.makerLeg.amount,
    });
  });
  it('taker HTLC: maker claims on the taker chain, taker refunds', () => {
    expect(expectedHtlc(t, 'takerChain')).toMatchObject({
      claimPubkey: MAKER_KEYS.takerChain,
      refundPubkey: TAKER_KEYS.takerChain,
      locktime: t.takerLeg.locktime,
      amount: t.takerLeg.amount,
    });
  });
});
