import { describe, expect, it } from 'vitest';
import { CHILD_VSIZE, childFee } from './cpfp.ts';

describe('child pays for parent: the child fee', () => {
  it('makes parent and child together pay the rate over both', () => {
    // A 150 vB parent that paid 1500 sat (10 sat/vB); wanted 50 sat/vB over 260 vB = 13000.
    expect(childFee({ fee: 1500n, vsize: 150 }, 50n)).toBe(50n * BigInt(150 + CHILD_VSIZE) - 1500n);
  });
  it('never pays less than its own size at the rate, even when the parent already pays enough', () => {
    expect(childFee({ fee: 100_000n, vsize: 150 }, 20n)).toBe(20n * BigInt(CHILD_VSIZE));
  });
  it('a second child counts what the parent and the first child paid', () => {
    // Parent 150 vB / 1500 sat plus a child 110 vB / 11500 sat; 80 sat/vB over 370 vB = 29600.
    expect(childFee({ fee: 13_000n, vsize: 260 }, 80n)).toBe(80n * BigInt(260 + CHILD_VSIZE) - 13_000n);
  });
});
