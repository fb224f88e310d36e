import { describe, expect, it } from 'vitest';
import type { SwapDetail } from '../../src-shared/api/schemas.ts';
import { deriveSteps, type StepContext } from './steps.ts';
import { maker, T0, taker } from './testdata.ts';

const ctx = (confirmations = 1): StepContext => ({ blockTimeOf: () => 5, confirmationsOf: () => confirmations });
const statuses = (d: SwapDetail, c = ctx()) => Object.fromEntries(deriveSteps(d, c).map((s) => [s.name, s.status]));

describe('step status per situation', () => {
  const cases: Array<[string, () => SwapDetail, Record<string, string>]> = [
    [
      'maker waiting for the peer to accept',
      maker.proposed,
      { agree: 'current', 'own-lock': 'waiting', 'their-lock': 'waiting', claim: 'waiting', refund: 'waiting' },
    ],
    [
      'maker locked, peer not yet',
      () => maker.funded(),
      { agree: 'done', 'own-lock': 'done', 'their-lock': 'current', claim: 'waiting', refund: 'waiting' },
    ],
    [
      'maker claiming',
      maker.claiming,
      { agree: 'done', 'own-lock': 'done', 'their-lock': 'done', claim: 'current', refund: 'waiting' },
    ],
    [
      'maker completed',
      maker.completed,
      { agree: 'done', 'own-lock': 'done', 'their-lock': 'done', claim: 'done', refund: 'skipped' },
    ],
    [
      'maker refunded because the peer never locked',
      maker.refunded,
      { agree: 'done', 'own-lock': 'done', 'their-lock': 'failed', claim: 'skipped', refund: 'done' },
    ],
    [
      'maker failed: the peer never answered',
      maker.failedNoAnswer,
      { agree: 'failed', 'own-lock': 'skipped', 'their-lock': 'skipped', claim: 'skipped', refund: 'skipped' },
    ],
    [
      'maker lost: claim too late, peer refunded and claimed ours',
      maker.lost,
      { agree: 'done', 'own-lock': 'done', 'their-lock': 'done', claim: 'failed', refund: 'failed' },
    ],
    [
      'taker waiting for the maker to lock',
      taker.accepted,
      {
        agree: 'done',
        'their-lock': 'current',
        'own-lock': 'waiting',
        'their-claim': 'waiting',
        claim: 'waiting',
        refund: 'waiting',
      },
    ],
    [
      'taker refused the terms',
      taker.termsRejected,
      {
        agree: 'failed',
        'their-lock': 'skipped',
        'own-lock': 'skipped',
        'their-claim': 'skipped',
        claim: 'skipped',
        refund: 'skipped',
      },
    ],
    [
      'taker locked, waiting for the maker to claim',
      taker.funded,
      {
        agree: 'done',
        'their-lock': 'done',
        'own-lock': 'done',
        'their-claim': 'current',
        claim: 'waiting',
        refund: 'waiting',
      },
    ],
    // A user's own stop is not a failure of the step it interrupted.
    [
      'taker stopped by the user after locking',
      taker.refundingAfterAbort,
      {
        agree: 'done',
        'their-lock': 'done',
        'own-lock': 'done',
        'their-claim': 'skipped',
        claim: 'skipped',
        refund: 'current',
      },
    ],
    [
      'taker completed',
      taker.completed,
      {
        agree: 'done',
        'their-lock': 'done',
        'own-lock': 'done',
        'their-claim': 'done',
        claim: 'done',
        refund: 'skipped',
      },
    ],
  ];
  it.each(cases)('%s', (_name, make, expected) => {
    expect(statuses(make())).toEqual(expected);
  });

  it('keeps each role\u2019s order: the maker locks before the peer, the taker after', () => {
    expect(deriveSteps(maker.proposed(), ctx()).map((s) => s.name)).toEqual([
      'agree',
      'own-lock',
      'their-lock',
      'claim',
      'refund',
    ]);
    expect(deriveSteps(taker.accepted(), ctx()).map((s) => s.name)).toEqual([
      'agree',
      'their-lock',
      'own-lock',
      'their-claim',
      'claim',
      'refund',
    ]);
  });
});

