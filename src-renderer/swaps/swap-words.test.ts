import { describe, expect, it } from 'vitest';
import type { SwapDetail } from '../../src-shared/api/schemas.ts';
import { abortConsequence, explainSwap, shortStatus, swapBadge, whyNoAbort } from './swap-words.ts';
import { maker, taker } from './testdata.ts';

const ctx = { blockTimeOf: () => 5 };
const text = (d: SwapDetail) => explainSwap(d, ctx).paragraphs.join(' ');

describe('state badges', () => {
  it.each([
    ['proposed', 'in-progress', 'info'],
    ['accepted', 'in-progress', 'info'],
    ['funding', 'in-progress', 'info'],
    ['funded', 'in-progress', 'info'],
    ['claiming', 'in-progress', 'info'],
    ['refunding', 'refunding', 'warn'],
    ['completed', 'completed', 'ok'],
    ['refunded', 'refunded', 'warn'],
    ['failedBeforeFunding', 'failed-before-funding', 'muted'],
    ['lost', 'lost', 'danger'],
  ] as const)('%s → %s (%s)', (state, kind, tone) => {
    expect(swapBadge(state)).toMatchObject({ kind, tone });
  });
});

describe('short status in the list', () => {
  it('names what the swap waits for, from this node\u2019s side', () => {
    expect(shortStatus(maker.funded())).toBe('Waiting for the peer to lock DEVB');
    expect(shortStatus(taker.funded())).toBe('Waiting for the peer to claim your DEVB');
    expect(shortStatus(maker.completed())).toBe('Received 0.75 DEVB');
  });

  it('shows why a swap was refunded or failed instead of hiding it', () => {
    expect(shortStatus(maker.refunded())).toBe('The taker did not lock its coins in time.');
    expect(shortStatus(maker.failedNoAnswer())).toBe('The taker did not answer the proposal in time.');
  });
});

describe('explanation box', () => {
  it('while waiting for the peer\u2019s lock, says when our coins come back if it never comes', () => {
    const e = explainSwap(maker.funded(), ctx);
    expect(e.title).toBe('Waiting for the peer to lock DEVB');
    expect(text(maker.funded())).toContain(
      'your DEVA is refunded automatically after DEVA block 264, in ~54 blocks (~5 min), minus the network fee',
    );
  });

  it('names the block by which the peer must lock, and by which our node gives up', () => {
    expect(text(maker.funded())).toContain(
      'The peer must now lock 0.75 DEVB by DEVB block 213, in ~3 blocks (under 1 min); once it is confirmed, your node claims it (it can until DEVB block 226).',
    );
    const t = text(taker.accepted());
    expect(t).toContain(
      'The peer locks 1.5 DEVA first, by DEVB block 212, in ~2 blocks (under 1 min); your node locks',
    );
    expect(t).toContain(
      "If the peer's lock is not confirmed in time for your node to lock by DEVB block 213, in ~3 blocks (under 1 min), the swap stops",
    );
  });

  it('names the block by which the peer must claim, and the taker\u2019s own claim deadline', () => {
    expect(text(taker.funded())).toContain(
      'If they don\u2019t claim by DEVB block 226, in ~16 blocks (~1 min), your DEVB is refunded automatically after DEVB block 232',
    );
    const claiming: SwapDetail = { ...taker.funded(), state: 'claiming' };
    expect(text(claiming)).toContain(
      "It should confirm by DEVA block 258, in ~48 blocks (~4 min), before the peer's lock ends at DEVA block 264.",
    );
  });

  it('without deadlines from the node, still says "in time" rather than inventing a block', () => {
    expect(text({ ...maker.funded(), deadlines: [] })).toContain(
      'The peer must now lock 0.75 DEVB; once it is confirmed, your node claims it.',
    );
    expect(text({ ...taker.accepted(), deadlines: [] })).toContain('If the peer does not lock in time');
  });

  it('before anything is locked, promises only that nothing moves', () => {
    expect(text(taker.accepted())).toContain('nothing of yours moves');
    expect(text(taker.accepted())).not.toMatch(/refund/i);
  });

  it('completed: says what was received', () => {
    expect(explainSwap(maker.completed(), ctx)).toMatchObject({ tone: 'ok', title: 'Swap completed' });
    expect(text(maker.completed())).toContain('You received 0.75 DEVB for your 1.5 DEVA');
  });

  it('refunded: says why, that the coins are back minus fees, and that nothing was received', () => {
    const t = text(maker.refunded());
    expect(t).toContain('Why: The taker did not lock its coins in time.');
    expect(t).toContain('minus the network fees');
    expect(t).toContain('You did not receive DEVB');
  });

  it('failed before funding: nothing moved', () => {
    expect(text(maker.failedNoAnswer())).toContain('Nothing moved');
  });

  it('lost: says plainly where the coins went and how that could happen, per role', () => {
    const m = explainSwap(maker.lost(), ctx);
    expect(m).toMatchObject({ tone: 'danger', title: 'Lost: your DEVA went to the peer' });
    expect(m.paragraphs.join(' ')).toContain('claim did not confirm in time');
    const lostTaker: SwapDetail = {
      ...taker.completed(),
      state: 'lost',
      outcome: 'lost',
      reason: { code: 'counterparty-refunded', message: 'the maker took its coins back' },
    };
    expect(text(lostTaker)).toContain('The peer claimed your 0.75 DEVB');
  });
});

describe('stopping a swap', () => {
  it('before any lock: ends at once, nothing moves', () => {
    expect(abortConsequence(maker.proposed(), ctx)).toMatch(/ends at once and nothing moves/);
  });

  it('after our lock: the coins stay locked until the lock ends, and we say when', () => {
    expect(abortConsequence(maker.funded(), ctx)).toContain('refunded after DEVA block 264, in about 54 blocks');
    expect(abortConsequence(taker.funded(), ctx)).toMatch(/your node still claims DEVA/);
  });

  it('is not offered once a claim revealed the secret or the swap already stopped', () => {
    expect(abortConsequence(maker.claiming(), ctx)).toBeNull();
    expect(whyNoAbort(maker.claiming())).toMatch(/can no longer be stopped/);
    expect(abortConsequence(taker.refundingAfterAbort(), ctx)).toBeNull();
    expect(whyNoAbort(taker.refundingAfterAbort())).toBeNull();
    expect(abortConsequence(maker.completed(), ctx)).toBeNull();
    expect(whyNoAbort(maker.completed())).toBeNull();
  });
});
