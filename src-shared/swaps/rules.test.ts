import { describe, expect, it } from 'vitest';
import { driveMaker, driveTaker, MAKER_PATH, seen, setup, TAKER_PATH, terms, tick, START } from './testkit.ts';
import {
  BREACH_CODES,
  holdsNoFundsYet,
  newBreach,
  noticeChain,
  otherChain,
  ownChain,
  refusalEvent,
  searchesBeforeJudging,
  spendKindOf,
  spendWanted,
  tickDue,
} from './rules.ts';
import type { HtlcProblemCode } from './verify.ts';
import type { MakerEvent, SwapState, TakerEvent } from './types.ts';
import { initialMakerState, initialTakerState, resumeEffects } from './machine.ts';
import { swapDeadlines } from './timelock.ts';

const L_M = terms().makerLeg.locktime;
const L_T = terms().takerLeg.locktime;
const D = swapDeadlines(setup());
const maker = (...events: MakerEvent[]): SwapState => driveMaker(events).state;
const taker = (...events: TakerEvent[]): SwapState => driveTaker(events).state;

// Every HTLC problem verify can name; adding one to verify.ts without deciding here fails to compile.
const HTLC_PROBLEMS: Record<HtlcProblemCode, true> = {
  'script-not-htlc': true,
  'wrong-secret-hash': true,
  'wrong-claim-key': true,
  'wrong-refund-key': true,
  'lock-too-short': true,
  'wrong-locktime': true,
  'output-script-mismatch': true,
  'wrong-amount': true,
};

describe('breach: which problems are the counterparty breaking the protocol', () => {
  it('counts every way an HTLC can be wrong, and nothing else', () => {
    expect([...BREACH_CODES].sort()).toEqual(Object.keys(HTLC_PROBLEMS).sort());
    for (const luck of ['deadline-passed', 'maker-lock-too-close', 'terms-rejected', 'funding-failed', 'user-abort'])
      expect(BREACH_CODES.has(luck)).toBe(false);
  });

  it('names the breach when the taker finds a maker HTLC with the wrong amount', () => {
    const before = taker(...TAKER_PATH.accepted);
    const after = taker(...TAKER_PATH.accepted, {
      type: 'CounterpartyFundingSeen',
      htlc: seen('makerChain', { amount: 1n }),
    });
    expect(after.phase).toBe('failedBeforeFunding');
    expect(newBreach(before, after)).toBe('wrong-amount');
  });

  it('names the breach when the maker finds a taker HTLC locked to another hash', () => {
    const before = maker(...MAKER_PATH.funded);
    const after = maker(...MAKER_PATH.funded, {
      type: 'CounterpartyFundingSeen',
      htlc: seen('takerChain', {}, terms({ secretHash: '00'.repeat(32) })),
    });
    expect(after.phase).toBe('refunding');
    expect(newBreach(before, after)).toBe('wrong-secret-hash');
  });

  it('names a breach once: a later step that keeps the same reason is not a new breach', () => {
    const breached = taker(...TAKER_PATH.accepted, {
      type: 'CounterpartyFundingSeen',
      htlc: seen('makerChain', { amount: 1n }),
    });
    expect(newBreach(breached, breached)).toBeUndefined();
  });

  it('does not call a missed deadline a breach', () => {
    const before = taker(...TAKER_PATH.accepted);
    const after = taker(...TAKER_PATH.accepted, tick(START.makerChain, D.takerFundBy.height + 1));
    expect(after.phase).toBe('failedBeforeFunding');
    expect(newBreach(before, after)).toBeUndefined();
  });
});

describe('which phases hold no coins in our HTLC yet', () => {
  it.each([
    ['maker new', initialMakerState, true],
    ['maker proposed', maker(...MAKER_PATH.proposed), true],
    ['maker funding', maker(...MAKER_PATH.funding), true],
    ['maker funded', maker(...MAKER_PATH.funded), false],
    ['maker claiming', maker(...MAKER_PATH.claiming), false],
    ['maker refunding', maker(...MAKER_PATH.refunding), false],
    ['maker failed before funding', maker(...MAKER_PATH.proposed, { type: 'Abort', reason: 'x' }), false],
    ['taker new', initialTakerState, true],
    ['taker accepted', taker(...TAKER_PATH.accepted), true],
    ['taker funding', taker(...TAKER_PATH.funding), true],
    ['taker funded', taker(...TAKER_PATH.funded), false],
    ['taker claiming', taker(...TAKER_PATH.claiming), false],
    ['taker refunding', taker(...TAKER_PATH.refunding), false],
  ] as const)('%s: %s', (_name, state, expected) => {
    expect(holdsNoFundsYet(state)).toBe(expected);
  });
});

