import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../src-shared/money/index.ts';
import { levelPrices } from './market-maker.ts';

describe('market maker levels', () => {
  it.each([
    ['sell', 50_000_000n, 3, 2, ['0.51', '0.52', '0.53']],
    ['buy', 50_000_000n, 3, 2, ['0.49', '0.48', '0.47']],
    ['sell', 100_000_000n, 1, 5, ['1.05']],
  ] as const)('%s levels around %s base units', (side, mid, levels, step, expected) => {
    expect(levelPrices(mid, side, levels, step)).toEqual(expected);
  });

  it('keeps asks above bids', () => {
    const asks = levelPrices(12_345_678n, 'sell', 3, 1);
    const bids = levelPrices(12_345_678n, 'buy', 3, 1);
    expect(parseAmount(asks[0]!, 8)).toBeGreaterThan(parseAmount(bids[0]!, 8));
  });
});