describe('step facts', () => {
  it('counts the peer\u2019s lock as done only at the depth agreed in the swap, not the coin\u2019s default', () => {
    // The swap agreed on 3 DEVB confirmations; the app's coin default (ctx) says 1.
    const agreed3 = (n: number): SwapDetail => {
      const d = maker.funded(n);
      return {
        ...d,
        confirmations: d.confirmations.map((c) => (c.ticker === 'DEVB' ? { ...c, confirmations: 3 } : c)),
      };
    };
    expect(statuses(agreed3(2), ctx(1))['their-lock']).toBe('current');
    expect(statuses(agreed3(3), ctx(1))['their-lock']).toBe('done');
    const lock = deriveSteps(agreed3(2), ctx(1)).find((s) => s.name === 'their-lock');
    expect(lock).toMatchObject({ ticker: 'DEVB', txid: 'b'.repeat(64), confirmations: 2, required: 3 });
    expect(deriveSteps(agreed3(2), ctx(1)).find((s) => s.name === 'own-lock')?.required).toBe(1);
  });

  it('falls back to the coin\u2019s setting only when the node reported no agreed depth', () => {
    const d = { ...maker.funded(2), confirmations: [] };
    expect(deriveSteps(d, ctx(3)).find((s) => s.name === 'their-lock')).toMatchObject({
      status: 'current',
      required: 3,
    });
    expect(deriveSteps(d, { blockTimeOf: () => 5 }).find((s) => s.name === 'their-lock')).toMatchObject({
      status: 'current',
      required: null,
    });
  });

  it('holds each step still to come to its deadline: by which block it must happen', () => {
    const m = deriveSteps(maker.funded(), ctx());
    expect(m.find((s) => s.name === 'their-lock')?.deadline).toMatchObject({
      party: 'counterparty',
      action: 'lock',
      ticker: 'DEVB',
      height: 213,
      blocksLeft: 3,
    });
    expect(m.find((s) => s.name === 'claim')?.deadline).toMatchObject({
      party: 'own',
      action: 'claim',
      ticker: 'DEVB',
      height: 226,
    });
    // Done steps and a claim already sent have none.
    expect(m.find((s) => s.name === 'own-lock')?.deadline).toBeNull();
    expect(deriveSteps(maker.claiming(), ctx()).find((s) => s.name === 'claim')?.deadline).toBeNull();
    const t = deriveSteps(taker.accepted(), ctx());
    expect(t.find((s) => s.name === 'their-lock')?.deadline).toMatchObject({
      step: 'makerFundBy',
      ticker: 'DEVB',
      height: 212,
    });
    expect(t.find((s) => s.name === 'own-lock')?.deadline).toMatchObject({ step: 'takerFundBy', height: 213 });
    expect(deriveSteps(taker.funded(), ctx()).find((s) => s.name === 'their-claim')?.deadline).toMatchObject({
      step: 'makerClaimBy',
      height: 226,
    });
    // Stopped swaps have nothing left to wait for.
    expect(deriveSteps(maker.refunded(), ctx()).every((s) => s.deadline === null)).toBe(true);
  });

  it('carries the transaction and the time it was seen', () => {
    const own = deriveSteps(taker.completed(), ctx()).find((s) => s.name === 'own-lock');
    expect(own).toMatchObject({ ticker: 'DEVB', txid: 'b'.repeat(64), confirmations: 1, at: T0 + 3000 });
    const claim = deriveSteps(taker.completed(), ctx()).find((s) => s.name === 'claim');
    expect(claim).toMatchObject({ ticker: 'DEVA', txid: 'd'.repeat(64), at: T0 + 6000 });
  });

  it('times a failed step by when the swap stopped, and leaves later steps without a time', () => {
    const steps = deriveSteps(maker.refunded(), ctx());
    expect(steps.find((s) => s.name === 'their-lock')?.at).toBe(T0 + 3000);
    expect(steps.find((s) => s.name === 'claim')?.at).toBeNull();
  });

  it('counts down to the refund only once our coins are locked', () => {
    expect(deriveSteps(maker.proposed(), ctx()).find((s) => s.name === 'refund')?.countdown).toBeNull();
    expect(deriveSteps(maker.funded(), ctx()).find((s) => s.name === 'refund')?.countdown).toMatchObject({
      ticker: 'DEVA',
      locktime: 264,
      blocksLeft: 54,
      secondsLeft: 270,
    });
    expect(deriveSteps(maker.completed(), ctx()).find((s) => s.name === 'refund')?.countdown).toBeNull();
  });

  it('gives the current claim the counterparty\u2019s lock as its deadline', () => {
    expect(deriveSteps(maker.claiming(), ctx()).find((s) => s.name === 'claim')?.countdown).toMatchObject({
      ticker: 'DEVB',
      locktime: 232,
      blocksLeft: 22,
    });
  });
});