describe('when a claim or refund is still wanted', () => {
  it('wants the claim while claiming, and no refund then', () => {
    const s = maker(...MAKER_PATH.claiming);
    expect(spendWanted(s, 'claim')).toBe(true);
    expect(spendWanted(s, 'refund')).toBe(false);
  });

  it('wants no refund while refunding before the lock opens, and wants it once the machine asked for it', () => {
    const waiting = maker(...MAKER_PATH.refunding);
    expect(spendWanted(waiting, 'refund')).toBe(false);
    const open = driveMaker([
      ...MAKER_PATH.refunding,
      tick(START.makerChain + 1, START.takerChain + 1),
      tick(L_M, L_T),
    ]);
    expect(open.effects.map((e) => e.type)).toEqual(['BroadcastRefund']);
    expect(spendWanted(open.state, 'refund')).toBe(true);
    expect(spendWanted(open.state, 'claim')).toBe(false);
  });

  it('wants nothing once the swap has ended', () => {
    const done = maker(...MAKER_PATH.claiming, { type: 'ClaimConfirmed', txid: 'c1'.repeat(32) });
    expect(done.phase).toBe('completed');
    expect(spendWanted(done, 'claim')).toBe(false);
    expect(spendWanted(done, 'refund')).toBe(false);
  });

  it('tells a claim from a refund effect', () => {
    const [claim] = resumeEffects(maker(...MAKER_PATH.claiming)).filter((e) => e.type === 'BroadcastClaim');
    expect(claim && claim.type === 'BroadcastClaim' && spendKindOf(claim)).toBe('claim');
  });
});

describe('when the clock is fed and the chain searched first', () => {
  it('feeds a tick only when a tip moved, except to the maker waiting for the accept', () => {
    const funding = maker(...MAKER_PATH.funding);
    expect(tickDue(funding, START)).toBe(false);
    expect(tickDue(funding, { ...START, takerChain: START.takerChain + 1 })).toBe(true);
    expect(tickDue(maker(...MAKER_PATH.proposed), START)).toBe(true);
    expect(tickDue(initialMakerState, START)).toBe(false);
  });

  it('searches the maker chain before judging only for a taker waiting for the maker HTLC', () => {
    expect(searchesBeforeJudging(taker(...TAKER_PATH.accepted))).toBe(true);
    expect(searchesBeforeJudging(taker(...TAKER_PATH.funding))).toBe(false);
    expect(searchesBeforeJudging(maker(...MAKER_PATH.funded))).toBe(false);
  });
});

describe('notices and refusals', () => {
  it('looks at the counterparty chain for a funding notice and at the taker chain for a claim notice', () => {
    const funded = { type: 'CounterpartyFunded', txid: 'a1'.repeat(32), vout: 0, witnessScript: '00' } as const;
    expect(noticeChain('maker', funded)).toBe('takerChain');
    expect(noticeChain('taker', funded)).toBe('makerChain');
    expect(noticeChain('taker', { type: 'CounterpartyClaimed', txid: 'c1'.repeat(32) })).toBe('takerChain');
    expect(noticeChain('maker', { type: 'Abort', reason: 'x' })).toBeUndefined();
  });

  it('records a refused proposal as the taker rejecting the terms in its own words, and drops other refusals', () => {
    const proposed = maker(...MAKER_PATH.proposed);
    const [send] = resumeEffects(proposed);
    if (send?.type !== 'SendMessage') throw new Error('a proposed maker resends its proposal');
    const e = refusalEvent(send.message, 'no matching swaps.allow');
    expect(e).toEqual({ type: 'CounterpartyAborted', reason: 'terms-rejected', message: 'no matching swaps.allow' });
    const next = driveMaker([...MAKER_PATH.proposed, e as MakerEvent]).state;
    expect(next.phase === 'failedBeforeFunding' && next.reason.code).toBe('refused');
    expect(refusalEvent({ type: 'swap.makerClaimed', swapId: 's', txid: 'c1'.repeat(32) }, 'no')).toBeUndefined();
  });

  it('puts each role on its own chain', () => {
    expect([ownChain('maker'), otherChain('maker'), ownChain('taker'), otherChain('taker')]).toEqual([
      'makerChain',
      'takerChain',
      'takerChain',
      'makerChain',
    ]);
  });
});
