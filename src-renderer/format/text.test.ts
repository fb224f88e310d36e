import { describe, expect, it } from 'vitest';
import { formatDuration, formatLatency, shortenMiddle } from './text.ts';

describe('text helpers', () => {
  it('shortens long identifiers in the middle and leaves short ones alone', () => {
    expect(shortenMiddle('12D3KooWQpZ1Vm9rY3ZkVx8nT5uW2aBcDeFgHiJkLmN')).toBe('12D3KooW\u2026iJkLmN');
    expect(shortenMiddle('short')).toBe('short');
    expect(shortenMiddle('abcdefghijklmno')).toBe('abcdefghijklmno');
  });

  it.each([
    [0, '0 s'],
    [59, '59 s'],
    [60, '1 min'],
    [3600, '1 h'],
    [3720, '1 h 2 min'],
    [86_400, '1 d'],
    [90_000, '1 d 1 h'],
    [-5, '0 s'],
  ])('writes %d seconds as %s', (sec, text) => {
    expect(formatDuration(sec)).toBe(text);
  });

  it.each([
    [1.74, '1.7 ms'],
    [0, '0.0 ms'],
    [23.4, '23 ms'],
    [-1, '\u2014'],
    [Number.NaN, '\u2014'],
  ])('writes a latency of %d ms as %s', (ms, text) => {
    expect(formatLatency(ms)).toBe(text);
  });
});
