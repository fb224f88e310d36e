import { describe, expect, it } from 'vitest';
import {
  approxDuration,
  byBlockText,
  countdownText,
  deadlineOf,
  lockCountdown,
  nextDeadline,
  type SwapDeadline,
  type SwapLock,
} from './deadlines.ts';
import { deadlinesFor, maker, taker } from './testdata.ts';

const lock = (over: Partial<SwapLock>): SwapLock => ({
  side: 'own',
  ticker: 'DEVA',
  locktime: 264,
  height: 210,
  blocksLeft: 54,
  secondsLeft: 270,
  ...over,
});
const fiveSeconds = () => 5;

describe('lock countdown', () => {
  it.each([
    // [lock, block time, blocks left, seconds left, open]
    [lock({}), 5, 54, 270, false],
    // A tip newer than the node's estimate wins: the numbers must agree with the height shown.
    [lock({ height: 250, blocksLeft: 54, secondsLeft: 270 }), 5, 14, 70, false],
    [lock({ height: 264 }), 5, 0, 0, true],
    [lock({ height: 300 }), 5, 0, 0, true],
    // Litecoin-like 150 s blocks: 54 blocks ≈ 2 h 15 min.
    [lock({ secondsLeft: null }), 150, 54, 8100, false],
    // Tip unknown: the node's numbers (here none) are all there is.
    [lock({ height: null, blocksLeft: null, secondsLeft: null }), 5, null, null, false],
    [lock({ height: null, blocksLeft: 7, secondsLeft: 35 }), undefined, 7, 35, false],
    // Block time unknown to the app: keep the node's estimate.
    [lock({ height: 210, secondsLeft: 999 }), undefined, 54, 999, false],
  ] as const)('%o with %s s blocks → %s blocks, %s s', (l, bt, blocks, secs, open) => {
    const c = lockCountdown(l, bt);
    expect(c.blocksLeft).toBe(blocks);
    expect(c.secondsLeft).toBe(secs);
    expect(c.open).toBe(open);
  });

  it.each([
    [0, 'now'],
    [-3, 'now'],
    [20, 'under 1 min'],
    [29, 'under 1 min'],
    [30, '~1 min'],
    [150, '~3 min'],
    [3600, '~1 h'],
    [7500, '~2 h 5 min'],
    [90_000, '~1 d 1 h'],
  ])('writes %d seconds as %s', (sec, text) => {
    expect(approxDuration(sec)).toBe(text);
  });

  it('says how far a lock is in blocks and approximate time', () => {
    expect(countdownText(lockCountdown(lock({ height: 232 }), 5))).toBe('in ~32 blocks (~3 min)');
    expect(countdownText(lockCountdown(lock({ height: 263 }), 5))).toBe('in ~1 block (under 1 min)');
    expect(countdownText(lockCountdown(lock({ height: 264 }), 5))).toBe('now');
    expect(countdownText(lockCountdown(lock({ height: null, blocksLeft: null, secondsLeft: null }), 5))).toBe(
      'after DEVA block 264',
    );
  });
});

describe('next deadline of a swap', () => {
  it('has none before our coins are locked: nothing of ours is at stake', () => {
    expect(nextDeadline(maker.proposed(), fiveSeconds)).toBeNull();
    expect(nextDeadline(taker.accepted(), fiveSeconds)).toBeNull();
  });

  it('counts down to our refund once our coins are locked', () => {
    expect(nextDeadline(maker.funded(0), fiveSeconds)).toMatchObject({
      kind: 'refund',
      text: 'refund possible in ~54 blocks (~5 min)',
    });
    expect(nextDeadline(taker.funded(), fiveSeconds)).toMatchObject({
      kind: 'refund',
      text: 'refund possible in ~22 blocks (~2 min)',
    });
  });

  it('while claiming, counts down to the counterparty\u2019s lock, which the claim must beat', () => {
    expect(nextDeadline(maker.claiming(), fiveSeconds)).toMatchObject({
      kind: 'claim',
      text: 'claim must confirm in ~22 blocks (~2 min)',
    });
  });

  it('says a refund is possible now once our lock has ended', () => {
    const d = taker.refundingAfterAbort();
    const ended = { ...d, locks: d.locks.map((l) => ({ ...l, height: l.locktime })) };
    expect(nextDeadline(ended, fiveSeconds)?.text).toBe('refund possible now');
  });

  it('has none once the swap has finished', () => {
    expect(nextDeadline(maker.completed(), fiveSeconds)).toBeNull();
    expect(nextDeadline(maker.refunded(), fiveSeconds)).toBeNull();
  });
});

describe('give-up deadlines', () => {
  const dl = (over: Partial<SwapDeadline>): SwapDeadline => ({
    step: 'takerFundBy',
    party: 'counterparty',
    action: 'lock',
    ticker: 'DEVB',
    height: 213,
    blocksLeft: 3,
    secondsLeft: 15,
    ...over,
  });

  it.each([
    [dl({}), 'by DEVB block 213, in ~3 blocks (under 1 min)'],
    [dl({ blocksLeft: 1, secondsLeft: 150 }), 'by DEVB block 213, in ~1 block (~3 min)'],
    [dl({ blocksLeft: 0, secondsLeft: 0 }), 'by DEVB block 213 (reached)'],
    [dl({ blocksLeft: null, secondsLeft: null }), 'by DEVB block 213'],
    [dl({ secondsLeft: null }), 'by DEVB block 213, in ~3 blocks'],
  ] as const)('%o reads "%s"', (d, text) => {
    expect(byBlockText(d)).toBe(text);
  });

  it('finds the deadline of who acts and what it does, from this node\u2019s side', () => {
    const m = { deadlines: deadlinesFor('maker') };
    expect(deadlineOf(m, 'counterparty', 'lock')).toMatchObject({ step: 'takerFundBy', height: 213 });
    expect(deadlineOf(m, 'own', 'claim')).toMatchObject({ step: 'makerClaimBy', ticker: 'DEVB', height: 226 });
    const t = { deadlines: deadlinesFor('taker') };
    expect(deadlineOf(t, 'counterparty', 'lock')).toMatchObject({ step: 'makerFundBy', height: 212 });
    expect(deadlineOf(t, 'own', 'claim')).toMatchObject({ step: 'takerClaimBy', ticker: 'DEVA', height: 258 });
    expect(deadlineOf({ deadlines: [] }, 'own', 'lock')).toBeNull();
  });
});
