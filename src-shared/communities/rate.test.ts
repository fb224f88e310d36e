import { describe, expect, it } from 'vitest';
import { NO_RATES, pruneRates, RATE_RULES, rateCheck } from './rate.ts';
import type { RateEvent, RateState } from './rate.ts';

const C = 'ab'.repeat(32);
function run(events: RateEvent[], at: (i: number) => number, start: RateState = NO_RATES) {
  let state = start;
  const allowed: boolean[] = [];
  events.forEach((e, i) => {
    const r = rateCheck(state, e, at(i));
    state = r.state;
    allowed.push(r.allowed);
  });
  return { state, allowed };
}

describe('rate rules', () => {
  it('a flood of posts is cut at the burst and refills', () => {
    const post: RateEvent = { kind: 'message', community: C, did: 'did:is:Pflood' };
    const burst = RATE_RULES.messages.capacity;
    const { state, allowed } = run(Array(burst + 10).fill(post), () => 0);
    expect(allowed.filter(Boolean)).toHaveLength(burst);
    expect(allowed.slice(burst).every((a) => !a)).toBe(true);
    expect(rateCheck(state, post, 500).allowed).toBe(false);
    expect(rateCheck(state, post, 1000).allowed).toBe(true);
    // Another member is not slowed by the flooder.
    expect(rateCheck(state, { ...post, did: 'did:is:Pother' }, 0).allowed).toBe(true);
  });

  it('attachment bytes have their own bucket; a refused message costs nothing', () => {
    const big: RateEvent = { kind: 'message', community: C, did: 'did:is:Pbig', attachmentBytes: 150 * 1024 };
    const { state, allowed } = run(Array(10).fill(big), () => 0);
    expect(allowed.filter(Boolean)).toHaveLength(6); // 6 × 150 KiB fit in 1 MiB
    const r = rateCheck(state, { ...big, attachmentBytes: undefined }, 0);
    expect(r.allowed).toBe(true);
  });

  it('join requests are limited per community, whoever sends them', () => {
    const join: RateEvent = { kind: 'join', community: C };
    const { allowed } = run(Array(15).fill(join), (i) => i * 100);
    expect(allowed.filter(Boolean)).toHaveLength(RATE_RULES.joins.capacity);
  });

  it('pruning drops only buckets that have refilled', () => {
    const { state } = run(
      [
        { kind: 'invite', community: C, did: 'did:is:Pa' },
        { kind: 'join', community: C },
      ],
      () => 0,
    );
    expect(pruneRates(state, 1000).size).toBe(2);
    expect(pruneRates(state, 10 * 60_000).size).toBe(0);
  });
});
